"""The same seed and actions give the same episode from Python as from the CLI: a CLI
trajectory's concrete actions replayed through a JSON session, and an episode of abstract
actions from the Gymnasium environment replayed the same way."""

from __future__ import annotations

import json

import pytest

import ztgym
from ztgym.commands import command

AGENTS = {"sre": ("classic", "sop"), "triage": ("L1", "rule-based"), "harden": ("seed001", None)}


def cli_trajectory(env: str, scenario: str, agent: str, seed: int) -> list[dict]:
    out = command(env, "run", scenario=scenario, agent=agent, seed=seed, trajectory="t.jsonl")
    # Line 1 is the trajectory's header; the steps follow.
    return [json.loads(line) for line in out["files"]["t.jsonl"].splitlines()[1:]]


def replay(env: str, scenario: str, seed: int, actions: list) -> list[dict]:
    session = ztgym.Session(env, scenario)
    first = json.loads(session.reset(seed))
    steps = [first]
    for action in actions:
        steps.append(json.loads(session.step(json.dumps(action))))
    return steps


@pytest.mark.parametrize("env", ["sre", "triage", "harden"])
def test_cli_trajectories_replay_exactly(env):
    scenario, agent = AGENTS[env]
    agent = agent or ztgym.environments()[[i["id"] for i in ztgym.environments()].index(env)]["agents"][0]
    for seed in (0, 7):
        lines = cli_trajectory(env, scenario, agent, seed)
        steps = replay(env, scenario, seed, [line["action"] for line in lines])
        assert len(steps) == len(lines) + 1
        for line, step in zip(lines, steps[1:]):
            assert (step["reward"], step["cost"], step["terminated"], step["truncated"]) == (
                line["reward"],
                line["cost"],
                line["terminated"],
                line["truncated"],
            )
        # The observations, by their digests: the file verifies as `ztgym verify` checks it.
        text = command(env, "run", scenario=scenario, agent=agent, seed=seed, trajectory="t.jsonl")["files"]["t.jsonl"]
        verdict = ztgym.verify_trajectory(text)
        assert verdict["verified"] and verdict["complete"], verdict


@pytest.mark.parametrize("env", ["sre", "triage", "harden"])
def test_gymnasium_episodes_replay_through_json(env):
    import numpy as np

    gym_env = ztgym.ZtgymEnv(env)
    rng = np.random.default_rng(3)
    gym_env.reset(seed=21)
    scenario = gym_env.scenario
    played = []
    done = False
    while not done:
        _, reward, terminated, truncated, info = gym_env.step(int(rng.integers(gym_env.action_space.n)))
        played.append((info["action"], reward, info["cost"], terminated, truncated))
        done = terminated or truncated
    steps = replay(env, scenario, 21, [p[0] for p in played])
    for (_, reward, cost, terminated, truncated), step in zip(played, steps[1:]):
        assert (step["reward"], step["cost"], step["terminated"], step["truncated"]) == (
            reward,
            cost,
            terminated,
            truncated,
        )
    assert json.loads(gym_env._native.observation_json()) == steps[-1]["observation"]
