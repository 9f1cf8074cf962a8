"""ztgym.evaluation, the units of work the Ray functions spread out: seed-by-seed evaluation
against the CLI's own evaluation, train-then-evaluate, and the errors raised before any work."""

from __future__ import annotations

import math

import pytest

from ztgym.commands import command
from ztgym.evaluation import SeedEvaluator, evaluate_in_process, set_option, train_and_evaluate


def trained_policy(env: str = "sre", scenario: str = "classic", episodes: int = 200) -> str:
    out = command(
        env, "train", agent="q-lagrangian", scenario=scenario, episodes=episodes, seed=1, out="p.json"
    )
    return out["files"]["p.json"]


@pytest.mark.parametrize(
    "env,scenario,player",
    [("sre", "classic", None), ("triage", "L1", "rule-based"), ("harden", "seed001", "greedy")],
)
def test_seed_by_seed_equals_the_cli_evaluation(tmp_path, env, scenario, player):
    if player is None:
        player = trained_policy(env, scenario)
        path = tmp_path / "p.json"
        path.write_text(player)
        cli = command(env, "eval", policy=str(path), scenario=scenario, episodes=6, seed=40)["result"]
    else:
        cli = command(env, "eval", agent=player, scenario=scenario, episodes=6, seed=40)["result"]
    ours = evaluate_in_process(player, env, scenario, range(40, 46))
    close = 1e-6  # triage's eval rounds its figures to 6 decimals
    assert [s["seed"] for s in ours["per_seed"]] == list(range(40, 46))
    assert ours["episodes"] == 6
    assert ours["mean_return"] == pytest.approx(cli["mean_return"], abs=close)
    assert ours["mean_cost"] == pytest.approx(cli["mean_cost"], abs=close)
    assert ours["success_rate"] == pytest.approx(cli.get("success_rate", cli.get("pass_rate")), abs=close)


def test_policy_file_lives_until_close():
    evaluator = SeedEvaluator(trained_policy(), "sre")
    assert evaluator.scenario == "classic"
    first = evaluator.evaluate(3)
    assert evaluator.evaluate(3) == first and math.isfinite(first["return"])
    evaluator.close()
    with pytest.raises(ValueError, match="policy"):
        evaluator.evaluate(3)


def test_train_and_evaluate_per_environment():
    for env in ("sre", "triage", "harden"):
        row = train_and_evaluate(
            env, None, {"lambda_lr": 0.1}, seed=0, episodes=50, eval_episodes=3, eval_seed=100
        )
        assert set(row) == {"mean_return", "mean_cost", "success_rate", "lambda"}
        assert math.isfinite(row["mean_return"]) and row["lambda"] is not None, (env, row)
        again = train_and_evaluate(
            env, None, {"lambda_lr": 0.1}, seed=0, episodes=50, eval_episodes=3, eval_seed=100
        )
        assert again == row


def test_bad_input_is_named():
    assert set_option({"mask": True, "alpha": 0.5}) == "mask=true,alpha=0.5"
    with pytest.raises(ValueError, match="name"):
        set_option({"a=b": 1})
    with pytest.raises(ValueError, match='unknown agent "nope"'):
        evaluate_in_process("nope", "sre", None, [0])
    with pytest.raises(ValueError, match="unknown environment 'nope'"):
        evaluate_in_process("sop", "nope", None, [0])
    with pytest.raises(ValueError, match="no seed"):
        evaluate_in_process("sop", "sre", None, [])
    with pytest.raises(ValueError, match="lambda_lr"):
        train_and_evaluate("sre", None, {"lambda_lr": "fast"}, 0, 10, 1, 0)
