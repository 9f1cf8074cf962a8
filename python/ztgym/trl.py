"""ztgym's environments as TRL tool environments (``GRPOTrainer(environment_factory=...)``).

TRL builds one instance per rollout slot, calls ``reset(**row)`` with the dataset row's
columns and appends the text it returns to the prompt; every other public method becomes a
tool the model may call (its signature and the docstring's ``Args:`` section make the tool's
JSON schema, through ``transformers.utils.get_json_schema``). Reward functions read the
finished environments::

    from trl import GRPOConfig, GRPOTrainer
    from ztgym.trl import SREToolEnv, reward_by_the_book

    trainer = GRPOTrainer(model=..., train_dataset=dataset, args=GRPOConfig(...),
                          environment_factory=SREToolEnv, reward_funcs=[reward_by_the_book])

Give the dataset a ``seed`` column so the completions of one prompt play the same episode
(GRPO compares them); without one, each instance plays seeds 0, 1, 2... in turn. A ``scenario``
(or ``task``) column switches the scenario, an ``options`` column (a dict or JSON text) sets
the environment's reset options.

Each tool sends one concrete action through a :class:`ztgym.Session`, so an episode played
through the tools is the same episode as the same actions given to the command line
(``ztgym run``). A tool never raises for the model's arguments: a malformed or refused action
comes back as the environment's message, and nothing changes.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal, Optional, Sequence

from . import _checks, _native

__all__ = [
    "ToolEnv",
    "SREToolEnv",
    "TriageToolEnv",
    "HardenToolEnv",
    "reward_return",
    "reward_by_the_book",
    "tool_call",
]


def _number(value: float) -> str:
    """A figure as the model reads it: short, without float noise (``-0.3``, ``50.5``)."""
    return f"{value:.6g}"


class ToolEnv:
    """The machinery shared by every environment's tool class: one :class:`ztgym.Session`,
    episodes started by ``reset``, one concrete action per tool call, the episode's figures
    kept as attributes for the reward functions.

    Public attributes (data, so TRL does not take them for tools): ``scenario``, ``seed`` (of
    the episode played, None before the first reset), ``done``, ``episode_return``,
    ``episode_cost``, ``steps``, ``success``. Subclasses set ``env`` and add the tools; only
    ``reset`` and the tools may be public methods, since TRL publishes every public method.
    """

    env: ClassVar[str]

    def __init__(self, scenario: Optional[str] = None, seed: int = 0, options: Optional[Any] = None):
        self._session = _native.Session(self.env, _checks.text_or_none("scenario", scenario))
        self.scenario: str = self._session.scenario
        first = _checks.seed_of(seed)
        self._next_seed = 0 if first is None else first
        self._options = self._options_json(options)
        self.seed: Optional[int] = None
        self._clear()

    def _clear(self) -> None:
        self.done = False
        self.episode_return = 0.0
        self.episode_cost = 0.0
        self.steps = 0
        self.success = False

    @staticmethod
    def _options_json(options: Any) -> str:
        """Reset options as JSON text: a dict, JSON text (a dataset column) or None."""
        if options is None:
            return "null"
        if isinstance(options, str):
            json.loads(options)  # a bad column fails here, naming JSON
            return options
        if isinstance(options, dict):
            return json.dumps(options)
        raise TypeError(f"options: expected a dict or JSON text, got {type(options).__name__}")

    def reset(self, **kwargs: Any) -> str:
        """Starts an episode and returns its first prompt. Reads ``seed``, ``scenario`` (or
        ``task``) and ``options`` from the keyword arguments (a dataset row) and ignores the
        rest; without a seed, the next one of this instance's counter."""
        scenario = _checks.scenario_of(kwargs.get("scenario"), kwargs.get("task"))
        if scenario is not None and scenario != self.scenario:
            self._session = _native.Session(self.env, scenario)
            self.scenario = self._session.scenario
        seed = _checks.seed_of(kwargs.get("seed"))
        if seed is None:
            seed, self._next_seed = self._next_seed, self._next_seed + 1
        options = self._options_json(kwargs["options"]) if "options" in kwargs else self._options
        first = json.loads(self._session.reset(seed, options))
        self.seed = seed
        self._clear()
        return first["prompt"]

    def _act(self, action: dict) -> str:
        """Plays one concrete action; the text the model reads next."""
        if self.seed is None:
            return "No episode is running: the environment was not reset."
        if self.done:
            return self._ending() + " No more actions are taken."
        try:
            text = json.dumps(action, allow_nan=False)
        except (TypeError, ValueError) as e:
            return f"Error: the arguments are not valid JSON ({e}). Nothing changed."
        try:
            step = json.loads(self._session.step(text))
        except (ValueError, RuntimeError) as e:
            return f"Error: {e}. Nothing changed."
        self.episode_return, self.episode_cost, self.steps, self.success = self._session.totals()
        self.done = bool(step["terminated"] or step["truncated"])
        lines = [f"Reward {_number(step['reward'])}, cost {_number(step['cost'])}."]
        lines += self._feedback(step["info"])
        lines.append(self._ending() if self.done else step["prompt"])
        return "\n".join(lines)

    def _feedback(self, info: dict) -> list[str]:
        """What the step did, in a few lines (each environment says it its way)."""
        return []

    def _ending(self) -> str:
        verdict = "success" if self.success else "no success"
        return (
            f"The episode is over ({verdict}): return {_number(self.episode_return)}, "
            f"cost {_number(self.episode_cost)} in {self.steps} steps."
        )

    @staticmethod
    def _tool_call(action: dict) -> tuple[str, dict]:
        """The tool call that sends concrete action ``action``: (method name, arguments)."""
        raise NotImplementedError


class SREToolEnv(ToolEnv):
    """The SRE incident-response gym (seed 000): investigate alerts on a service graph, file
    change tickets, wait for approval, isolate or patch. A privileged action (isolate,
    restore, patch) without an approved ticket costs. ``scenario``: classic (default),
    enterprise, multitenant or a scenario file."""

    env = "sre"

    def query_siem_logs(self, node: str) -> str:
        """Reads a service's SIEM logs: the investigation a ticket's justification should cite.

        Args:
            node: The service to investigate, as named in the services list (e.g. "hr_db").
        """
        return self._act({"tool": "query_siem_logs", "node": node})

    def file_ticket(
        self, node: str, action: Literal["isolate", "restore", "patch"], justification: str
    ) -> str:
        """Asks for permission to run a privileged action on a service; an approver reviews it
        over the next steps.

        Args:
            node: The service the action is for.
            action: The privileged action asked for: isolate, restore or patch.
            justification: Why: the alerts, what the logs show, the blast radius and the rollback plan.
        """
        return self._act(
            {"tool": "file_ticket", "node": node, "action": action, "justification": justification}
        )

    def check_approval(self, ticket: str) -> str:
        """Asks whether a ticket's review is done (approved or denied).

        Args:
            ticket: The ticket's id, as listed under Tickets (e.g. "INC-0001").
        """
        return self._act({"tool": "check_approval", "ticket": ticket})

    def isolate_node(self, node: str) -> str:
        """Cuts a service off the network (privileged: needs an approved isolate ticket); the
        services that depend on it go offline.

        Args:
            node: The service to isolate.
        """
        return self._act({"tool": "isolate_node", "node": node})

    def restore_node(self, node: str) -> str:
        """Brings an isolated service back (privileged: needs an approved restore ticket).

        Args:
            node: The isolated service to restore.
        """
        return self._act({"tool": "restore_node", "node": node})

    def patch_node(self, node: str, cve: str) -> str:
        """Patches a service against a CVE in place, without downtime (privileged: needs an
        approved patch ticket).

        Args:
            node: The service to patch.
            cve: The vulnerability to patch, as the alerts name it (e.g. "CVE-2021-4034").
        """
        return self._act({"tool": "patch_node", "node": node, "cve": cve})

    def wait(self) -> str:
        """Does nothing this step (while a ticket's review runs).

        Args:
            None.
        """
        return self._act({"tool": "wait"})

    def _feedback(self, info: dict) -> list[str]:
        return [f"- {event['message']}" for event in info.get("events", [])]

    @staticmethod
    def _tool_call(action: dict) -> tuple[str, dict]:
        arguments = {k: v for k, v in action.items() if k != "tool"}
        return action["tool"], arguments


class TriageToolEnv(ToolEnv):
    """Message triage (seed 003): screen SMS, email and web messages one at a time, keeping
    the user's trust; blocking a legitimate message costs. ``scenario`` is the task: L1
    (default) to L5."""

    env = "triage"

    def _decide(self, decision: str, confidence: float, reasoning: str) -> str:
        return self._act({"decision": decision, "confidence": confidence, "reasoning": reasoning})

    def allow(self, confidence: float, reasoning: str) -> str:
        """Lets the message through to the user: for a legitimate message.

        Args:
            confidence: How sure you are, from 0 to 1.
            reasoning: Why, for the user: the cues you saw (not blank).
        """
        return self._decide("allow", confidence, reasoning)

    def block(self, confidence: float, reasoning: str) -> str:
        """Stops the message: for a clear threat (blocking a legitimate message costs).

        Args:
            confidence: How sure you are, from 0 to 1.
            reasoning: Why, for the user: the cues you saw (not blank).
        """
        return self._decide("block", confidence, reasoning)

    def warn(self, confidence: float, reasoning: str) -> str:
        """Delivers the message with a warning: for a suspicious one.

        Args:
            confidence: How sure you are, from 0 to 1.
            reasoning: Why, for the user: the cues you saw (not blank).
        """
        return self._decide("warn", confidence, reasoning)

    def investigate(self, confidence: float, reasoning: str) -> str:
        """Holds the message for a closer look: slower, for an unclear one.

        Args:
            confidence: How sure you are, from 0 to 1.
            reasoning: Why, for the user: the cues you saw (not blank).
        """
        return self._decide("investigate", confidence, reasoning)

    def _feedback(self, info: dict) -> list[str]:
        last = info.get("last")
        if not last:
            return []
        verdict = "correct" if last["correct"] else "wrong"
        return [f"The message was {last['class']}: {last['decision']} was {verdict}."]

    @staticmethod
    def _tool_call(action: dict) -> tuple[str, dict]:
        return action["decision"], {"confidence": action["confidence"], "reasoning": action["reasoning"]}


class HardenToolEnv(ToolEnv):
    """The hardening loop (seed 001): each cycle, propose one hardening change; a Rego policy
    gate and a digital twin's breakage forecast decide whether it runs, and breakage that
    happens costs. ``scenario``: seed001 (default) or a use case (uc01-network-exposure...);
    ``options={"environment": "prod"}`` plays another stage. Recommend-only mode (a person
    accepts each change) is not offered as a tool: the acceptance is not the model's to give.
    """

    env = "harden"

    def propose(self, action: str, params: Optional[dict] = None) -> str:
        """Proposes one hardening change for this cycle, usually one of the listed candidates.

        Args:
            action: The change's id, e.g. "tighten_inbound_rule" (unknown ids are the gate's to deny).
            params: The change's parameters as listed beside the candidate,
                e.g. {"service": "checkout-api", "new_cidr": "10.0.0.0/8"}.
        """
        return self._act({"id": action, "params": {} if params is None else params})

    def _feedback(self, info: dict) -> list[str]:
        cycle = info.get("cycle")
        if not cycle:
            return []
        decision, execution = cycle["decision"], cycle["execution"]
        gate = "allowed" if decision["allowed"] else f"denied ({decision['reason']})"
        lines = [
            f"Gate {gate}; change {execution['status']}; risk "
            f"{_number(cycle['risk_score'])} -> {_number(cycle['after_risk'])}."
        ]
        if execution.get("breakage"):
            lines.append(f"Breakage: {execution['breakage']}.")
        return lines

    @staticmethod
    def _tool_call(action: dict) -> tuple[str, dict]:
        if "accepted" in action:
            raise ValueError("action: recommend-only proposals (with 'accepted') have no tool")
        return "propose", {"action": action["id"], "params": action.get("params", {})}


def tool_call(environment: ToolEnv, action: dict) -> tuple[str, dict]:
    """The tool call (method name, keyword arguments) that plays concrete action ``action``
    (as in a ``ztgym run`` trajectory) on ``environment``: to replay a built-in agent's
    episodes as tool calls, e.g. for supervised warm-up data."""
    return type(environment)._tool_call(action)


def reward_return(environments: Sequence[ToolEnv], **kwargs: Any) -> list[float]:
    """Each environment's episode return (so far, if the model stopped early)."""
    return [float(env.episode_return) for env in environments]


def reward_by_the_book(environments: Sequence[ToolEnv], **kwargs: Any) -> list[float]:
    """1.0 where the episode ended in success with no rule broken (cost 0), else 0.0: a
    binary reward, the cleaner signal in TRL's reports, that pays nothing for a success
    bought by breaking a rule."""
    return [1.0 if env.done and env.success and env.episode_cost == 0 else 0.0 for env in environments]
