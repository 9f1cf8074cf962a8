"""Trajectory files from Python: the writer records the one format ``ztgym run`` writes, the
file verifies (natively and with the ``ztgym`` binary when one is built), a tampered reward is
flagged at its step, and a bad file is a ``ValueError`` naming its line and field."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import ztgym
from ztgym.commands import command
from ztgym.trajectory import TrajectoryWriter, record_trajectory, verify_trajectory

ROOT = Path(__file__).resolve().parents[3]


def triage_agent(observation: dict, info: dict) -> dict:
    return {"decision": "block" if observation["risk_score"] > 0.5 else "allow", "confidence": 0.7, "reasoning": "risk score"}


def ztgym_binary() -> str | None:
    """The CLI to check files with: $ZTGYM_BIN, else a build in target/, else one on PATH."""
    for candidate in (os.environ.get("ZTGYM_BIN"), ROOT / "target" / "debug" / "ztgym", ROOT / "target" / "release" / "ztgym"):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    return shutil.which("ztgym")


def test_a_recorded_episode_verifies_and_has_the_documented_shape(tmp_path):
    path = tmp_path / "run.jsonl"
    text = record_trajectory("triage", triage_agent, path, scenario="L1", seed=4, name="my-agent")
    assert path.read_text() == text
    header, *steps = [json.loads(line) for line in text.splitlines()]
    assert header == {
        "format": "ztgym-trajectory",
        "version": 1,
        "env": "triage",
        "scenario": "L1",
        "options": None,
        "seed": 4,
        "agent": "my-agent",
        "inputs": {},
    }
    assert [s["t"] for s in steps] == list(range(len(steps)))
    assert set(steps[0]) == {"t", "action", "reward", "cost", "terminated", "truncated", "observation_digest"}
    assert steps[-1]["terminated"] or steps[-1]["truncated"]
    verdict = verify_trajectory(text)
    assert verdict["verified"] and verdict["complete"] and verdict["steps"] == len(steps)
    assert verdict["first_mismatch"] is None


def test_the_writers_file_verifies_with_the_cli(tmp_path):
    binary = ztgym_binary()
    if binary is None:
        pytest.skip("no ztgym binary built (cargo build -p ztgym-cli) and none on PATH")
    path = tmp_path / "run.jsonl"
    writer = TrajectoryWriter("sre", "classic", agent="waiter")
    writer.reset(seed=3, options={"level": "expert"})
    done = False
    while not done:
        step = writer.step({"tool": "wait"})
        done = step["terminated"] or step["truncated"]
    writer.save(path)
    assert len(writer) == len(path.read_text().splitlines()) - 1
    out = subprocess.run([binary, "verify", str(path), "--json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    verdict = json.loads(out.stdout)
    assert verdict["verified"] and verdict["env"] == "sre" and verdict["agent"] == "waiter"


def test_the_writer_writes_what_the_cli_writes():
    """The CLI's run replayed through the writer gives the CLI's file, step lines and all."""
    cli = command("harden", "run", scenario="seed001", agent="greedy", seed=2, trajectory="t.jsonl")["files"]["t.jsonl"]
    header, *lines = cli.splitlines()
    writer = TrajectoryWriter("harden", "seed001", agent="greedy")
    writer.reset(seed=2, options=json.loads(header)["options"])
    for line in lines:
        writer.step(json.loads(line)["action"])
    assert writer.text() == cli


def test_a_tampered_reward_is_flagged_at_its_step():
    text = record_trajectory("triage", triage_agent, scenario="L2", seed=1)
    lines = text.splitlines()
    step = json.loads(lines[3])
    step["reward"] += 1.0
    lines[3] = json.dumps(step)
    verdict = verify_trajectory("\n".join(lines))
    assert not verdict["verified"]
    assert verdict["first_mismatch"] == 2
    assert verdict["mismatches"][0]["differences"][0]["field"] == "reward"


def test_bad_files_and_actions_are_named():
    text = record_trajectory("triage", triage_agent, scenario="L1", seed=0)
    header = text.splitlines()[0]
    with pytest.raises(ValueError, match="line 2: not JSON"):
        verify_trajectory(header + "\n{oops\n")
    with pytest.raises(ValueError, match=r'line 1: field env: unknown environment "chess"'):
        verify_trajectory(text.replace('"env":"triage"', '"env":"chess"'))
    with pytest.raises(ValueError, match=r"version 2 is not known"):
        verify_trajectory(text.replace('"version":1', '"version":2'))
    writer = TrajectoryWriter("triage", "L1")
    with pytest.raises(RuntimeError, match="reset first"):
        writer.step({})
    writer.reset(seed=0)
    with pytest.raises(ValueError):
        writer.step({"decision": "teleport", "confidence": 0.5, "reasoning": "x"})
    assert len(writer) == 0
    with pytest.raises(ValueError, match="max_steps"):
        record_trajectory("triage", triage_agent, max_steps=0)
