"""Message triage (``env="triage"``, seed 003): the typed action, its observation, a scripted
baseline, and its client.

The field names follow the server's ``GET /schema?env=triage`` (generated from the Rust types);
``python/tests/test_openenv.py`` checks that they still agree. Message text, senders and links
are untrusted data from the environment: show them as text, never follow a link.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal

from openenv.core.env_server.types import Action
from pydantic import Field

from .client import ZtgymEnv, ZtgymObservation

Decision = Literal["allow", "block", "warn", "investigate"]


class TriageAction(Action):
    """What the assistant does with the message on screen."""

    decision: Decision
    confidence: float = Field(ge=0.0, le=1.0)
    reasoning: str = Field(min_length=1, max_length=2000)


class TriageObservation(ZtgymObservation):
    """The message on screen (``channel``, ``sender``, ``subject``, ``text``, ``links``,
    ``attachments``), the scorer's risk, the user's trust and alert fatigue, the agent's own
    recent decisions; never the message's class (``info.last`` tells what the previous one
    was, and ``info.grade`` the grade at the end)."""

    message_id: int = 0
    message: Dict[str, Any] = Field(default_factory=dict)
    risk_score: float = 0.0
    user_trust: float = 0.0
    alert_fatigue: float = 0.0
    recent_decisions: List[str] = Field(default_factory=list)
    step: int = 0
    max_steps: int = 0
    task: str = ""


class TriageEnv(ZtgymEnv[TriageObservation]):
    """The triage client: ``TriageEnv(base_url="http://127.0.0.1:8000").sync()``."""

    ENV_ID = "triage"
    OBSERVATION = TriageObservation


_SHORTENERS = ("bit.ly", "tinyurl.com", "rb.gy", "is.gd", "t.ly", "cutt.ly")
_RISKY = (".exe", ".js", ".docm", ".xlsm", ".zip", ".html", ".apk", ".scr")


class Playbook:
    """A scripted screener: blocks a message with a shortened link or a risky attachment or a
    high risk score, warns on a middling score, allows the rest; its reasoning names what it
    saw. A baseline and an example, not a strong agent."""

    def act(self, obs: TriageObservation) -> TriageAction:
        m = obs.message
        seen = []
        if any(any(s in link for s in _SHORTENERS) for link in m.get("links", [])):
            seen.append("shortened link")
        if any(a.lower().endswith(_RISKY) for a in m.get("attachments", [])):
            seen.append("risky attachment")
        text = m.get("text", "").lower()
        if "password" in text or "verification code" in text:
            seen.append("asks for a password or code")
        if seen or obs.risk_score >= 0.65:
            decision: Decision = "block"
        elif obs.risk_score >= 0.5:
            decision = "warn"
        else:
            decision = "allow"
        reasoning = f"Seen: {', '.join(seen)}." if seen else "No red flags in sender, links or content."
        return TriageAction(decision=decision, confidence=0.8, reasoning=reasoning)
