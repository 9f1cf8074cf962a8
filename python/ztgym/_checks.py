"""Checks of what a Python caller passes, with errors that name what is wrong and where."""

from __future__ import annotations

import numbers
from typing import Any, Optional

import numpy as np


def scenario_of(scenario: Optional[str], task: Optional[str]) -> Optional[str]:
    """``task`` is another name for ``scenario`` (triage calls its scenarios tasks)."""
    for name, value in (("scenario", scenario), ("task", task)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name}: expected a string, got {type(value).__name__}")
    if scenario is not None and task is not None and scenario != task:
        raise ValueError(f"scenario={scenario!r} and task={task!r} name different scenarios")
    return scenario if scenario is not None else task


def text_or_none(name: str, value: Any) -> Optional[str]:
    """A keyword argument that is a string (a level, a path) or None."""
    if value is None or isinstance(value, str):
        return value
    if hasattr(value, "__fspath__"):
        return str(value.__fspath__())
    raise TypeError(f"{name}: expected a string, got {type(value).__name__}")


def seed_of(seed: Any) -> Optional[int]:
    """A reset seed: None or an integer in 0..2**64."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed: expected an integer, got {type(seed).__name__} {seed!r}")
    seed = int(seed)
    if not 0 <= seed < 2**64:
        raise ValueError(f"seed: {seed} is not in 0..2**64")
    return seed


def action_of(action: Any, n: int) -> int:
    """One discrete action: an integer (or a 0-d integer array) in 0..n."""
    if isinstance(action, np.ndarray):
        if action.shape not in ((), (1,)):
            raise ValueError(f"action: expected one integer, got an array of shape {action.shape}")
        if action.dtype.kind not in "iu":
            raise TypeError(f"action: expected an integer, got an array of dtype {action.dtype}")
        action = action.reshape(()).item()
    if isinstance(action, bool) or not isinstance(action, numbers.Integral):
        raise TypeError(f"action: expected an integer in 0..{n}, got {type(action).__name__} {action!r}")
    action = int(action)
    if not 0 <= action < n:
        raise ValueError(f"action: {action} is out of range (0..{n})")
    return action


def actions_of(actions: Any, num_envs: int) -> np.ndarray:
    """One discrete action per environment, as int64 of shape (num_envs,)."""
    array = np.asarray(actions)
    if array.dtype.kind not in "iu":
        raise TypeError(
            f"actions: expected integers, got dtype {array.dtype}"
            + (" (with NaN)" if array.dtype.kind == "f" and np.isnan(array).any() else "")
        )
    if array.shape != (num_envs,):
        raise ValueError(f"actions: expected shape ({num_envs},), got {array.shape}")
    # The range is checked in Rust, before any environment steps (it names the index).
    return array.astype(np.int64, copy=False)
