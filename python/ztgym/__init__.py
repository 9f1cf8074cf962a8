"""Zero Trust Gym for Python.

``import ztgym`` registers one Gymnasium id per environment of the Rust table
(``ztgym/SRE-v0``, ``ztgym/Triage-v0``, ``ztgym/Harden-v0``), each with a single environment
(:class:`ztgym.env.ZtgymEnv`) and a vector environment stepped in Rust
(:class:`ztgym.vector.ZtgymVectorEnv`, ``gymnasium.make_vec(..., vectorization_mode=
"vector_entry_point")``)::

    import gymnasium, ztgym
    env = gymnasium.make("ztgym/SRE-v0", scenario="classic")
    envs = gymnasium.make_vec("ztgym/SRE-v0", num_envs=64, vectorization_mode="vector_entry_point")
"""

from __future__ import annotations

import gymnasium

from . import _native
from .env import ZtgymEnv
from .safety import LagrangianVectorWrapper, LagrangianWrapper, SafetyWrapper
from .trajectory import TrajectoryWriter, record_trajectory, verify_trajectory
from .vector import ZtgymVectorEnv

__all__ = [
    "ZtgymEnv",
    "ZtgymVectorEnv",
    "SafetyWrapper",
    "LagrangianWrapper",
    "LagrangianVectorWrapper",
    "environments",
    "gym_id",
    "Session",
    "TrajectoryWriter",
    "record_trajectory",
    "verify_trajectory",
]

Session = _native.Session


def environments() -> list[dict]:
    """The environments: id, name, seed system, summary, scenarios, default scenario, agents."""
    return _native.environments()


def gym_id(env: str) -> str:
    """The Gymnasium id of environment ``env`` (``sre`` -> ``ztgym/SRE-v0``): short ids are
    acronyms, longer ones words."""
    name = env.upper() if len(env) <= 3 else env.capitalize()
    return f"ztgym/{name}-v0"


def _register() -> None:
    for info in environments():
        gymnasium.register(
            id=gym_id(info["id"]),
            entry_point="ztgym.env:ZtgymEnv",
            vector_entry_point="ztgym.vector:ZtgymVectorEnv",
            kwargs={"env": info["id"]},
        )


_register()
