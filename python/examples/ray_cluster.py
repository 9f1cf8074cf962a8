"""A Ray Tune sweep of the Lagrangian learner's hyperparameters over seeds, then a distributed
evaluation of the best configuration's policy over many seeds with Ray actors.

On this machine (Ray starts a local instance and stops it at the end)::

    pip install ./python "ray[tune]"
    python python/examples/ray_cluster.py

On a cluster of several machines, each with the same Python and ``ztgym`` installed
(``pip install ./python "ray[tune]"``)::

    ray start --head --port=6379                 # on the head machine
    ray start --address=HEAD_IP:6379             # on every other machine
    python python/examples/ray_cluster.py --address auto     # on the head machine

or from a machine outside the cluster through Ray Client: ``--address ray://HEAD_IP:10001``.
Trials and actors take one CPU each and spread over the nodes; only the figures travel back.
``ray stop`` on each machine ends the cluster.
"""

from __future__ import annotations

import argparse
import json
import os

# Tune's newer console output ignores verbose=0; the older one honours it (the figures are ours).
os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")

from ztgym import distributed  # noqa: E402
from ztgym.commands import command  # noqa: E402
from ztgym.evaluation import scenario_or_default, set_option  # noqa: E402


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--address",
        default=None,
        help="Ray cluster: auto, ray://HOST:10001, HOST:6379 (default: a local instance)",
    )
    p.add_argument("--env", default="sre", help="sre, triage or harden")
    p.add_argument("--scenario", default=None, help="a scenario (triage: a task); default: the environment's")
    p.add_argument(
        "--lambda-lr", default="0.01,0.05,0.2", help="the multiplier steps to try, comma-separated"
    )
    p.add_argument("--cost-budget", default="0.05", help="the cost budgets to try, comma-separated")
    p.add_argument("--seeds", type=int, default=3, help="training seeds per configuration")
    p.add_argument("--episodes", type=int, default=500, help="training episodes per trial")
    p.add_argument("--eval-seeds", type=int, default=64, help="seeds of the final distributed evaluation")
    p.add_argument("--actors", type=int, default=4, help="Ray actors of the final evaluation")
    p.add_argument("--json", action="store_true", help="print the figures as JSON only")
    return p.parse_args()


def floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",") if v.strip()]


def main() -> None:
    args = parse()
    # One connection for the sweep and the evaluation (each would otherwise connect on its own).
    with distributed.connected(args.address):
        run(args)


def run(args: argparse.Namespace) -> None:
    grid = {"lambda_lr": floats(args.lambda_lr), "cost_budget": floats(args.cost_budget)}
    sweep = distributed.tune_lagrangian(
        args.env,
        args.scenario,
        seeds=range(args.seeds),
        grid=grid,
        episodes=args.episodes,
        address=args.address,
    )
    best = sweep.best
    # The best configuration retrained from the first seed, then evaluated far and wide.
    policy = command(
        args.env,
        "train",
        agent="q-lagrangian",
        scenario=scenario_or_default(args.env, args.scenario),
        episodes=args.episodes,
        seed=best["seeds"][0],
        out="policy.json",
        set=set_option(best["config"]),
    )["files"]["policy.json"]
    evaluation = distributed.evaluate(
        policy,
        args.env,
        args.scenario,
        seeds=range(100_000, 100_000 + args.eval_seeds),
        actors=args.actors,
        address=args.address,
    )
    summary = {k: v for k, v in evaluation.items() if k != "per_seed"}
    if args.json:
        print(json.dumps({"table": sweep.table, "best": best, "evaluation": summary}, indent=2))
        return
    print(f"{'config':<40} {'seed':>4} {'return':>8} {'cost':>6} {'success':>7} {'lambda':>7}")
    for row in sweep.table:
        config = ", ".join(f"{k}={row[k]}" for k in grid)
        print(
            f"{config:<40} {row['seed']:>4} {row['mean_return']:>8.2f} {row['mean_cost']:>6.2f} "
            f"{row['success_rate']:>7.2f} {row['lambda']:>7.2f}"
        )
    print(
        f"best: {best['config']} (mean over seeds: return {best['mean_return']:.2f}, "
        f"cost {best['mean_cost']:.2f})"
    )
    nodes = sorted({a["node"][:8] for a in evaluation["actors"]})
    print(
        f"evaluation over {summary['episodes']} seeds on {len(nodes)} node(s) {nodes}: return "
        f"{summary['mean_return']:.2f} +- {summary['std_return']:.2f}, cost {summary['mean_cost']:.3f}, "
        f"success {summary['success_rate']:.2f}"
    )


if __name__ == "__main__":
    main()
