"""N ztgym environments stepped in Rust, as a Gymnasium vector environment."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from . import _checks, _native

_MODES = {
    AutoresetMode.NEXT_STEP: "next_step",
    AutoresetMode.SAME_STEP: "same_step",
    AutoresetMode.DISABLED: "disabled",
}


def _mode(value: Union[AutoresetMode, str]) -> AutoresetMode:
    """An autoreset mode, or its name in either spelling (``NextStep``, ``next_step``)."""
    if isinstance(value, AutoresetMode):
        return value
    key = str(value).replace("_", "").lower()
    for mode in AutoresetMode:
        if mode.value.lower() == key:
            return mode
    raise ValueError(f"autoreset_mode: {value!r} is not one of next_step, same_step, disabled")


class ZtgymVectorEnv(VectorEnv):
    """``num_envs`` copies of a ztgym environment (as :class:`ztgym.env.ZtgymEnv` makes one),
    stepped together in Rust with the GIL released (on several threads from a few hundred
    environments up, where there are several cores), into numpy arrays allocated once.

    Follows Gymnasium's autoreset modes (``NEXT_STEP`` by default). ``infos`` holds arrays:
    ``cost``, ``action_mask`` (``int8``, one row per environment), and for the environments
    whose episode ended at this step ``episode`` (``r`` return, ``l`` length, ``c`` cost,
    ``success``) with its mask ``_episode``; in ``SAME_STEP`` mode ``final_obs`` and
    ``_final_obs``. ``copy=False`` returns the arrays the next step overwrites (fastest);
    the default returns copies.

    Seeds: ``reset(seed=s)`` resets environment ``i`` on ``s + i``; an episode that follows
    one without a seed plays a fixed function of the last seed, so one seeded reset fixes the
    whole run.
    """

    def __init__(
        self,
        env: str = "sre",
        num_envs: int = 1,
        scenario: Optional[str] = None,
        task: Optional[str] = None,
        level: Optional[str] = None,
        gate: Optional[str] = None,
        autoreset_mode: Union[AutoresetMode, str] = AutoresetMode.NEXT_STEP,
        threads: Optional[int] = None,
        copy: bool = True,
    ):
        mode = _mode(autoreset_mode)
        if isinstance(num_envs, bool) or not isinstance(num_envs, (int, np.integer)):
            raise TypeError(f"num_envs: expected an integer, got {type(num_envs).__name__}")
        self._native = _native.Vector(
            env,
            int(num_envs),
            _checks.scenario_of(scenario, task),
            _checks.text_or_none("level", level),
            _checks.text_or_none("gate", gate),
            _MODES[mode],
            threads,
        )
        self.metadata = {"autoreset_mode": mode}
        self.num_envs = int(num_envs)
        self.copy = bool(copy)
        self.action_names = list(self._native.actions)
        self.observation_names = list(self._native.observation_names)
        self.single_action_space = spaces.Discrete(len(self.action_names))
        self.action_space = spaces.MultiDiscrete(np.full(self.num_envs, len(self.action_names)))
        low, high = np.array(self._native.observation_bounds, dtype=np.float32).T
        self.single_observation_space = spaces.Box(low, high, dtype=np.float32)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        names = (
            "obs",
            "mask",
            "reward",
            "cost",
            "terminated",
            "truncated",
            "episode",
            "episode_return",
            "episode_cost",
            "episode_length",
            "episode_success",
            "final_obs",
        )
        self._arrays = dict(zip(names, self._native.arrays()))
        self._arrays["mask"] = self._arrays["mask"].view(np.int8)
        # Read-only views, made once: the arrays are never reallocated.
        self._views = {}
        for name, array in self._arrays.items():
            view = array.view()
            view.flags.writeable = False
            self._views[name] = view
        self._same_step = mode == AutoresetMode.SAME_STEP
        self._actions_shape = (self.num_envs,)
        # What a step returns with copy=False, assembled once (the views never change).
        v = self._views
        self._view_returns = (v["obs"], v["reward"], v["terminated"], v["truncated"])
        self._view_infos = {"cost": v["cost"], "action_mask": v["mask"]}
        self._view_episode_infos = {
            "episode": {
                "r": v["episode_return"],
                "l": v["episode_length"],
                "c": v["episode_cost"],
                "success": v["episode_success"],
            },
            "_episode": v["episode"],
        }
        if self._same_step:
            self._view_episode_infos.update(final_obs=v["final_obs"], _final_obs=v["episode"])
        self._seeded = False
        self._closed = False

    def reset(
        self,
        *,
        seed: Optional[Union[int, Sequence[int]]] = None,
        options: Optional[dict] = None,
    ):
        self._open("reset")
        options = dict(options or {})
        reset_mask = options.pop("reset_mask", None)
        if options:
            raise ValueError(f"options: unknown keys {sorted(options)} (known: reset_mask)")
        if reset_mask is not None:
            reset_mask = np.asarray(reset_mask)
            if reset_mask.dtype != np.bool_ or reset_mask.shape != (self.num_envs,):
                raise ValueError(
                    f"options['reset_mask']: expected bool of shape ({self.num_envs},), "
                    f"got {reset_mask.dtype} {reset_mask.shape}"
                )
        if seed is not None and not isinstance(seed, (int, np.integer)):
            seeds = list(seed)
            if len(seeds) != self.num_envs:
                raise ValueError(f"seed: {len(seeds)} seeds for {self.num_envs} environments")
            for i, s in enumerate(seeds):
                if s is not None and (reset_mask is None or reset_mask[i]):
                    only = np.zeros(self.num_envs, dtype=bool)
                    only[i] = True
                    self._native.reset(_checks.seed_of(s), only)
            self._seeded = True
            return self._observed({})
        seed = _checks.seed_of(seed)
        if seed is None and not self._seeded:
            seed = int(np.random.default_rng().integers(0, 2**63))
        self._seeded = True
        self._native.reset(seed, reset_mask)
        return self._observed({})

    def step(self, actions: Any):
        if self._closed or not self._seeded:
            self._open("step")
            raise RuntimeError("step before reset: call reset() first")
        if not (
            type(actions) is np.ndarray
            and actions.dtype == np.int64
            and actions.shape == self._actions_shape
        ):
            actions = _checks.actions_of(actions, self.num_envs)
        ended = self._native.step(actions)
        if not self.copy:
            infos = self._view_infos.copy()
            if ended:
                infos.update(self._view_episode_infos)
            return (*self._view_returns, infos)
        out = self._out
        infos: dict = {"cost": out("cost"), "action_mask": out("mask")}
        if ended:
            infos["episode"] = {
                "r": out("episode_return"),
                "l": out("episode_length"),
                "c": out("episode_cost"),
                "success": out("episode_success"),
            }
            infos["_episode"] = out("episode")
            if self._same_step:
                infos["final_obs"] = out("final_obs")
                infos["_final_obs"] = out("episode")
        return out("obs"), out("reward"), out("terminated"), out("truncated"), infos

    def action_masks(self) -> np.ndarray:
        """The actions that break no rule now, per environment, as booleans."""
        return self._arrays["mask"].astype(bool)

    def prompt(self, index: int) -> str:
        """Environment ``index``'s last observation as text for a language model."""
        return self._native.prompt(index)

    def close_extras(self, **kwargs: Any) -> None:
        self._native.close()
        self._closed = True

    def _observed(self, infos: dict):
        infos["action_mask"] = self._out("mask")
        return self._out("obs"), infos

    def _out(self, name: str) -> np.ndarray:
        """Array ``name``: a copy, or with ``copy=False`` a read-only view of it."""
        return self._arrays[name].copy() if self.copy else self._views[name]

    def _open(self, method: str) -> None:
        if self._closed:
            raise RuntimeError(f"vector environment: {method} after close")
