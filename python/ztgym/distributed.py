"""ztgym past one machine, on Ray: a Ray Tune sweep of the Lagrangian learner's
hyperparameters over seeds (each trial trains in Rust through :mod:`ztgym.commands`), and a
distributed evaluation of a policy over many seeds with Ray actors.

Both take ``address``: None starts a local Ray instance (or joins the one ``RAY_ADDRESS``
names), ``"auto"`` joins the cluster this machine is part of, ``"ray://HOST:10001"`` connects
through Ray Client. A function that connected to Ray disconnects when it returns (and a local
instance it started stops); inside an existing ``ray.init`` it uses that connection and leaves
it open. Every node needs the same ``ztgym`` installed (``pip install ./python``).

The work done is :mod:`ztgym.evaluation`'s, so a distributed run gives the figures the same
computation gives in-process.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Optional, Sequence

try:
    import ray
    from ray import tune
except ImportError as e:  # pragma: no cover - depends on the venv
    raise ImportError("ztgym.distributed needs Ray: pip install 'ray[tune]' (or ztgym[ray])") from e

from .commands import command
from .evaluation import SeedEvaluator, scenario_or_default, set_option, summary, train_and_evaluate

__all__ = ["tune_lagrangian", "evaluate", "Sweep", "DEFAULT_GRID", "connected"]

# The multiplier's step: how fast the price of breaking a rule reacts, the learner's main knob.
DEFAULT_GRID: dict[str, list] = {"lambda_lr": [0.01, 0.05, 0.2]}
METRICS = ("mean_return", "mean_cost", "success_rate", "lambda")


@contextlib.contextmanager
def connected(address: Optional[str]) -> Iterator[None]:
    """Ray for the duration of the block: the caller's connection if there is one, else a new
    one to ``address`` that is closed (and a local instance stopped) at the end."""
    if ray.is_initialized():
        yield
        return
    ray.init(address=address, log_to_driver=False, logging_level="WARNING")
    try:
        yield
    finally:
        ray.shutdown()


def node_id() -> str:
    """The Ray node this code runs on."""
    return ray.get_runtime_context().get_node_id()


# --- the sweep ---------------------------------------------------------------------------


class Sweep(NamedTuple):
    """A sweep's answer: one row per trial (the hyperparameters, ``seed``, the trained policy's
    ``mean_return``, ``mean_cost``, ``success_rate``, the learner's final ``lambda`` and the
    ``node`` it ran on), and the best hyperparameters with their figures averaged over seeds."""

    table: list[dict]
    best: dict


def _trial(config: dict, settings: dict) -> None:
    """One Tune trial: trains and evaluates in Rust, reports the figures once."""
    hyper = {k: v for k, v in config.items() if k != "seed"}
    row = train_and_evaluate(hyper=hyper, seed=config["seed"], **settings)
    tune.report({**row, "node": node_id()})


def _check_grid(env: str, scenario: str, grid: Mapping[str, Sequence[Any]], agent: str) -> None:
    """Fails before any trial starts on a name or value ``train`` would refuse: each value is
    tried in a one-episode training here (milliseconds)."""
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError("grid: expected a non-empty dict of hyperparameter name -> list of values")
    for name, values in grid.items():
        if name == "seed":
            raise ValueError("grid: 'seed' is not a hyperparameter; pass seeds=")
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
            raise ValueError(f"grid[{name!r}]: expected a non-empty list of values, got {values!r}")
        for value in values:
            try:
                command(
                    env,
                    "train",
                    agent=agent,
                    scenario=scenario,
                    episodes=1,
                    seed=0,
                    out="check.json",
                    set=set_option({name: value}),
                )
            except ValueError as e:
                raise ValueError(f"grid[{name!r}] = {value!r}: {e}") from None


def best_of(table: list[dict], names: Sequence[str], cost_limit: float) -> dict:
    """The hyperparameters whose mean over seeds has the highest return among those within
    ``cost_limit`` mean cost; if none is within it, the lowest mean cost."""
    groups: dict[tuple, list[dict]] = {}
    for row in table:
        groups.setdefault(tuple(row[n] for n in names), []).append(row)
    candidates = []
    for key, rows in groups.items():
        figures = {
            m: sum(r[m] for r in rows) / len(rows) for m in ("mean_return", "mean_cost", "success_rate")
        }
        candidates.append(
            {"config": dict(zip(names, key)), "seeds": sorted(r["seed"] for r in rows), **figures}
        )
    within = [c for c in candidates if c["mean_cost"] <= cost_limit]
    if within:
        return max(within, key=lambda c: c["mean_return"])
    return min(candidates, key=lambda c: (c["mean_cost"], -c["mean_return"]))


def tune_lagrangian(
    env: str = "sre",
    scenario: Optional[str] = None,
    seeds: Iterable[int] = (0, 1, 2),
    grid: Optional[Mapping[str, Sequence[Any]]] = None,
    episodes: int = 300,
    eval_episodes: int = 20,
    eval_seed: int = 10_000,
    cost_limit: float = 0.05,
    level: Optional[str] = None,
    agent: str = "q-lagrangian",
    address: Optional[str] = None,
    storage_path: Optional[str] = None,
) -> Sweep:
    """A Ray Tune grid over the Lagrangian learner's hyperparameters (``grid``: ``--set``
    names such as ``lambda_lr``, ``cost_budget``, ``alpha`` to lists of values; default
    :data:`DEFAULT_GRID`) crossed with training ``seeds``. Each trial trains ``episodes``
    episodes in Rust, then plays the trained policy greedily on ``eval_episodes`` episodes
    from ``eval_seed`` (the same evaluation episodes for every trial). ``agent``: another
    learner to sweep (``q``, ``bandit``: their rows' ``lambda`` is None).

    ``storage_path``: where Tune keeps its trial records (a temporary directory, removed
    afterwards, if None; on a multi-machine cluster, a shared path or bucket if you want them).
    """
    grid = dict(DEFAULT_GRID if grid is None else grid)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds: no training seed")
    scenario = scenario_or_default(env, scenario)
    _check_grid(env, scenario, grid, agent)
    settings = {
        "env": env,
        "scenario": scenario,
        "episodes": int(episodes),
        "eval_episodes": int(eval_episodes),
        "eval_seed": int(eval_seed),
        "agent": agent,
        "level": level,
    }
    space = {name: tune.grid_search(list(values)) for name, values in grid.items()}
    space["seed"] = tune.grid_search(seeds)
    storage = storage_path or tempfile.mkdtemp(prefix="ztgym-tune-")
    try:
        with connected(address):
            trainable = tune.with_resources(tune.with_parameters(_trial, settings=settings), {"cpu": 1})
            tuner = tune.Tuner(
                trainable,
                param_space=space,
                run_config=tune.RunConfig(name="ztgym-lagrangian", storage_path=storage, verbose=0),
            )
            results = tuner.fit()
    finally:
        if storage_path is None:
            shutil.rmtree(storage, ignore_errors=True)
    table = []
    for result in results:
        if result.error is not None:
            raise RuntimeError(f"trial {result.config or result.path}: {result.error}")
        row = {name: result.config[name] for name in grid}
        row["seed"] = result.config["seed"]
        row.update({m: result.metrics[m] for m in METRICS})
        row["node"] = result.metrics["node"]
        table.append(row)
    table.sort(key=lambda r: (tuple(r[n] for n in grid), r["seed"]))
    return Sweep(table, best_of(table, list(grid), cost_limit))


# --- the distributed evaluation -------------------------------------------------------------


class _Evaluator:
    """A Ray actor's state: one :class:`SeedEvaluator` (the policy file on its node)."""

    def __init__(self, policy_or_agent: str, env: str, scenario: Optional[str], level: Optional[str]):
        self._evaluator = SeedEvaluator(policy_or_agent, env, scenario, level)

    def evaluate(self, seeds: list[int]) -> tuple[str, list[dict]]:
        return node_id(), [self._evaluator.evaluate(seed) for seed in seeds]

    def close(self) -> None:
        self._evaluator.close()


def evaluate(
    policy_or_agent: str,
    env: str = "sre",
    scenario: Optional[str] = None,
    seeds: Iterable[int] = range(8),
    actors: int = 2,
    level: Optional[str] = None,
    address: Optional[str] = None,
) -> dict:
    """Evaluates a policy (a trained policy file's text) or a built-in agent (its name) over
    ``seeds``, one episode each, spread over ``actors`` Ray actors (one CPU each, spread over
    the nodes; actor ``i`` plays seeds ``i``, ``i + actors``, ...). Returns what
    :func:`ztgym.evaluation.evaluate_in_process` returns for the same seeds (``per_seed`` in
    the seeds' order and the figures over them), plus ``actors``: each actor's node and seeds.
    """
    seeds = [int(s) for s in seeds]
    if not isinstance(actors, int) or actors < 1:
        raise ValueError(f"actors: expected a positive integer, got {actors!r}")
    if not seeds:
        raise ValueError("seeds: no seed to evaluate")
    with SeedEvaluator(policy_or_agent, env, scenario, level) as local:
        local.evaluate(seeds[0])  # a bad agent, policy or scenario fails here, before Ray starts
    shares = [seeds[i::actors] for i in range(min(actors, len(seeds)))]
    with connected(address):
        remote = ray.remote(num_cpus=1)(_Evaluator).options(scheduling_strategy="SPREAD")
        handles = [remote.remote(policy_or_agent, env, scenario, level) for _ in shares]
        try:
            answers = ray.get([h.evaluate.remote(share) for h, share in zip(handles, shares)])
            ray.get([h.close.remote() for h in handles])
        finally:
            for h in handles:
                ray.kill(h)
    by_seed = {row["seed"]: row for _, rows in answers for row in rows}
    per_seed = [by_seed[s] for s in seeds]
    actors_run = [{"node": node, "seeds": share} for (node, _), share in zip(answers, shares)]
    return {"per_seed": per_seed, **summary(per_seed), "actors": actors_run}
