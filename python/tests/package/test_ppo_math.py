"""The numpy PPO of python/examples/train_ppo.py: its hand-written gradients against finite
differences, its action masking, and its advantage estimate against the definition."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

_PATH = Path(__file__).resolve().parents[2] / "examples" / "train_ppo.py"
_spec = importlib.util.spec_from_file_location("train_ppo", _PATH)
ppo = importlib.util.module_from_spec(_spec)
# dataclasses look their module up in sys.modules.
sys.modules.setdefault("train_ppo", ppo)
_spec.loader.exec_module(ppo)


def _problem(seed: int, batch: int = 9, dim: int = 5, actions: int = 4):
    rng = np.random.default_rng(seed)
    actor = ppo.MLP([dim, 8, 8, actions], rng, out_gain=1.0)
    critic = ppo.MLP([dim, 8, 8, 1], rng, out_gain=1.0)
    # Non-zero biases, so their gradients are tested away from the initialisation.
    for p in actor.params[1::2] + critic.params[1::2]:
        p += rng.normal(0, 0.3, p.shape)
    obs = rng.normal(size=(batch, dim))
    mask = rng.random((batch, actions)) < 0.7
    mask[np.arange(batch), rng.integers(0, actions, batch)] = True
    taken = np.array([rng.choice(np.flatnonzero(row)) for row in mask])
    logp = ppo.masked_log_softmax(actor.forward(obs)[0], mask)[np.arange(batch), taken]
    # Old log-probabilities that put some ratios outside the clip range on either side.
    old_logp = logp + rng.normal(0, 0.4, batch)
    advantages = rng.normal(size=batch)
    returns = rng.normal(size=batch)
    return actor, critic, (obs, mask, taken, old_logp, advantages, returns)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_finite_differences(seed):
    actor, critic, batch = _problem(seed)
    coefs = ppo.Coefficients(clip=0.2, ent_coef=0.05, vf_coef=0.5)
    _, stats, g_actor, g_critic = ppo.ppo_loss_and_grads(actor, critic, *batch, coefs)
    assert 0 < stats["clip_fraction"] < 1, "the batch should exercise both branches of the clip"

    def loss() -> float:
        return ppo.ppo_loss_and_grads(actor, critic, *batch, coefs)[0]

    eps = 1e-6
    for params, grads in ((actor.params, g_actor), (critic.params, g_critic)):
        for p, g in zip(params, grads):
            assert g.shape == p.shape
            numeric = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                keep = p[i]
                p[i] = keep + eps
                up = loss()
                p[i] = keep - eps
                down = loss()
                p[i] = keep
                numeric[i] = (up - down) / (2 * eps)
            np.testing.assert_allclose(g, numeric, rtol=1e-4, atol=1e-8)


def test_masked_actions_get_no_probability_no_gradient_and_are_never_drawn():
    rng = np.random.default_rng(3)
    logits = rng.normal(size=(6, 5)) * 3
    mask = np.ones((6, 5), dtype=bool)
    mask[:, 1] = False
    mask[2, [0, 2, 3]] = False
    logp = ppo.masked_log_softmax(logits, mask)
    p = np.exp(logp)
    assert np.all(p[~mask] == 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    # Among the allowed actions, the ordinary softmax of their logits.
    row = logits[0][mask[0]]
    np.testing.assert_allclose(p[0][mask[0]], np.exp(row) / np.exp(row).sum())
    assert np.all(np.isfinite(ppo.entropy_of(logp)))
    draws = np.concatenate([ppo.sample_masked(logits, mask, rng)[0] for _ in range(300)])
    rows = np.tile(np.arange(6), 300)
    assert mask[rows, draws].all()

    actor, critic, (obs, _, _, old_logp, advantages, returns) = _problem(4, batch=6, actions=5)
    mask = np.ones((6, 5), dtype=bool)
    mask[:, 4] = False
    taken = np.zeros(6, dtype=np.int64)
    _, _, g_actor, _ = ppo.ppo_loss_and_grads(
        actor, critic, obs, mask, taken, old_logp, advantages, returns, ppo.Coefficients()
    )
    # The last layer's column of a forbidden action gets no gradient.
    assert np.all(g_actor[-2][:, 4] == 0) and g_actor[-1][4] == 0


def test_gae_matches_its_definition():
    rng = np.random.default_rng(5)
    steps, n, gamma, lam = 6, 3, 0.9, 0.8
    rewards = rng.normal(size=(steps, n))
    values = rng.normal(size=(steps, n))
    dones = np.zeros((steps, n))
    dones[2, 0] = dones[5, 1] = dones[0, 2] = 1
    next_value = rng.normal(size=n)
    advantages, returns = ppo.gae(rewards, values, dones, next_value, gamma, lam)
    for j in range(n):
        for t in range(steps):
            # A_t = sum_k (gamma lam)^k delta_{t+k}, up to and including the episode's end.
            total, weight = 0.0, 1.0
            for k in range(t, steps):
                following = next_value[j] if k == steps - 1 else values[k + 1, j]
                delta = rewards[k, j] + gamma * following * (1 - dones[k, j]) - values[k, j]
                total += weight * delta
                if dones[k, j]:
                    break
                weight *= gamma * lam
            assert advantages[t, j] == pytest.approx(total)
    np.testing.assert_allclose(returns, advantages + values)


def test_global_norm_clipping_and_adam_move_towards_a_minimum():
    grads = [np.full(3, 3.0), np.full((2, 2), 4.0)]
    before = ppo.clip_by_global_norm(grads, 1.0)
    assert before == pytest.approx(np.sqrt(9 * 3 + 16 * 4))
    assert np.sqrt(sum((g * g).sum() for g in grads)) == pytest.approx(1.0, rel=1e-5)
    x = np.array([5.0, -3.0])
    opt = ppo.Adam([x], lr=0.1)
    for _ in range(300):
        opt.step([2 * x])
    assert np.abs(x).max() < 0.05
