"""Where the time of one ``ZtgymVectorEnv.step`` goes, in CPU microseconds per call (so other
programs on the machine do not inflate it), and what a leaner step would save.

    python python/benchmarks/profile_vector_step.py            # N = 64, SRE classic
    python python/benchmarks/profile_vector_step.py --num-envs 1 --json

Each figure is the best of several repeats of a loop of calls. "lean" is a variant of the
Python step written here (a subclass; ztgym's own file is unchanged) with the changes the
report proposes: (1) no range check in Python for a C-contiguous int64 array of the right
shape (the Rust step checks every action before any environment steps and raises the same
message), the full check kept for anything else; (2) read-only views made once, since the
arrays are never reallocated, instead of a new view per array per step; (3)
``np.count_nonzero`` instead of ``ndarray.any`` for "did an episode end"; (4) the autoreset
mode compared once, at construction. "views prebuilt" goes further for ``copy=False``: the
returned arrays and both shapes of ``infos`` are built once (a shallow copy of ``infos`` per
step). The Rust side's share is ``native step``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import time
from typing import Any, Callable

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import gymnasium  # noqa: E402
import numpy as np  # noqa: E402
from gymnasium.vector import AutoresetMode  # noqa: E402

import ztgym  # noqa: E402, F401
from ztgym import _checks  # noqa: E402
from ztgym.vector import ZtgymVectorEnv  # noqa: E402

_INT64 = np.dtype(np.int64)
# Older packages' actions_of also took the number of actions (and checked the range in Python).
_WITH_RANGE = len(inspect.signature(_checks.actions_of).parameters) == 3


def actions_of(actions: Any, num_envs: int, n: int) -> np.ndarray:
    """The package's own check of a step's actions, whichever its signature."""
    return _checks.actions_of(actions, num_envs, n) if _WITH_RANGE else _checks.actions_of(actions, num_envs)


class LeanVectorEnv(ZtgymVectorEnv):
    """ZtgymVectorEnv with the four changes of the module's docstring (measurement only)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._same_step = self.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
        self._views = {}
        for name in (
            "_obs", "_mask", "_reward", "_cost", "_terminated", "_truncated", "_episode",
            "_episode_return", "_episode_cost", "_episode_length", "_episode_success", "_final_obs",
        ):
            view = getattr(self, name).view()
            view.flags.writeable = False
            self._views[id(getattr(self, name))] = view

    def _out(self, array: np.ndarray) -> np.ndarray:
        return array.copy() if self.copy else self._views[id(array)]

    def step(self, actions: Any):
        if self._closed or not self._seeded:
            return super().step(actions)
        if not (
            type(actions) is np.ndarray
            and actions.dtype is _INT64
            and actions.shape == (self.num_envs,)
            and actions.flags.c_contiguous
        ):
            actions = actions_of(actions, self.num_envs, len(self.action_names))
        self._native.step(actions)
        out = self._out
        infos: dict = {"cost": out(self._cost)}
        if np.count_nonzero(self._episode):
            infos["episode"] = {
                "r": out(self._episode_return),
                "l": out(self._episode_length),
                "c": out(self._episode_cost),
                "success": out(self._episode_success),
            }
            infos["_episode"] = out(self._episode)
            if self._same_step:
                infos["final_obs"] = out(self._final_obs)
                infos["_final_obs"] = out(self._episode)
        infos["action_mask"] = out(self._mask)
        return out(self._obs), out(self._reward), out(self._terminated), out(self._truncated), infos


class PrebuiltVectorEnv(LeanVectorEnv):
    """With ``copy=False`` every step returns the same read-only views: build the returned
    tuple's arrays and the two shapes of ``infos`` once, and hand out a shallow copy of the
    right ``infos`` (measurement only; copy=True falls back to the lean step)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        v = self._views
        self._returned = tuple(v[id(a)] for a in (self._obs, self._reward, self._terminated, self._truncated))
        self._infos = {"cost": v[id(self._cost)], "action_mask": v[id(self._mask)]}
        self._infos_ended = dict(
            self._infos,
            episode={
                "r": v[id(self._episode_return)],
                "l": v[id(self._episode_length)],
                "c": v[id(self._episode_cost)],
                "success": v[id(self._episode_success)],
            },
            _episode=v[id(self._episode)],
        )
        if self._same_step:
            self._infos_ended.update(final_obs=v[id(self._final_obs)], _final_obs=v[id(self._episode)])

    def step(self, actions: Any):
        if self.copy or self._closed or not self._seeded:
            return super().step(actions)
        if not (
            type(actions) is np.ndarray
            and actions.dtype is _INT64
            and actions.shape == (self.num_envs,)
            and actions.flags.c_contiguous
        ):
            actions = actions_of(actions, self.num_envs, len(self.action_names))
        self._native.step(actions)
        infos = dict(self._infos_ended if np.count_nonzero(self._episode) else self._infos)
        return (*self._returned, infos)


def per_call(parts: dict[str, tuple[Callable[[np.ndarray], Any], np.ndarray]], repeats: int) -> dict[str, float]:
    """Each part's best, over ``repeats`` loops over its actions, CPU microseconds per call.
    The repeats go round robin over the parts, so a slow spell of the machine falls on all."""
    best = {name: float("inf") for name in parts}
    for _ in range(repeats):
        for name, (fn, actions) in parts.items():
            t = time.thread_time()
            for a in actions:
                fn(a)
            best[name] = min(best[name], (time.thread_time() - t) / len(actions) * 1e6)
    return best


def make(cls, gym_id: str, scenario: str, n: int, copy: bool):
    if cls is ZtgymVectorEnv:
        env = gymnasium.make_vec(
            gym_id, num_envs=n, vectorization_mode="vector_entry_point", scenario=scenario, copy=copy, threads=1
        )
    else:
        env = cls(env=gym_id.split("/")[1].split("-")[0].lower(), num_envs=n, scenario=scenario, copy=copy, threads=1)
    env.reset(seed=0)
    return env


def profile(gym_id: str, scenario: str, n: int, calls: int, repeats: int) -> dict:
    envs = {
        (cls.__name__, copy): make(cls, gym_id, scenario, n, copy)
        for cls in (ZtgymVectorEnv, LeanVectorEnv)
        for copy in (True, False)
    }
    envs[("PrebuiltVectorEnv", False)] = make(PrebuiltVectorEnv, gym_id, scenario, n, False)
    base = envs[("ZtgymVectorEnv", True)]
    count = len(base.action_names)
    actions = np.random.default_rng(0).integers(0, count, (calls, n))
    ended = np.mean(["_episode" in base.step(a)[4] for a in actions[:500]])
    copy_env, view_env = envs[("ZtgymVectorEnv", True)], envs[("ZtgymVectorEnv", False)]
    arrays = [copy_env._obs, copy_env._reward, copy_env._terminated, copy_env._truncated, copy_env._cost, copy_env._mask]
    episode = [copy_env._episode_return, copy_env._episode_length, copy_env._episode_cost, copy_env._episode_success, copy_env._episode]
    one = make(ZtgymVectorEnv, gym_id, scenario, 1, True)
    parts: dict = {}
    for (name, copy), env in envs.items():
        label = {"LeanVectorEnv": "lean", "PrebuiltVectorEnv": "lean, views prebuilt"}.get(name, name)
        parts[f"{label} step, {'copy' if copy else 'copy=False'}"] = (env.step, actions)
    parts["native step (Rust, GIL released)"] = (base._native.step, actions)
    parts["_checks.actions_of"] = (lambda a: actions_of(a, n, count), actions)
    parts["actions_of without its range check"] = (
        lambda a: (np.asarray(a).dtype.kind in "iu", a.shape == (n,), a.astype(np.int64, copy=False)),
        actions,
    )
    parts["6 arrays out, copies"] = (lambda a: [copy_env._out(x) for x in arrays], actions)
    parts["6 arrays out, new read-only views"] = (lambda a: [view_env._out(x) for x in arrays], actions)
    parts["5 episode arrays out, copies"] = (lambda a: [copy_env._out(x) for x in episode], actions)
    parts["5 episode arrays out, new read-only views"] = (lambda a: [view_env._out(x) for x in episode], actions)
    parts["episode.any()"] = (lambda a: copy_env._episode.any(), actions)
    parts["np.count_nonzero(episode)"] = (lambda a: np.count_nonzero(copy_env._episode), actions)
    parts["native step at N=1 (the fixed cost of a call)"] = (
        one._native.step,
        np.random.default_rng(1).integers(0, count, (calls, 1)),
    )
    r = per_call(parts, repeats)
    return {
        "env": gym_id,
        "scenario": scenario,
        "num_envs": n,
        "share_of_steps_ending_an_episode": float(ended),
        "cpu_us_per_call": {k: round(v, 3) for k, v in r.items()},
        "steps_per_cpu_second": {
            k: round(n / v * 1e6) for k, v in r.items() if k.endswith(("copy", "copy=False")) or k.startswith("native step (")
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", default="ztgym/SRE-v0")
    parser.add_argument("--scenario", default="classic")
    parser.add_argument("--num-envs", type=int, default=64)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = profile(args.env, args.scenario, args.num_envs, args.calls, args.repeats)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{result['env']} {result['scenario']}, N={result['num_envs']}, one thread; "
          f"{result['share_of_steps_ending_an_episode']:.0%} of steps end an episode somewhere\n")
    print("| part | CPU us per call | steps per CPU-second |")
    print("| --- | --- | --- |")
    for k, v in result["cpu_us_per_call"].items():
        sps = result["steps_per_cpu_second"].get(k)
        print(f"| {k} | {v:.2f} | {'' if sps is None else f'{sps:,}'} |")


if __name__ == "__main__":
    main()
