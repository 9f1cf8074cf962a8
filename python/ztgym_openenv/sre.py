"""The Zero Trust SRE Gym (``env="sre"``): typed actions, its observation, a scripted
by-the-book baseline, and its client.

The field names follow the server's ``GET /schema?env=sre`` (generated from the Rust types);
``python/tests/test_openenv.py`` checks that they still agree.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Literal, Optional, Union

from openenv.core.env_server.types import Action

from .client import ZtgymEnv, ZtgymObservation

Privileged = Literal["isolate", "restore", "patch"]


class QuerySiemLogs(Action):
    """Read a node's SIEM logs (investigate)."""

    tool: Literal["query_siem_logs"] = "query_siem_logs"
    node: str


class FileTicket(Action):
    """Ask for permission to run a privileged action on a node, with a justification."""

    tool: Literal["file_ticket"] = "file_ticket"
    node: str
    action: Privileged
    justification: str


class CheckApproval(Action):
    """Ask whether a ticket's review is done."""

    tool: Literal["check_approval"] = "check_approval"
    ticket: str


class IsolateNode(Action):
    """Cut a node off the network (privileged): its dependents go offline."""

    tool: Literal["isolate_node"] = "isolate_node"
    node: str


class RestoreNode(Action):
    """Bring an isolated node back (privileged)."""

    tool: Literal["restore_node"] = "restore_node"
    node: str


class PatchNode(Action):
    """Patch a node against a CVE in place (privileged): no downtime."""

    tool: Literal["patch_node"] = "patch_node"
    node: str
    cve: str


class Wait(Action):
    """Do nothing this step."""

    tool: Literal["wait"] = "wait"


SreAction = Union[
    QuerySiemLogs, FileTicket, CheckApproval, IsolateNode, RestoreNode, PatchNode, Wait
]
ACTIONS = (QuerySiemLogs, FileTicket, CheckApproval, IsolateNode, RestoreNode, PatchNode, Wait)


class SreObservation(ZtgymObservation):
    """What the operator sees: services, open alerts (ECS fields), tickets, the logs a query
    returned; plus ``prompt``, ``info``, ``cost``, ``terminated``, ``truncated``."""

    scenario: str = ""
    level: str = ""
    step: int = 0
    max_steps: int = 0
    uptime: float = 0.0
    services: List[Dict[str, Any]] = []
    alerts: List[Dict[str, Any]] = []
    tickets: List[Dict[str, Any]] = []
    logs: Optional[Dict[str, Any]] = None


class SreEnv(ZtgymEnv[SreObservation]):
    """The SRE gym's client: ``SreEnv(base_url="http://127.0.0.1:8000").sync()``."""

    ENV_ID = "sre"
    OBSERVATION = SreObservation


_CVE = re.compile(r"\bCVE=(CVE-\d{4}-\d+)")
_INDICATOR = re.compile(r'\b(?:SRC|DST|ROLE)=(\S+)|\b(?:PAYLOAD|CMD)="([^"]*)"')


class Playbook:
    """A scripted operator that plays by the book: investigate the alerting nodes, ticket a
    patch for a proven compromise citing its alerts, CVE and indicators, collect the verdict,
    patch once approved. A baseline and an example, not a strong agent."""

    def __init__(self) -> None:
        self.evidence: Dict[str, Dict[str, Any]] = {}
        self.read_at: Dict[str, int] = {}

    def act(self, obs: SreObservation) -> SreAction:
        if obs.logs:
            node = obs.logs["node"]
            self.read_at[node] = obs.step
            for line in obs.logs["lines"]:
                if "EVENT=EXPLOIT_ATTEMPT" in line or "EVENT=PROCESS_SPAWN" in line:
                    found = self.evidence.setdefault(node, {"cve": None, "indicators": []})
                    m = _CVE.search(line)
                    if m and "EVENT=EXPLOIT_ATTEMPT" in line:
                        found["cve"] = m.group(1)
                    for a, b in _INDICATOR.findall(line):
                        ind = a or b
                        if ind and ind not in found["indicators"]:
                            found["indicators"].append(ind)
        mask = obs.action_mask
        live = {t["node"] for t in obs.tickets if t["status"] in ("pending", "approved")}
        for t in obs.tickets:
            if t["status"] == "approved" and t["node"] in mask.get("patch_node", []):
                cve = self.evidence.get(t["node"], {}).get("cve")
                if t["action"] == "patch" and cve:
                    return PatchNode(node=t["node"], cve=cve)
        for t in obs.tickets:
            if t["status"] == "pending" and t["ready_at"] <= obs.step:
                return CheckApproval(ticket=t["id"])
        states = {s["id"]: s["state"] for s in obs.services}
        for node, found in self.evidence.items():
            if found["cve"] and node not in live and states.get(node) == "compromised":
                return FileTicket(
                    node=node, action="patch", justification=self._justify(obs, node, found)
                )
        for a in sorted(obs.alerts, key=lambda a: -a["event"]["severity"]):
            node = a["host"]["name"]
            if (
                a["event"]["severity"] >= 47
                and self.read_at.get(node, -1) < a["event"]["step"]
                and node in mask.get("query_siem_logs", [])
            ):
                return QuerySiemLogs(node=node)
        return Wait()

    @staticmethod
    def _justify(obs: SreObservation, node: str, found: Dict[str, Any]) -> str:
        alerts = [a["event"]["id"] for a in obs.alerts if a["host"]["name"] == node]
        return (
            f"Patch {node}: its logs show exploitation of {found['cve']} "
            f"(alerts {', '.join(alerts) or 'none open'}); indicators of compromise: "
            f"{', '.join(found['indicators'][:4])}. Patching in place keeps {node} and its "
            f"dependents online. Rollback plan: restore {node} from the last snapshot."
        )
