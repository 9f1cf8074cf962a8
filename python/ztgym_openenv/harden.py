"""The hardening loop (``env="harden"``, seed 001): its action (an action id and parameters),
its observation, the greedy baseline, and its client.

One step is one cycle: the proposal is judged by the scenario's Rego policy, forecast by the
digital twin, and executed only if allowed and passing. The field names follow the server's
``GET /schema?env=harden`` (generated from the Rust types).
"""

from __future__ import annotations

from typing import Any, Dict, List

from openenv.core.env_server.types import Action

from .client import ZtgymEnv, ZtgymObservation


class Propose(Action):
    """Propose a hardening change: one of the seven actions (any other id is the gate's to
    deny) with its parameters (``service``, ``principal``, ``new_cidr``, ...)."""

    id: str
    params: Dict[str, Any] = {}


class HardenObservation(ZtgymObservation):
    """The cycle's features and risk, and the seven candidates, each judged by the gate
    (``allowed``, ``reasons``) and forecast by the twin (``forecast``); plus ``prompt``,
    ``info`` (every stage of the last cycle), ``cost``, ``terminated``, ``truncated``."""

    cycle: int = 0
    environment: str = "sandbox"
    features: Dict[str, float] = {}
    risk_score: float = 0.0
    candidates: List[Dict[str, Any]] = []


class HardenEnv(ZtgymEnv[HardenObservation]):
    """The hardening loop's client: ``HardenEnv(base_url="http://127.0.0.1:8000").sync()``."""

    ENV_ID = "harden"
    OBSERVATION = HardenObservation


class Greedy:
    """The candidate with the largest forecast risk cut that the gate allows and the twin
    passes (the least breakage on ties): a baseline, as the CLI's ``--agent greedy``."""

    def act(self, obs: HardenObservation) -> Propose:
        def key(c: Dict[str, Any]):
            f = c["forecast"]
            return (c["allowed"] and f["pass"], -f["risk_delta"], -f["breakage_risk"])

        best = max(obs.candidates, key=key)
        return Propose(id=best["action"]["id"], params=best["action"]["params"])
