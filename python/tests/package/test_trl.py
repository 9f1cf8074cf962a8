"""The TRL tool environments (ztgym.trl): the tools TRL would publish and their schemas, CLI
episodes replayed through the tools, bad arguments answered as text, the reward functions."""

from __future__ import annotations

import inspect
import json
import math
import re

import pytest

from ztgym.commands import command
from ztgym.trl import (
    HardenToolEnv,
    SREToolEnv,
    TriageToolEnv,
    reward_by_the_book,
    reward_return,
    tool_call,
)

TOOLS = {
    SREToolEnv: {
        "query_siem_logs",
        "file_ticket",
        "check_approval",
        "isolate_node",
        "restore_node",
        "patch_node",
        "wait",
    },
    TriageToolEnv: {"allow", "block", "warn", "investigate"},
    HardenToolEnv: {"propose"},
}
# (class, environment, scenario, agents whose CLI episodes are replayed)
PLAYS = [
    (SREToolEnv, "sre", "classic", ("sop", "random")),
    (SREToolEnv, "sre", "enterprise", ("sop",)),
    (TriageToolEnv, "triage", "L1", ("rule-based", "random")),
    (HardenToolEnv, "harden", "seed001", ("greedy", "random")),
]


def tools_of(environment) -> dict:
    """The methods TRL publishes as tools: every public bound method but ``reset``."""
    return {
        name: member
        for name, member in inspect.getmembers(environment, predicate=inspect.ismethod)
        if name != "reset" and not name.startswith("_")
    }


def documented_arguments(doc: str) -> list[str]:
    """The names listed in a Google-style docstring's ``Args:`` section (the lines at the first
    entry's indentation; deeper ones continue a description)."""
    lines = [line for line in doc.split("Args:", 1)[1].split("\n") if line.strip()]
    indent = len(lines[0]) - len(lines[0].lstrip())
    names = []
    for line in lines:
        if len(line) - len(line.lstrip()) < indent:
            break
        match = re.match(r"(\w+):", line[indent:])
        if len(line) - len(line.lstrip()) == indent and match:
            names.append(match.group(1))
    return names


@pytest.mark.parametrize("cls", list(TOOLS), ids=lambda c: c.__name__)
def test_public_methods_are_exactly_the_tools(cls):
    assert set(tools_of(cls())) == TOOLS[cls]


@pytest.mark.parametrize("cls", list(TOOLS), ids=lambda c: c.__name__)
def test_every_tool_documents_exactly_its_arguments(cls):
    for name, method in tools_of(cls()).items():
        doc = inspect.getdoc(method)
        assert doc and "Args:" in doc, f"{cls.__name__}.{name}: no Args: section"
        assert doc.split("\n")[0].strip(), f"{cls.__name__}.{name}: no description"
        parameters = list(inspect.signature(method).parameters)
        assert documented_arguments(doc) == parameters, f"{cls.__name__}.{name}"
        for p in inspect.signature(method).parameters.values():
            assert p.annotation is not inspect.Parameter.empty, f"{cls.__name__}.{name}({p.name}): no type"


@pytest.mark.parametrize("cls", list(TOOLS), ids=lambda c: c.__name__)
def test_transformers_schemas_match_the_signatures(cls):
    utils = pytest.importorskip(
        "transformers.utils",
        reason="transformers is not installed (pip install transformers, no torch needed)",
        exc_type=ImportError,
    )
    for name, method in tools_of(cls()).items():
        schema = utils.get_json_schema(method)["function"]
        signature = inspect.signature(method).parameters
        assert schema["name"] == name
        assert schema["description"]
        properties = schema["parameters"]["properties"]
        assert list(properties) == list(signature), name
        required = [p for p, v in signature.items() if v.default is inspect.Parameter.empty]
        assert schema["parameters"].get("required", []) == required, name
        for parameter, spec in properties.items():
            assert spec["description"], f"{name}({parameter})"
    if cls is SREToolEnv:
        ticket = utils.get_json_schema(cls().file_ticket)["function"]["parameters"]["properties"]["action"]
        assert ticket["enum"] == ["isolate", "restore", "patch"]


def cli_episode(env: str, scenario: str, agent: str, seed: int) -> tuple[dict, list[dict]]:
    out = command(env, "run", scenario=scenario, agent=agent, seed=seed, trajectory="t.jsonl")
    # Line 1 is the trajectory's header; the steps follow.
    return out["result"], [json.loads(line) for line in out["files"]["t.jsonl"].splitlines()[1:]]


@pytest.mark.parametrize("cls,env,scenario,agents", PLAYS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_cli_episodes_replay_through_the_tools(cls, env, scenario, agents):
    for agent in agents:
        for seed in (0, 7):
            result, lines = cli_episode(env, scenario, agent, seed)
            tools = cls(scenario=scenario)
            prompt = tools.reset(seed=seed)
            assert prompt and tools.seed == seed
            total = 0.0
            for i, line in enumerate(lines):
                name, arguments = tool_call(tools, line["action"])
                reply = getattr(tools, name)(**arguments)
                first = reply.split("\n", 1)[0]
                assert first == f"Reward {line['reward']:.6g}, cost {line['cost']:.6g}.", (
                    agent,
                    seed,
                    i,
                    reply,
                )
                total += line["reward"]
                assert tools.steps == i + 1
                assert tools.episode_return == pytest.approx(total, abs=1e-9)
                assert tools.done == (line["terminated"] or line["truncated"])
            assert tools.done and "The episode is over" in reply
            assert tools.episode_return == pytest.approx(result["return"], abs=1e-9)
            assert tools.episode_cost == pytest.approx(result["cost"], abs=1e-9)
            assert tools.steps == result["steps"]


def test_reset_seeds_scenarios_and_options():
    tools = SREToolEnv(seed=5)
    assert tools.scenario == "classic"
    tools.reset()
    assert tools.seed == 5
    tools.reset(prompt=[{"role": "user", "content": "ignored"}])
    assert tools.seed == 6
    tools.reset(seed=3)
    assert tools.seed == 3
    tools.reset()
    assert tools.seed == 7
    assert "enterprise" in tools.reset(scenario="enterprise", seed=1)
    assert tools.scenario == "enterprise"
    triage = TriageToolEnv()
    assert "Task L2" in triage.reset(task="L2", seed=0)
    harden = HardenToolEnv()
    assert "in prod" in harden.reset(seed=0, options='{"environment": "prod"}')
    assert "in sandbox" in harden.reset(seed=0)
    with pytest.raises(ValueError, match="options"):
        harden.reset(seed=0, options={"stage": "prod"})
    with pytest.raises(ValueError, match="nope"):
        SREToolEnv(scenario="nope")
    with pytest.raises(TypeError, match="seed"):
        tools.reset(seed="one")


def unchanged(tools, reply: str, *needles: str) -> None:
    """A refused call: text starting with Error, naming what is wrong, nothing played."""
    assert reply.startswith("Error: ") and reply.endswith("Nothing changed."), reply
    for needle in needles:
        assert needle in reply, reply
    assert tools.steps == 0 and not tools.done


def test_bad_arguments_come_back_as_text():
    sre = SREToolEnv()
    assert "not reset" in sre.wait()
    sre.reset(seed=0)
    unchanged(sre, sre.isolate_node("nope"), 'unknown service "nope"')
    unchanged(sre, sre.file_ticket("hr_db", "reboot", "because"), "unknown variant `reboot`")
    unchanged(sre, sre.query_siem_logs(5), "invalid type: integer")
    unchanged(sre, sre.patch_node("payment", None), "invalid type: null")
    unchanged(sre, sre.check_approval({"id": 1}), "invalid type")
    triage = TriageToolEnv()
    triage.reset(seed=0)
    unchanged(triage, triage.block(2.0, "scam"), "confidence")
    unchanged(triage, triage.block(float("nan"), "scam"), "not valid JSON")
    unchanged(triage, triage.allow(0.5, "  "), "reasoning")
    unchanged(triage, triage.warn("high", "scam"), "invalid type")
    unchanged(triage, triage.investigate(0.5, {1, 2}), "not valid JSON")
    harden = HardenToolEnv()
    harden.reset(seed=0)
    unchanged(harden, harden.propose("enforce_mfa", "principal=app-role"), "invalid type")
    unchanged(harden, harden.propose("enforce_mfa", {"n": 10**30}), "10^19")


def play(tools, calls) -> str:
    reply = ""
    for name, arguments in calls:
        reply = getattr(tools, name)(**arguments)
    return reply


def test_reward_functions_on_finished_episodes():
    _, lines = cli_episode("sre", "classic", "sop", 3)
    by_the_book = SREToolEnv()
    by_the_book.reset(seed=3)
    play(by_the_book, [tool_call(by_the_book, line["action"]) for line in lines])
    reckless = SREToolEnv()
    reckless.reset(seed=3)
    reply = reckless.isolate_node("hr_db")
    unfinished = SREToolEnv()
    unfinished.reset(seed=3)
    unfinished.query_siem_logs("hr_db")
    envs = [by_the_book, reckless, unfinished]
    assert by_the_book.done and by_the_book.success and by_the_book.episode_cost == 0
    assert reckless.episode_cost > 0, reply
    while not reckless.done:
        reply = reckless.wait()
    assert "The episode is over" in reply
    assert "No more actions" in reckless.wait()
    assert reward_by_the_book(envs) == [1.0, 0.0, 0.0]
    returns = reward_return(envs, completions=["", "", ""])
    assert returns == [by_the_book.episode_return, reckless.episode_return, unfinished.episode_return]
    assert returns[0] == pytest.approx(sum(line["reward"] for line in lines))
    assert all(math.isfinite(r) for r in returns)


def test_replies_explain_the_step():
    triage = TriageToolEnv()
    triage.reset(seed=2)
    reply = triage.block(0.9, "A prize and an urgent link from an unknown site.")
    assert reply.split("\n")[1].startswith("The message was ")
    assert "Task L1 step 1/" in reply
    harden = HardenToolEnv()
    harden.reset(seed=2)
    reply = harden.propose("remove_iam_permission", {"permission": "*:*", "principal": "breakglass-admin"})
    assert "Gate denied (cannot modify break-glass principal)" in reply
    with pytest.raises(ValueError, match="accepted"):
        tool_call(harden, {"id": "enforce_mfa", "params": {}, "accepted": True})
