"""Shared fixtures of the package's tests: the environments of the Rust table, and helpers."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest

import ztgym

ENV_IDS = [info["id"] for info in ztgym.environments()]


@pytest.fixture(params=ENV_IDS)
def env_id(request) -> str:
    """Each environment's id in turn."""
    return request.param


def random_episode(env: gymnasium.Env, seed: int, rng_seed: int = 0, limit: int = 500):
    """Plays one episode with uniformly random actions; returns its steps as tuples."""
    rng = np.random.default_rng(rng_seed)
    obs, info = env.reset(seed=seed)
    steps = [(obs.copy(), None, 0.0, 0.0, False, False, info.get("action"))]
    for _ in range(limit):
        action = int(rng.integers(env.action_space.n))
        obs, reward, terminated, truncated, info = env.step(action)
        steps.append((obs.copy(), action, reward, info["cost"], terminated, truncated, info["action"]))
        if terminated or truncated:
            break
    return steps
