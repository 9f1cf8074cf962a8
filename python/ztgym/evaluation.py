"""Evaluation and training through the command line's commands, in-process and without Ray:
the units of work :mod:`ztgym.distributed` spreads over a Ray cluster, so that a distributed
run is the same computation as the local one, only elsewhere."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from typing import Any, Iterable, Mapping, Optional

from . import _native
from .commands import command

POLICY_FILE = "policy.json"


def scenario_or_default(env: str, scenario: Optional[str]) -> str:
    """``scenario``, or environment ``env``'s default one: some commands require one (``train``,
    triage's ``eval``), and naming it keeps every command on the same scenario."""
    if scenario is not None:
        return scenario
    for info in _native.environments():
        if info["id"] == env:
            return info["default_scenario"]
    known = ", ".join(info["id"] for info in _native.environments())
    raise ValueError(f"env: unknown environment {env!r} (known: {known})")


def is_policy_text(policy_or_agent: str) -> bool:
    """A policy file's text (JSON) rather than a built-in agent's name."""
    return policy_or_agent.lstrip().startswith("{")


def figures_of(result: Mapping[str, Any]) -> dict:
    """``eval``'s answer as the three figures every environment shares: mean return, mean cost
    and success rate (triage calls its success ``pass_rate``: the grade passed)."""
    success = result.get("success_rate", result.get("pass_rate"))
    if success is None:
        raise ValueError(f"eval's answer has no success_rate or pass_rate: {sorted(result)}")
    return {
        "return": float(result["mean_return"]),
        "cost": float(result["mean_cost"]),
        "success": float(success),
    }


def summary(per_seed: list[dict]) -> dict:
    """The figures over seeds: episodes, mean and standard deviation of the return, mean cost,
    success rate. Summed in the seeds' order, so equal lists give equal figures."""
    n = len(per_seed)
    if n == 0:
        raise ValueError("seeds: no seed to evaluate")
    mean_return = sum(s["return"] for s in per_seed) / n
    variance = sum((s["return"] - mean_return) ** 2 for s in per_seed) / n
    return {
        "episodes": n,
        "mean_return": mean_return,
        "std_return": math.sqrt(variance),
        "mean_cost": sum(s["cost"] for s in per_seed) / n,
        "success_rate": sum(s["success"] for s in per_seed) / n,
    }


class SeedEvaluator:
    """Evaluates one policy (a trained policy file's text) or built-in agent (its name) on an
    environment, one seed at a time. Holds the policy as a file in a private temporary
    directory (``eval`` reads policies from files) until :meth:`close`."""

    def __init__(
        self,
        policy_or_agent: str,
        env: str = "sre",
        scenario: Optional[str] = None,
        level: Optional[str] = None,
    ):
        if not isinstance(policy_or_agent, str) or not policy_or_agent.strip():
            raise TypeError("policy_or_agent: expected a policy file's text or an agent's name")
        self.env, self.scenario, self.level = env, scenario_or_default(env, scenario), level
        self._dir: Optional[str] = None
        if is_policy_text(policy_or_agent):
            self._dir = tempfile.mkdtemp(prefix="ztgym-policy-")
            path = os.path.join(self._dir, POLICY_FILE)
            with open(path, "w", encoding="utf-8") as f:
                f.write(policy_or_agent)
            self._player = {"policy": path}
        else:
            self._player = {"agent": policy_or_agent}

    def evaluate(self, seed: int) -> dict:
        """One episode from ``seed``: ``{"seed", "return", "cost", "success"}``."""
        result = command(
            self.env,
            "eval",
            scenario=self.scenario,
            level=self.level,
            episodes=1,
            seed=int(seed),
            **self._player,
        )["result"]
        return {"seed": int(seed), **figures_of(result)}

    def close(self) -> None:
        """Removes the policy file."""
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> "SeedEvaluator":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def evaluate_in_process(
    policy_or_agent: str,
    env: str = "sre",
    scenario: Optional[str] = None,
    seeds: Iterable[int] = range(8),
    level: Optional[str] = None,
) -> dict:
    """Evaluates over ``seeds`` here, one episode each: ``{"per_seed": [...], "episodes",
    "mean_return", "std_return", "mean_cost", "success_rate"}``."""
    with SeedEvaluator(policy_or_agent, env, scenario, level) as evaluator:
        per_seed = [evaluator.evaluate(seed) for seed in seeds]
    return {"per_seed": per_seed, **summary(per_seed)}


def set_option(hyper: Mapping[str, Any]) -> Optional[str]:
    """Hyperparameters as ``train``'s ``--set`` value: ``alpha=0.2,mask=true``."""
    if not hyper:
        return None
    parts = []
    for name, value in hyper.items():
        if not isinstance(name, str) or not name or "=" in name or "," in name:
            raise ValueError(f"hyperparameter name {name!r}: expected a name such as 'lambda_lr'")
        text = str(value).lower() if isinstance(value, bool) else str(value)
        parts.append(f"{name}={text}")
    return ",".join(parts)


def train_and_evaluate(
    env: str,
    scenario: Optional[str],
    hyper: Mapping[str, Any],
    seed: int,
    episodes: int,
    eval_episodes: int,
    eval_seed: int,
    agent: str = "q-lagrangian",
    level: Optional[str] = None,
) -> dict:
    """Trains ``agent`` in Rust with hyperparameters ``hyper`` from training seed ``seed``,
    then evaluates the trained policy greedily on ``eval_episodes`` episodes from
    ``eval_seed``: the evaluation's mean return, mean cost, success rate and the learner's
    final multiplier ``lambda`` (None for learners without one)."""
    scenario = scenario_or_default(env, scenario)
    trained = command(
        env,
        "train",
        agent=agent,
        scenario=scenario,
        level=level,
        episodes=episodes,
        seed=seed,
        out=POLICY_FILE,
        set=set_option(hyper),
    )
    with tempfile.TemporaryDirectory(prefix="ztgym-trial-") as directory:
        path = os.path.join(directory, POLICY_FILE)
        with open(path, "w", encoding="utf-8") as f:
            f.write(trained["files"][POLICY_FILE])
        result = command(
            env, "eval", policy=path, scenario=scenario, level=level, episodes=eval_episodes, seed=eval_seed
        )
    figures = figures_of(result["result"])
    # harden's train answer names its training figures "metrics", the others "final_metrics".
    final = trained["result"].get("final_metrics") or trained["result"].get("metrics") or {}
    return {
        "mean_return": figures["return"],
        "mean_cost": figures["cost"],
        "success_rate": figures["success"],
        "lambda": final.get("lambda"),
    }
