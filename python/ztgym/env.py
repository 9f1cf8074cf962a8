"""One ztgym environment as a Gymnasium environment."""

from __future__ import annotations

import json
from typing import Any, Optional

import gymnasium
import numpy as np
from gymnasium import spaces

from . import _checks, _native


class ZtgymEnv(gymnasium.Env):
    """A ztgym environment (``env``: ``sre``, ``triage``, ``harden``) for Gymnasium.

    - Actions: ``Discrete(len(actions))``, the environment's abstract actions (the ones its
      learners use; ``self.action_names`` names them). Each becomes a concrete, well-formed
      action from what the agent has seen; ``info["action"]`` is the concrete action sent.
    - Observations: a fixed-size ``float32`` vector in [0, 1] (``_delta`` and ``_margin``
      entries in [-1, 1]; ``self.observation_names``;
      the book's chapter "Python observations" documents each layout).
    - ``info["action_mask"]`` (``int8``): 1 where the action breaks no rule now, as the
      environment's gate judges it; ``action_masks()`` gives it as booleans (sb3-contrib's
      MaskablePPO). ``info["cost"]``: what the step cost in broken rules. ``info["prompt"]``:
      the observation as text for a language model (``prompt=False`` leaves it out).
    - ``enforce_mask=True`` makes an action outside the mask a ``ValueError`` instead of a
      step that costs.

    Keyword arguments: ``scenario`` (or ``task``): a built-in name or a scenario file;
    ``level``: the SRE gym's curriculum level, triage's task, harden's stage; ``gate``: a Rego
    file (for the SRE gym also a bundle directory) that judges the actions instead of the
    built-in gate.
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 4}

    def __init__(
        self,
        env: str = "sre",
        scenario: Optional[str] = None,
        task: Optional[str] = None,
        level: Optional[str] = None,
        gate: Optional[str] = None,
        render_mode: Optional[str] = None,
        enforce_mask: bool = False,
        prompt: bool = True,
    ):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode: {render_mode!r} is not one of {self.metadata['render_modes']}")
        self._native = _native.Single(
            env,
            _checks.scenario_of(scenario, task),
            _checks.text_or_none("level", level),
            _checks.text_or_none("gate", gate),
        )
        self.render_mode = render_mode
        self.enforce_mask = bool(enforce_mask)
        self.with_prompt = bool(prompt)
        self.action_names = list(self._native.actions)
        self.observation_names = list(self._native.observation_names)
        self.action_space = spaces.Discrete(len(self.action_names))
        low, high = np.array(self._native.observation_bounds, dtype=np.float32).T
        self.observation_space = spaces.Box(low, high, dtype=np.float32)
        self._mask = np.zeros(len(self.action_names), dtype=np.int8)
        self._seeded = False
        self._closed = False

    @property
    def env_id(self) -> str:
        """The ztgym environment's id."""
        return self._native.id

    @property
    def scenario(self) -> str:
        """The scenario (or task) played."""
        return self._native.scenario

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None):
        seed = _checks.seed_of(seed)
        if options:
            raise ValueError(f"options: ztgym takes no reset options, got {sorted(options)}")
        super().reset(seed=seed)
        if seed is None and not self._seeded:
            # Unseeded, as Gymnasium means it: drawn from the environment's own generator.
            seed = int(self.np_random.integers(0, 2**63))
        self._seeded = True
        obs, mask = self._call("reset", seed)
        self._mask = mask.view(np.int8)
        info = {"action_mask": self._mask, "cost": 0.0, "seed": self._native.seed}
        if self.with_prompt:
            info["prompt"] = self._native.prompt()
        return obs, info

    def step(self, action: Any):
        action = _checks.action_of(action, len(self.action_names))
        if self.enforce_mask and not self._mask[action]:
            raise ValueError(
                f"action {action} ({self.action_names[action]}) is outside info['action_mask']: "
                "it would break a rule now"
            )
        obs, mask, reward, cost, terminated, truncated = self._call("step", action)
        self._mask = mask.view(np.int8)
        info = {
            "action_mask": self._mask,
            "cost": cost,
            "action": json.loads(self._native.action_json()),
        }
        if self.with_prompt:
            info["prompt"] = self._native.prompt()
        return obs, reward, terminated, truncated, info

    def action_masks(self) -> np.ndarray:
        """The actions that break no rule now, as booleans (sb3-contrib's MaskablePPO)."""
        return self._mask.astype(bool)

    def render(self) -> Optional[str]:
        if self.render_mode == "ansi":
            return self._native.prompt()
        return None

    def totals(self) -> dict:
        """The episode's figures so far: return, cost, steps, success."""
        r, c, n, ok = self._native.totals()
        return {"return": r, "cost": c, "steps": n, "success": ok}

    def close(self) -> None:
        self._native.close()
        self._closed = True
        super().close()

    def _call(self, method: str, *args):
        if self._closed:
            raise RuntimeError(f"ztgym environment: {method} after close")
        return getattr(self._native, method)(*args)
