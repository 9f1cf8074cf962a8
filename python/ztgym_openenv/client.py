"""The OpenEnv client for `ztgym serve`: what every environment's client shares.

Each environment adds one module (``sre.py`` now; ``triage.py`` and ``harden.py`` later) with
its typed actions, its observation class, a scripted baseline, and an ``EnvClient`` subclass
that sets ``ENV_ID``; ``__init__.py`` lists it in ``CLIENTS``.
"""

from __future__ import annotations

from typing import Any, Dict, Generic, Optional, Type, TypeVar, Union

from openenv.core import EnvClient
from openenv.core.client_types import StepResult
from openenv.core.env_server.types import Action, Observation, State
from pydantic import ConfigDict, Field


class ZtgymObservation(Observation):
    """The fields the server adds to every environment's observation.

    ``done`` and ``reward`` come from the reply (OpenEnv's ``Observation`` base class);
    ``prompt`` is the observation as text for language-model agents; ``cost`` is what the step
    cost in broken rules, a channel apart from the reward (a constrained MDP); ``info`` holds
    the action mask, the events of the step and the episode's totals.
    """

    # Fields the server may add later pass through instead of failing the parse.
    model_config = ConfigDict(
        extra="allow", validate_assignment=True, arbitrary_types_allowed=True
    )

    prompt: str = ""
    info: Dict[str, Any] = Field(default_factory=dict)
    cost: float = 0.0
    terminated: bool = False
    truncated: bool = False

    @property
    def action_mask(self) -> Dict[str, Any]:
        """The well-formed actions now (rule-breaking ones included)."""
        return self.info.get("action_mask", {})


class ZtgymState(State):
    """OpenEnv's ``State`` (``episode_id``, ``step_count``) plus the environment's hidden state
    (extra fields: for the SRE gym ``seed``, ``scenario``, ``level``, ``threats``, ...)."""

    env: Optional[str] = None


ObsT = TypeVar("ObsT", bound=ZtgymObservation)
ActionLike = Union[Action, Dict[str, Any]]


class ZtgymEnv(EnvClient[ActionLike, ObsT, ZtgymState], Generic[ObsT]):
    """An ``EnvClient`` for one ztgym environment.

    ``reset(seed=..., scenario=..., level=...)`` passes its keywords to the server (``env`` is
    filled in from ``ENV_ID``); ``step`` takes a typed action or a plain dict.
    """

    ENV_ID: str = ""
    OBSERVATION: Type[ZtgymObservation] = ZtgymObservation

    async def reset(self, **kwargs: Any) -> StepResult[ObsT]:
        if self.ENV_ID:
            kwargs.setdefault("env", self.ENV_ID)
        return await super().reset(**kwargs)

    def _step_payload(self, action: ActionLike) -> Dict[str, Any]:
        if isinstance(action, Action):
            return action.model_dump(exclude={"metadata"})
        return dict(action)

    def _parse_result(self, payload: Dict[str, Any]) -> StepResult[ObsT]:
        reward = payload.get("reward")
        done = bool(payload.get("done", False))
        observation = self.OBSERVATION(
            **payload.get("observation", {}), reward=reward, done=done
        )
        return StepResult(observation=observation, reward=reward, done=done)  # type: ignore[arg-type]

    def _parse_state(self, payload: Dict[str, Any]) -> ZtgymState:
        return ZtgymState(**payload)
