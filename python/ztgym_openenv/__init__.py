"""OpenEnv clients for Zero Trust Gym's server (``ztgym serve``).

    from ztgym_openenv import SreEnv, QuerySiemLogs
    with SreEnv(base_url="http://127.0.0.1:8000").sync() as env:
        result = env.reset(seed=7, scenario="classic")
        result = env.step(QuerySiemLogs(node="payment"))

``CLIENTS`` maps each environment id to its client; an environment added to the server adds
a module here and an entry in ``CLIENTS``.
"""

from .client import ZtgymEnv, ZtgymObservation, ZtgymState
from .harden import Greedy as HardenGreedy, HardenEnv, HardenObservation, Propose
from .sre import (
    CheckApproval,
    FileTicket,
    IsolateNode,
    PatchNode,
    Playbook as SrePlaybook,
    QuerySiemLogs,
    RestoreNode,
    SreAction,
    SreEnv,
    SreObservation,
    Wait,
)
from .triage import (
    Playbook as TriagePlaybook,
    TriageAction,
    TriageEnv,
    TriageObservation,
)

CLIENTS = {"sre": SreEnv, "harden": HardenEnv, "triage": TriageEnv}
PLAYBOOKS = {"sre": SrePlaybook, "harden": HardenGreedy, "triage": TriagePlaybook}

__all__ = [
    "CLIENTS",
    "PLAYBOOKS",
    "ZtgymEnv",
    "ZtgymObservation",
    "ZtgymState",
    "SreEnv",
    "SreObservation",
    "SreAction",
    "SrePlaybook",
    "QuerySiemLogs",
    "FileTicket",
    "CheckApproval",
    "IsolateNode",
    "RestoreNode",
    "PatchNode",
    "Wait",
    "HardenEnv",
    "HardenObservation",
    "HardenGreedy",
    "Propose",
    "TriageEnv",
    "TriageObservation",
    "TriageAction",
    "TriagePlaybook",
]
