"""Bad input from Python: a Python exception naming what is wrong, never a crash."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ztgym


def test_unknown_names_are_value_errors():
    with pytest.raises(ValueError, match=r'env: unknown environment "nope" \(known: sre'):
        ztgym.ZtgymEnv("nope")
    with pytest.raises(ValueError, match=r"atlantis: name: no built-in scenario of that name \(known: classic"):
        ztgym.ZtgymEnv("sre", scenario="atlantis")
    with pytest.raises(ValueError, match=r'level: unknown level "godlike" \(known: warmup'):
        ztgym.ZtgymEnv("sre", level="godlike")
    with pytest.raises(ValueError, match="task"):
        ztgym.ZtgymEnv("triage", task="L9")
    with pytest.raises(ValueError, match="name different scenarios"):
        ztgym.ZtgymEnv("triage", scenario="L1", task="L2")
    with pytest.raises(TypeError, match="scenario: expected a string, got int"):
        ztgym.ZtgymEnv("sre", scenario=3)


def test_missing_and_hostile_files_are_named(tmp_path):
    with pytest.raises(ValueError, match="missing.toml"):
        ztgym.ZtgymEnv("sre", scenario=str(tmp_path / "missing.toml"))
    bad = tmp_path / "bad.rego"
    bad.write_text("package x\nallow := \n")
    with pytest.raises(ValueError, match="bad.rego"):
        ztgym.ZtgymEnv("sre", gate=str(bad))
    junk = tmp_path / "junk.toml"
    junk.write_bytes(b"\x00\xff\x1b[31m not toml")
    with pytest.raises(ValueError) as e:
        ztgym.ZtgymEnv("sre", scenario=str(junk))
    assert "\x1b" not in str(e.value)


@pytest.mark.parametrize(
    "action, error, words",
    [
        (7, ValueError, "out of range"),
        (-1, ValueError, "out of range"),
        (2**70, ValueError, "out of range"),
        (1.5, TypeError, "expected an integer"),
        (math.nan, TypeError, "expected an integer"),
        ("0", TypeError, "expected an integer"),
        (None, TypeError, "expected an integer"),
        (True, TypeError, "expected an integer"),
        (np.array([0, 1]), ValueError, "shape"),
        (np.array(0.0), TypeError, "dtype float64"),
    ],
)
def test_bad_actions_raise_and_change_nothing(action, error, words):
    env = ztgym.ZtgymEnv("sre")
    env.reset(seed=2)
    before = env._native.observation_json()
    with pytest.raises(error, match=words):
        env.step(action)
    assert env._native.observation_json() == before
    env.step(np.int64(0))  # still playable


def test_wrong_state_calls_are_runtime_errors():
    env = ztgym.ZtgymEnv("sre")
    with pytest.raises(RuntimeError, match="step before reset"):
        env.step(0)
    env.reset(seed=0)
    done = False
    while not done:
        *_, terminated, truncated, _ = env.step(6)
        done = terminated or truncated
    with pytest.raises(RuntimeError, match="after the episode ended"):
        env.step(0)
    env.close()
    with pytest.raises(RuntimeError, match="after close"):
        env.step(0)
    with pytest.raises(RuntimeError, match="after close"):
        env.reset(seed=0)


def test_bad_seeds_and_options():
    env = ztgym.ZtgymEnv("sre")
    with pytest.raises(ValueError, match="seed"):
        env.reset(seed=-1)
    with pytest.raises(ValueError, match="options"):
        env.reset(seed=0, options={"level": "expert"})


def test_vector_bad_input():
    v = ztgym.ZtgymVectorEnv("sre", num_envs=4)
    with pytest.raises(RuntimeError, match="step before reset"):
        v.step(np.zeros(4, dtype=np.int64))
    v.reset(seed=0)
    with pytest.raises(ValueError, match=r"expected shape \(4,\), got \(3,\)"):
        v.step(np.zeros(3, dtype=np.int64))
    with pytest.raises(TypeError, match=r"expected integers, got dtype float64 \(with NaN\)"):
        v.step(np.array([0, 1, np.nan, 2]))
    with pytest.raises(ValueError, match=r"actions\[2\]: 9 is out of range \(0..7\)"):
        v.step(np.array([0, 1, 9, 2]))
    with pytest.raises(ValueError, match="num_envs"):
        ztgym.ZtgymVectorEnv("sre", num_envs=0)
    with pytest.raises(ValueError, match="autoreset_mode|AutoresetMode"):
        ztgym.ZtgymVectorEnv("sre", num_envs=2, autoreset_mode="sometimes")
    with pytest.raises(ValueError, match="reset_mask"):
        v.reset(options={"reset_mask": np.ones(3, dtype=bool)})
    v.close()
    with pytest.raises(RuntimeError, match="after close"):
        v.step(np.zeros(4, dtype=np.int64))


def test_session_bad_json_and_refused_actions():
    s = ztgym.Session("sre")
    s.reset(0)
    with pytest.raises(ValueError, match="action: not JSON"):
        s.step("{not json")
    with pytest.raises(ValueError, match="step.action"):
        s.step('{"tool": "teleport"}')
    with pytest.raises(RuntimeError):
        s.step('{"tool": "isolate_node", "node": "atlantis"}')
    s.close()
    with pytest.raises(RuntimeError, match="closed"):
        s.state()


def test_in_process_commands_refuse_what_the_cli_refuses_and_write_nothing(tmp_path):
    from ztgym.commands import command

    with pytest.raises(ValueError, match="serve: not available with --env sre"):
        command("sre", "serve")
    with pytest.raises(ValueError, match=r"eval: unknown option --bogus \(options: --agent"):
        command("sre", "eval", bogus=1)
    with pytest.raises(ValueError, match=r"train: --episodes must be at most 100000000"):
        command("sre", "train", agent="q", scenario="classic", episodes=10**15, out="p.json")
    with pytest.raises(ValueError, match='env: unknown environment "nope"'):
        command("nope", "eval")
    # The policy a training would write comes back as text; no file appears.
    out = tmp_path / "policy.json"
    files = command("sre", "train", agent="q", scenario="classic", episodes=2, out=str(out))["files"]
    assert list(files) == [str(out)] and '"env"' in files[str(out)]
    assert not out.exists()


def test_vector_sizes_are_bounded():
    with pytest.raises(ValueError, match=r"num_envs: 2097152 is not between 1 and 1048576"):
        ztgym.ZtgymVectorEnv("sre", num_envs=2**21)
    with pytest.raises(ValueError, match=r"threads: 0 is not between 1 and 256"):
        ztgym.ZtgymVectorEnv("sre", num_envs=4, threads=0)
    with pytest.raises(TypeError, match="num_envs: expected an integer"):
        ztgym.ZtgymVectorEnv("sre", num_envs=4.0)
