"""Drives a running `ztgym serve` through the unmodified openenv-core client: every environment
it serves to the end of episodes, its state, close, error replies, concurrency, MCP, the schemas
against the Python types, and `openenv validate --url`. A plain script (no pytest in the venv):
the last line is `N passed, N failed`.

    python python/tests/test_openenv.py --url http://127.0.0.1:8000 --bin target/debug/ztgym
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import traceback
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "examples"))

import jsonschema  # noqa: E402  (installed with openenv-core, through fastmcp)

from ztgym_openenv import CLIENTS, PLAYBOOKS, Propose, SreEnv, SreObservation, Wait  # noqa: E402
from ztgym_openenv import TriageAction, TriageEnv  # noqa: E402
from ztgym_openenv import sre as sre_module  # noqa: E402

import play  # noqa: E402

RESULTS = {"passed": 0, "failed": 0}

# Per environment: an action that is always well-formed, and reset options that pick a variant.
# The observation's step counter too.
IDLE = {
    "sre": Wait,
    "harden": lambda: Propose(id="rotate_key", params={}),
    "triage": lambda: TriageAction(decision="allow", confidence=0.5, reasoning="No red flags."),
}
VARIANT = {
    "sre": {"level": "intermediate"},
    "harden": {"environment": "stage"},
    "triage": {"scenario": "L2"},
}
COUNTER = {"sre": "step", "harden": "cycle", "triage": "step"}


def check(name):
    def run(fn):
        started = time.monotonic()
        try:
            fn()
        except Exception:  # noqa: BLE001 - every failure is reported and counted
            RESULTS["failed"] += 1
            print(f"FAIL {name}")
            traceback.print_exc()
        else:
            RESULTS["passed"] += 1
            print(f"ok   {name} ({time.monotonic() - started:.2f}s)")
        return fn

    return run


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def post(url, body):
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.load(r)


def expect_error(code, fn):
    try:
        fn()
    except RuntimeError as e:  # EnvClient raises on an error reply
        assert f"(code: {code})" in str(e), str(e)
        return str(e)
    raise AssertionError(f"expected a {code} error reply")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--bin", help="the ztgym binary, for a second server with one slot")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    served = [e["id"] for e in get(f"{url}/metadata")["envs"]]
    served_default = "sre"  # `ztgym serve` without --env

    @check("every environment served has a client and a playbook")
    def _():
        assert served, "no environment served"
        for env_id in served:
            assert env_id in CLIENTS and env_id in PLAYBOOKS, env_id

    for env_id in served:

        @check(f"{env_id}: episodes to the end through the unmodified client (reset, step, state, close)")
        def _(env_id=env_id):
            for seed in range(4):
                summary = play.play(url, env_id, seed, quiet=True)
                assert summary["steps"] >= 1, summary
                assert summary["episode_id"], summary

        @check(f"{env_id}: observations are typed, carry the prompt, and fit GET /schema")
        def _(env_id=env_id):
            schema = get(f"{url}/schema?env={env_id}")
            playbook = PLAYBOOKS[env_id]()
            with CLIENTS[env_id](base_url=url).sync() as env:
                result = env.reset(seed=11)
                steps = 0
                while True:
                    obs = result.observation
                    assert isinstance(obs, CLIENTS[env_id].OBSERVATION)
                    assert obs.prompt, "no prompt"
                    wire = obs.model_dump(exclude={"reward", "done", "metadata"})
                    jsonschema.validate(wire, schema["observation"])
                    if result.done:
                        break
                    action = playbook.act(obs)
                    jsonschema.validate(action.model_dump(exclude={"metadata"}), schema["action"])
                    result = env.step(action)
                    steps += 1
                state = env.state()
                jsonschema.validate(state.model_dump(), schema["state"])
                assert state.step_count == steps, (state.step_count, steps)
                assert state.env == env_id

        @check(f"{env_id}: error replies raise with their code and the session goes on")
        def _(env_id=env_id):
            idle = IDLE[env_id]
            with CLIENTS[env_id](base_url=url).sync() as env:
                # Before reset: a session plays the server's default environment (sre here)
                # until a reset names another, so another's action does not even parse.
                before = "EXECUTION_ERROR" if env_id == served_default else "VALIDATION_ERROR"
                expect_error(before, lambda: env.step(idle()))
                env.reset(seed=3)
                expect_error("VALIDATION_ERROR", lambda: env.step({"tool": "teleport"}))
                expect_error("VALIDATION_ERROR", lambda: env.reset(seed=-1))
                expect_error("VALIDATION_ERROR", lambda: env.reset(scenario="nowhere"))
                assert env.state().step_count == 0
                result = env.step(idle())
                assert not result.done and env.state().step_count == 1
                while not result.done:
                    result = env.step(idle())
                expect_error("EXECUTION_ERROR", lambda: env.step(idle()))  # after the end
                assert getattr(env.reset(seed=4).observation, COUNTER[env_id]) == 0

        @check(f"{env_id}: the same seed replays the same episode")
        def _(env_id=env_id):
            runs = []
            for _ in range(2):
                with CLIENTS[env_id](base_url=url).sync() as env:
                    prompts = [env.reset(seed=21, **VARIANT[env_id]).observation.prompt]
                    for _ in range(3):
                        prompts.append(env.step(IDLE[env_id]()).observation.prompt)
                    runs.append(prompts)
            assert runs[0] == runs[1]

    @check("triage: an episode ends with a grade, and no observation names a message's class")
    def _():
        playbook = PLAYBOOKS["triage"]()
        with TriageEnv(base_url=url).sync() as env:
            result = env.reset(seed=5, scenario="L1")
            classes = set()
            while not result.done:
                obs = result.observation
                wire = json.dumps(obs.model_dump(exclude={"info", "metadata"}))
                assert '"class"' not in wire and "hard_negative" not in wire, wire
                result = env.step(playbook.act(obs))
                classes.add(result.observation.info["last"]["class"])
            grade = result.observation.info["grade"]
            assert 0.0 <= grade["score"] <= 1.0 and grade["letter"] in ("A+", "A", "B", "C", "D", "F"), grade
            assert env.state().step_count == 50
            assert "safe" in classes and len(classes) >= 2, classes
            expect_error("VALIDATION_ERROR", lambda: env.reset(seed=1, scenario="L9"))
            env.reset(seed=1)
            try:
                env.step({"decision": "block", "confidence": 2, "reasoning": "x"})
            except RuntimeError as e:
                assert "confidence" in str(e), str(e)
            else:
                raise AssertionError("a confidence of 2 was accepted")
            assert env.state().step_count == 0

    @check("sre: typed actions match the server's tools and action schema")
    def _():
        schema = get(f"{url}/schema?env=sre")
        tools = post(f"{url}/mcp", {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"env": "sre"}})
        names = [t["name"] for t in tools["result"]["tools"]]
        assert names == [a.model_fields["tool"].default for a in sre_module.ACTIONS], names
        for tool in tools["result"]["tools"]:
            cls = next(a for a in sre_module.ACTIONS if a.model_fields["tool"].default == tool["name"])
            fields = set(cls.model_fields) - {"tool", "metadata"}
            assert fields == set(tool["inputSchema"]["properties"]), (tool["name"], fields)
        obs_fields = set(SreObservation.model_fields) - {"reward", "done", "metadata"}
        assert obs_fields == set(schema["observation"]["properties"]), obs_fields ^ set(schema["observation"]["properties"])

    @check("sre: 16 async clients play at once, each its own episode")
    def _():
        async def one(seed):
            async with SreEnv(base_url=url) as env:
                playbook = PLAYBOOKS["sre"]()
                result = await env.reset(seed=seed, scenario="enterprise")
                while not result.done:
                    result = await env.step(playbook.act(result.observation))
                state = await env.state()
                return state.seed, state.step_count, result.observation.info["outcome"]

        async def all_of_them():
            return await asyncio.gather(*(one(s) for s in range(16)))

        results = asyncio.run(all_of_them())
        assert [r[0] for r in results] == list(range(16)), results
        assert all(r[1] >= 1 for r in results), results

    @check("mcp: a session opened over HTTP plays with tools/call")
    def _():
        created = post(f"{url}/mcp", {"jsonrpc": "2.0", "id": 1, "method": "openenv/session/create", "params": {"seed": 5}})
        sid = created["result"]["session_id"]
        called = post(f"{url}/mcp", {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                                     "params": {"session_id": sid, "name": "wait", "arguments": {}}})
        assert called["result"]["isError"] is False, called
        assert "Reward" in called["result"]["content"][0]["text"]
        closed = post(f"{url}/mcp", {"jsonrpc": "2.0", "id": 3, "method": "openenv/session/close", "params": {"session_id": sid}})
        assert closed["result"]["closed"] is True

    @check("openenv validate --url passes")
    def _():
        openenv = os.path.join(os.path.dirname(sys.executable), "openenv")
        out = subprocess.run([openenv, "validate", "--url", url], capture_output=True, text=True, timeout=120)
        report = json.loads(out.stdout)
        print(f"     openenv validate: passed={report['passed']} {report['summary']['passed_count']}/"
              f"{report['summary']['total_count']} criteria, profile {report['standard_profile']}, mode {report['mode']}")
        assert out.returncode == 0 and report["passed"], out.stdout + out.stderr

    if args.bin:

        @check("capacity: past --max-sessions a client gets CAPACITY_REACHED; the server goes on")
        def _():
            port = free_port()
            proc = subprocess.Popen([args.bin, "serve", "--port", str(port), "--max-sessions", "1"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                small = f"http://127.0.0.1:{port}"
                for _ in range(100):
                    try:
                        get(f"{small}/health")
                        break
                    except OSError:
                        time.sleep(0.05)
                with SreEnv(base_url=small).sync() as first:
                    first.reset(seed=1)
                    second = SreEnv(base_url=small).sync()
                    second.connect()
                    expect_error("CAPACITY_REACHED", lambda: second.reset(seed=2))
                    second.close()
                    assert first.step(Wait()).observation.step == 1
                # The slot is free again once the first client closed.
                for _ in range(100):
                    try:
                        with SreEnv(base_url=small).sync() as third:
                            assert third.reset(seed=3).observation.step == 0
                        break
                    except RuntimeError:
                        time.sleep(0.05)
                else:
                    raise AssertionError("the slot was never freed")
                proc.terminate()  # SIGTERM: a graceful stop
                assert proc.wait(timeout=15) == 0
            finally:
                if proc.poll() is None:
                    proc.kill()

    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
