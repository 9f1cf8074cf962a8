"""Trajectory files from Python, in the one versioned format every surface writes (``ztgym run
--trajectory``, the page's export): a header line naming the run (format, version,
environment, scenario, reset options, seed, agent), then one line per step with the action,
reward, cost, end flags and a digest of the observation. ``ztgym verify FILE`` and the page
replay such a file and check every step; :func:`verify_trajectory` does the same here.

    from ztgym.trajectory import record_trajectory
    record_trajectory("triage", my_agent, "run.jsonl", scenario="L1", seed=4)

The format is documented in the book (``docs/src/trajectory-format.md``).
"""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Optional

from . import _native

MAX_STEPS = 10_000
"""The most steps a trajectory file may hold (what ``ztgym verify`` reads)."""


class TrajectoryWriter:
    """A built-in scenario of environment ``env`` played with concrete actions (dicts, as in a
    trajectory file), every step recorded. ``reset`` starts a new recording; ``text()`` is the
    file of the episode so far, ``save(path)`` writes it."""

    def __init__(self, env: str, scenario: Optional[str] = None, agent: str = "python") -> None:
        self._native = _native.TrajectoryWriter(env, scenario, agent)

    def reset(self, seed: int = 0, options: Optional[dict] = None) -> dict:
        """Starts an episode: ``{"observation", "info", "prompt"}``."""
        return json.loads(self._native.reset(seed, json.dumps(options)))

    def step(self, action: dict) -> dict:
        """Plays ``action`` and records it: ``{"observation", "reward", "cost", "terminated",
        "truncated", "info", "prompt"}``. ``ValueError``: not an action of the environment;
        ``RuntimeError``: refused (after the end, an unknown target); nothing is recorded then."""
        return json.loads(self._native.step(json.dumps(action)))

    def __len__(self) -> int:
        return len(self._native)

    def text(self) -> str:
        """The trajectory file (JSON lines) of the episode since the last reset."""
        return self._native.text()

    def save(self, path: str | os.PathLike) -> None:
        """Writes the trajectory file to ``path``."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.text())


def record_trajectory(
    env: str,
    agent: Callable[[dict, dict], dict],
    path: str | os.PathLike | None = None,
    *,
    scenario: Optional[str] = None,
    seed: int = 0,
    options: Optional[dict] = None,
    name: str = "python",
    max_steps: int = MAX_STEPS,
) -> str:
    """Plays one episode of ``agent`` (``agent(observation, info) -> action dict``) on
    environment ``env`` and returns its trajectory file, also written to ``path`` if given.
    ``name`` is the agent's name in the header; the episode stops after ``max_steps``."""
    if not 0 < max_steps <= MAX_STEPS:
        raise ValueError(f"max_steps must be between 1 and {MAX_STEPS}, found {max_steps}")
    writer = TrajectoryWriter(env, scenario, name)
    first = writer.reset(seed, options)
    observation, info = first["observation"], first["info"]
    for _ in range(max_steps):
        step = writer.step(agent(observation, info))
        observation, info = step["observation"], step["info"]
        if step["terminated"] or step["truncated"]:
            break
    if path is not None:
        writer.save(path)
    return writer.text()


def verify_trajectory(text: str) -> dict[str, Any]:
    """Replays a trajectory file's text and checks every step, as ``ztgym verify --json``:
    ``{"verified", "complete", "steps", "first_mismatch", "mismatches", ...}``. A file that
    cannot be replayed (bad JSON, an unknown environment or version, an action refused) is a
    ``ValueError`` naming its line and field."""
    return json.loads(_native.verify_trajectory(text))
