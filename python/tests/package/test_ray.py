"""ztgym.distributed on a real local two-node Ray cluster (two raylets, one CPU each, on this
machine): a small Tune sweep of the Lagrangian learner and a distributed evaluation whose
actors run on both nodes and whose figures equal the in-process evaluation's."""

from __future__ import annotations

import math

import pytest

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'ray[tune]')")
pytest.importorskip("ray.tune", reason="ray[tune] is not installed")

from ray.cluster_utils import Cluster  # noqa: E402

from ztgym import distributed  # noqa: E402
from ztgym.commands import command  # noqa: E402
from ztgym.evaluation import evaluate_in_process, train_and_evaluate  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    """Head and one worker node, one CPU each; shut down when the module's tests end."""
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    try:
        cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        cluster.shutdown()


def node_ids(cluster) -> set:
    return {node.node_id for node in cluster.list_all_nodes()}


def test_sweep_runs_every_trial(cluster):
    grid = {"lambda_lr": [0.02, 0.2, 1.0]}
    settings = dict(episodes=100, eval_episodes=5, eval_seed=500)
    sweep = distributed.tune_lagrangian(
        "sre", "classic", seeds=(3,), grid=grid, address=cluster.address, **settings
    )
    assert not ray.is_initialized()
    assert [(row["lambda_lr"], row["seed"]) for row in sweep.table] == [(0.02, 3), (0.2, 3), (1.0, 3)]
    for row in sweep.table:
        for metric in ("mean_return", "mean_cost", "success_rate", "lambda"):
            assert math.isfinite(row[metric]), row
        assert row["node"] in node_ids(cluster)
        here = train_and_evaluate("sre", "classic", {"lambda_lr": row["lambda_lr"]}, seed=3, **settings)
        assert {k: row[k] for k in here} == here
    assert sweep.best["config"]["lambda_lr"] in grid["lambda_lr"]
    assert sweep.best["seeds"] == [3]


@pytest.mark.parametrize("env,scenario", [("sre", "classic"), ("triage", "L1")])
def test_distributed_evaluation_equals_in_process(cluster, env, scenario):
    if env == "sre":
        player = command(
            env, "train", agent="q-lagrangian", scenario=scenario, episodes=200, seed=1, out="p.json"
        )["files"]["p.json"]
    else:
        player = "rule-based"
    seeds = list(range(20, 28))
    result = distributed.evaluate(player, env, scenario, seeds, actors=2, address=cluster.address)
    assert not ray.is_initialized()
    assert {actor["node"] for actor in result["actors"]} == node_ids(cluster)
    assert sorted(s for actor in result["actors"] for s in actor["seeds"]) == seeds
    here = evaluate_in_process(player, env, scenario, seeds)
    assert {k: v for k, v in result.items() if k != "actors"} == here


def test_bad_input_fails_before_ray_starts():
    with pytest.raises(ValueError, match=r"grid\['nope'\]"):
        distributed.tune_lagrangian("sre", grid={"nope": [1]})
    with pytest.raises(ValueError, match="seed"):
        distributed.tune_lagrangian("sre", grid={"seed": [1]})
    with pytest.raises(ValueError, match='unknown agent "nope"'):
        distributed.evaluate("nope", "sre", seeds=[0])
    with pytest.raises(ValueError, match="actors"):
        distributed.evaluate("sop", "sre", seeds=[0], actors=0)
    assert not ray.is_initialized()
