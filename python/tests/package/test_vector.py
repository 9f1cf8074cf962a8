"""The Rust vector environments: make_vec, the batched spaces, autoreset modes, episode
statistics, and equality with the single environments stepped one by one."""

from __future__ import annotations

import gymnasium
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode, VectorEnv

import ztgym


def test_make_vec_returns_the_rust_vector_env(env_id):
    v = gymnasium.make_vec(ztgym.gym_id(env_id), num_envs=5, vectorization_mode="vector_entry_point")
    assert isinstance(v, VectorEnv) and isinstance(v.unwrapped, ztgym.ZtgymVectorEnv)
    assert v.metadata["autoreset_mode"] == AutoresetMode.NEXT_STEP
    obs, infos = v.reset(seed=0)
    assert obs.shape == (5,) + v.single_observation_space.shape and v.observation_space.contains(obs)
    assert infos["action_mask"].shape == (5, v.single_action_space.n)
    obs, rewards, terms, truncs, infos = v.step(v.action_space.sample())
    assert rewards.dtype == np.float64 and terms.dtype == bool and infos["cost"].shape == (5,)


def singles(env_id, n, seed):
    envs = [ztgym.ZtgymEnv(env_id, prompt=False) for _ in range(n)]
    return envs, [e.reset(seed=seed + i) for i, e in enumerate(envs)]


def test_next_step_autoreset_equals_single_environments(env_id):
    n, steps = 6, 120
    v = ztgym.ZtgymVectorEnv(env_id, num_envs=n)
    envs, first = singles(env_id, n, seed=40)
    obs, infos = v.reset(seed=40)
    for i in range(n):
        assert np.array_equal(obs[i], first[i][0])
        assert np.array_equal(infos["action_mask"][i], first[i][1]["action_mask"])
    rng = np.random.default_rng(1)
    ended = np.zeros(n, dtype=bool)
    episodes = 0
    for _ in range(steps):
        actions = rng.integers(0, v.single_action_space.n, size=n)
        obs, rewards, terms, truncs, infos = v.step(actions)
        for i, env in enumerate(envs):
            if ended[i]:
                # Next-step autoreset: this step reset environment i on the next seed.
                o, info = env.reset()  # the next seed, as the vector env's
                r, c, t, u = 0.0, 0.0, False, False
            else:
                o, r, t, u, info = env.step(int(actions[i]))
                c = info["cost"]
            assert np.array_equal(obs[i], o), (i, _)
            assert (rewards[i], infos["cost"][i], terms[i], truncs[i]) == (r, c, t, u)
            if t or u:
                totals = env.totals()
                assert infos["_episode"][i]
                assert infos["episode"]["r"][i] == pytest.approx(totals["return"])
                assert infos["episode"]["l"][i] == totals["steps"]
                assert infos["episode"]["c"][i] == pytest.approx(totals["cost"])
                episodes += 1
        ended = terms | truncs
    assert episodes > 0


def test_same_step_autoreset_keeps_the_final_observation():
    v = ztgym.ZtgymVectorEnv("triage", num_envs=3, autoreset_mode=AutoresetMode.SAME_STEP)
    single = ztgym.ZtgymEnv("triage", prompt=False)
    v.reset(seed=9)
    single.reset(seed=9)
    for _ in range(200):
        obs, _, terms, truncs, infos = v.step(np.zeros(3, dtype=np.int64))
        o, _, t, u, _ = single.step(0)
        if t or u:
            assert infos["_final_obs"][0] and np.array_equal(infos["final_obs"][0], o)
            return
        assert np.array_equal(obs[0], o)
    pytest.fail("no triage episode ended in 200 steps")


def test_disabled_autoreset_waits_for_reset_mask():
    v = ztgym.ZtgymVectorEnv("sre", num_envs=2, autoreset_mode="disabled")
    v.reset(seed=0)
    wait = v.action_names.index("wait")
    for _ in range(100):
        _, _, terms, truncs, _ = v.step(np.full(2, wait))
        if (terms | truncs).any():
            break
    done = terms | truncs
    assert done.all()  # same scenario, same waiting: both end together
    with pytest.raises(ValueError, match=r"actions\[0\]: environment 0 cannot step: its episode ended"):
        v.step(np.full(2, wait))
    v.reset(options={"reset_mask": np.array([True, False])})
    with pytest.raises(ValueError, match=r"actions\[1\]"):
        v.step(np.full(2, wait))
    v.reset(options={"reset_mask": np.array([False, True])})
    v.step(np.full(2, wait))


def test_one_seeded_reset_fixes_the_whole_run():
    def run():
        v = ztgym.ZtgymVectorEnv("sre", num_envs=8)
        v.reset(seed=123)
        rng = np.random.default_rng(0)
        out = []
        for _ in range(300):
            obs, r, t, u, _ = v.step(rng.integers(0, 7, size=8))
            out.append((obs.copy(), r.copy(), t.copy()))
        return out

    for (o1, r1, t1), (o2, r2, t2) in zip(run(), run()):
        assert np.array_equal(o1, o2) and np.array_equal(r1, r2) and np.array_equal(t1, t2)


def test_threads_give_the_same_results_as_one():
    def run(threads):
        v = ztgym.ZtgymVectorEnv("sre", num_envs=64, threads=threads, copy=False)
        assert v._native.threads == threads
        v.reset(seed=5)
        rng = np.random.default_rng(2)
        total = np.zeros(64)
        for _ in range(100):
            obs, r, *_ = v.step(rng.integers(0, 7, size=64))
            total += r
        return obs.copy(), total

    (o1, t1), (o2, t2) = run(1), run(2)
    assert np.array_equal(o1, o2) and np.array_equal(t1, t2)


def test_copy_false_returns_read_only_views():
    v = ztgym.ZtgymVectorEnv("sre", num_envs=2, copy=False)
    obs, _ = v.reset(seed=0)
    with pytest.raises(ValueError):
        obs[0, 0] = 1.0


def test_lagrangian_vector_wrapper():
    v = ztgym.LagrangianVectorWrapper(ztgym.ZtgymVectorEnv("sre", num_envs=4), lr=0.1)
    v.reset(seed=0)
    isolate = v.unwrapped.action_names.index("isolate")
    for _ in range(60):
        _, shaped, _, _, infos = v.step(np.full(4, isolate))
        assert np.allclose(shaped, infos["reward"] - infos["lagrange_multiplier"] * infos["cost"])
    assert v.multiplier.value > 0


def test_gymnasium_sync_vector_env_over_the_single_env_runs_through_autoresets():
    # Unseeded resets' seeds go into int64 arrays there: they stay below 2**63.
    envs = gymnasium.vector.SyncVectorEnv([lambda: ztgym.ZtgymEnv("sre", prompt=False)] * 3)
    envs.reset(seed=0)
    rng = np.random.default_rng(0)
    seen = 0
    for _ in range(200):
        _, _, terms, truncs, infos = envs.step(rng.integers(0, 7, size=3))
        seen += int((terms | truncs).sum())
    assert seen > 3
