"""The single environments through Gymnasium: registration, check_env, spaces, masks, cost,
prompts, wrappers, determinism."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import ztgym
from conftest import random_episode


def test_import_registers_one_id_per_environment():
    ids = {ztgym.gym_id(info["id"]) for info in ztgym.environments()}
    assert {"ztgym/SRE-v0", "ztgym/Triage-v0", "ztgym/Harden-v0"} <= ids
    for gid in ids:
        assert gid in gymnasium.registry


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_check_env_passes(env_id):
    env = gymnasium.make(ztgym.gym_id(env_id))
    check_env(env.unwrapped)


def test_every_scenario_makes_an_environment_with_the_same_spaces(env_id):
    info = next(i for i in ztgym.environments() if i["id"] == env_id)
    default = ztgym.ZtgymEnv(env_id)
    for scenario in info["scenarios"]:
        env = ztgym.ZtgymEnv(env_id, scenario=scenario)
        assert env.observation_space == default.observation_space, scenario
        obs, info_ = env.reset(seed=3)
        assert obs.dtype == np.float32 and env.observation_space.contains(obs)
        assert info_["action_mask"].dtype == np.int8
        assert info_["action_mask"].shape == (env.action_space.n,)
        assert env.scenario


def test_observations_stay_in_the_space_and_costs_are_reported(env_id):
    env = ztgym.ZtgymEnv(env_id)
    for seed in range(3):
        for obs, _, reward, cost, *_ in random_episode(env, seed, rng_seed=seed):
            assert env.observation_space.contains(obs)
            assert np.isfinite(reward) and cost >= 0.0


def test_same_seed_and_actions_give_the_same_episode(env_id):
    a = random_episode(ztgym.ZtgymEnv(env_id), seed=11, rng_seed=5)
    b = random_episode(ztgym.ZtgymEnv(env_id), seed=11, rng_seed=5)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert np.array_equal(x[0], y[0]) and x[1:] == y[1:]


def test_make_with_keyword_arguments():
    env = gymnasium.make("ztgym/SRE-v0", scenario="enterprise", level="expert")
    env.reset(seed=0)
    assert env.unwrapped.scenario == "enterprise"
    triage = gymnasium.make("ztgym/Triage-v0", task="L2")
    assert triage.unwrapped.scenario == "L2"
    harden = gymnasium.make("ztgym/Harden-v0", level="prod")
    _, info = harden.reset(seed=0)
    assert "prod" in info["prompt"]


def test_prompt_and_render_carry_the_text():
    env = gymnasium.make("ztgym/SRE-v0", render_mode="ansi")
    _, info = env.reset(seed=1)
    assert "classic" in info["prompt"] and env.render() == info["prompt"]
    assert "prompt" not in ztgym.ZtgymEnv("sre", prompt=False).reset(seed=1)[1]


def test_the_mask_is_the_gates_judgement():
    # Isolating before any ticket breaks the SRE gym's rules: masked out, and it costs.
    env = ztgym.ZtgymEnv("sre")
    _, info = env.reset(seed=1)
    isolate = env.action_names.index("isolate")
    investigate = env.action_names.index("investigate")
    env.step(investigate)
    mask = env.action_masks()
    assert mask.dtype == bool and not mask[isolate]
    _, _, _, _, info = env.step(isolate)
    assert info["cost"] > 0
    strict = ztgym.ZtgymEnv("sre", enforce_mask=True)
    strict.reset(seed=1)
    strict.step(investigate)
    with pytest.raises(ValueError, match=r"action 4 \(isolate\) is outside info\['action_mask'\]"):
        strict.step(isolate)


def test_safety_wrapper_returns_six_values():
    env = ztgym.SafetyWrapper(ztgym.ZtgymEnv("sre"))
    env.reset(seed=1)
    obs, reward, cost, terminated, truncated, info = env.step(0)
    assert cost == info["cost"] and isinstance(cost, float)


def test_lagrangian_wrapper_raises_lambda_while_episodes_cost():
    env = ztgym.LagrangianWrapper(ztgym.ZtgymEnv("sre"), cost_limit=0.0, lr=0.5)
    isolate = env.unwrapped.action_names.index("isolate")
    env.reset(seed=1)
    shaped_total, raw_total, done = 0.0, 0.0, False
    while not done:
        _, shaped, terminated, truncated, info = env.step(isolate)
        shaped_total += shaped
        raw_total += info["reward"]
        done = terminated or truncated
    cost = env.unwrapped.totals()["cost"]
    assert cost > 0 and env.multiplier.value == pytest.approx(0.5 * cost)
    env.reset(seed=1)
    _, shaped, _, _, info = env.step(isolate)
    assert shaped == pytest.approx(info["reward"] - info["lagrange_multiplier"] * info["cost"])


def test_scenario_files_and_gate_files(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    gate = root / "crates" / "ztgym-sre" / "policies" / "sre_gate.rego"
    plain = random_episode(ztgym.ZtgymEnv("sre"), seed=4, rng_seed=4)
    rego = random_episode(ztgym.ZtgymEnv("sre", gate=str(gate)), seed=4, rng_seed=4)
    # The shipped Rego gate states the built-in gate's rules: the same episode.
    assert [s[1:] for s in plain] == [s[1:] for s in rego]
    # A scenario file: the built-in classic's text under another name plays as classic does.
    text = (root / "crates" / "ztgym-sre" / "data" / "scenarios" / "classic.toml").read_text()
    copy = tmp_path / "copy.toml"
    copy.write_text(text)
    from_file = random_episode(ztgym.ZtgymEnv("sre", scenario=str(copy)), seed=4, rng_seed=4)
    assert [s[1:] for s in plain] == [s[1:] for s in from_file]


def test_a_rego_gate_decides_the_mask(tmp_path):
    # A gate that breaks no rule for anything: nothing is masked, nothing costs.
    lax = tmp_path / "lax.rego"
    lax.write_text("package ztgym.sre\n\nbroken := []\n\nallow := true\n")
    env = ztgym.ZtgymEnv("sre", gate=str(lax))
    env.reset(seed=1)
    env.step(env.action_names.index("investigate"))
    assert env.action_masks().all()
    _, _, _, _, info = env.step(env.action_names.index("isolate"))
    assert info["cost"] == 0.0


def test_a_harden_gate_may_be_a_bundle_directory(tmp_path):
    from pathlib import Path
    import shutil

    root = Path(__file__).resolve().parents[3]
    bundle = root / "crates" / "ztgym-harden" / "tests" / "fixtures" / "uc01-bundle" / "policy"
    scenario = "uc01-network-exposure"
    # Use case 1 rewritten as a bundle (a library, data.json, tests) plays as the built-in.
    plain = random_episode(ztgym.ZtgymEnv("harden", scenario=scenario), seed=2, rng_seed=2)
    split = random_episode(
        ztgym.ZtgymEnv("harden", scenario=scenario, gate=str(bundle)), seed=2, rng_seed=2
    )
    assert [s[1:] for s in plain] == [s[1:] for s in split]
    # The data decides: protecting every service masks every network change.
    strict = tmp_path / "strict"
    shutil.copytree(bundle, strict)
    (strict / "data.json").write_text(
        '{"network": {"protected_services": ["storefront", "admin-portal", "reports-api",'
        ' "ingress-gateway", "db"], "approved_admin_ranges": {}}}'
    )
    env = ztgym.ZtgymEnv("harden", scenario=scenario, gate=str(strict))
    env.reset(seed=2)
    assert not env.action_masks()[env.action_names.index("tighten_inbound_rule")]
    # A broken module is named at its file and line.
    (strict / "lib" / "actions.rego").write_text("package lib.actions\n\nknown := {\n")
    with pytest.raises(ValueError, match=r"actions\.rego:\d+:\d+"):
        ztgym.ZtgymEnv("harden", scenario=scenario, gate=str(strict))
