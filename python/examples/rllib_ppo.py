"""RLlib's PPO (new API stack, torch) on ztgym's Rust vector environment.

Each RLlib EnvRunner makes its environments with ``gymnasium.make_vec(...,
vectorization_mode="vector_entry_point")``, so it steps ``num_envs_per_env_runner`` SRE gyms
in one call into Rust instead of a Python loop over them::

    pip install ./python "ray[rllib]" torch     # torch is large: not in the test venv
    python python/examples/rllib_ppo.py --iterations 20
    python python/examples/rllib_ppo.py --address auto --env-runners 4   # on a Ray cluster

It reports, per iteration, the mean episode return and the steps sampled, then the mean
return and cost of greedy evaluation episodes next to the built-in ``sop`` agent's.
"""

from __future__ import annotations

import argparse
import time

import gymnasium
import numpy as np


def make(config: dict):
    """The environment RLlib asks for: the Rust vector env when it passes ``num_envs``."""
    import ztgym

    config = dict(config)
    num_envs = config.pop("num_envs", None)
    if num_envs is None:
        return ztgym.ZtgymEnv(prompt=False, **config)
    return ztgym.ZtgymVectorEnv(num_envs=num_envs, **config)


def evaluate(algo, env_kwargs: dict, episodes: int) -> tuple[float, float]:
    """Mean return and cost of greedy episodes of the trained module, seeds 10,000 on."""
    import torch

    import ztgym

    module = algo.get_module()
    env = ztgym.ZtgymEnv(prompt=False, **env_kwargs)
    returns, costs = [], []
    for seed in range(10_000, 10_000 + episodes):
        obs, _ = env.reset(seed=seed)
        done, total, cost = False, 0.0, 0.0
        while not done:
            out = module.forward_inference({"obs": torch.from_numpy(obs[None])})
            action = int(torch.argmax(out["action_dist_inputs"][0]))
            obs, reward, terminated, truncated, info = env.step(action)
            total += reward
            cost += info["cost"]
            done = terminated or truncated
        returns.append(total)
        costs.append(cost)
    return float(np.mean(returns)), float(np.mean(costs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="classic")
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--envs-per-runner", type=int, default=32)
    parser.add_argument("--env-runners", type=int, default=0, help="0: sample in the driver")
    parser.add_argument("--episodes", type=int, default=100, help="greedy evaluation episodes")
    parser.add_argument("--address", default=None, help="a Ray cluster (`auto`), else local")
    args = parser.parse_args()

    import ray
    from ray.rllib.algorithms.ppo import PPOConfig
    from ray.tune.registry import register_env

    from ztgym.commands import command

    ray.init(address=args.address, include_dashboard=False, log_to_driver=False)
    register_env("ztgym-sre", make)
    env_kwargs = {"env": "sre", "scenario": args.scenario}
    config = (
        PPOConfig()
        .environment("ztgym-sre", env_config=env_kwargs)
        .env_runners(
            num_env_runners=args.env_runners,
            num_envs_per_env_runner=args.envs_per_runner,
            gym_env_vectorize_mode=gymnasium.VectorizeMode.VECTOR_ENTRY_POINT,
        )
        .training(train_batch_size_per_learner=4096, minibatch_size=512, num_epochs=6, lr=3e-4)
        .debugging(seed=1)
    )
    algo = config.build_algo()
    start = time.perf_counter()
    for i in range(args.iterations):
        result = algo.train()
        runners = result["env_runners"]
        print(
            f"iteration {i + 1}: mean return {runners.get('episode_return_mean', float('nan')):.2f}, "
            f"{int(runners.get('num_env_steps_sampled_lifetime', 0)):,} steps sampled"
        )
    seconds = time.perf_counter() - start
    mean_return, mean_cost = evaluate(algo, env_kwargs, args.episodes)
    sop = command("sre", "eval", scenario=args.scenario, agent="sop", episodes=args.episodes, seed=10_000)
    print(f"trained {args.iterations} iterations in {seconds:.0f} s")
    print(f"PPO (RLlib), greedy: mean return {mean_return:.2f}, mean cost {mean_cost:.3f}")
    print(f"built-in sop: {sop['result']}")
    algo.stop()
    ray.shutdown()


if __name__ == "__main__":
    main()
