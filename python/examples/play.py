"""Plays one episode of every environment the server serves, through the unmodified OpenEnv
client, with each environment's scripted playbook.

    ztgym serve --port 8000 &
    python python/examples/play.py --url http://127.0.0.1:8000 [--seed 7] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from ztgym_openenv import CLIENTS, PLAYBOOKS  # noqa: E402


def play(url: str, env_id: str, seed: int, quiet: bool = False) -> dict:
    """One episode of ``env_id``; its figures."""
    client = CLIENTS[env_id](base_url=url)
    playbook = PLAYBOOKS[env_id]()
    total_reward = total_cost = 0.0
    with client.sync() as env:
        result = env.reset(seed=seed)
        if not quiet:
            print(result.observation.prompt)
        while not result.done:
            action = playbook.act(result.observation)
            result = env.step(action)
            total_reward += result.reward or 0.0
            total_cost += result.observation.cost
            if not quiet:
                events = "; ".join(e["message"] for e in result.observation.info.get("events", []))
                print(f"> {action.model_dump(exclude={'metadata'})}\n  {events}")
        state = env.state()
    summary = {
        "env": env_id,
        "seed": seed,
        "steps": state.step_count,
        "return": round(total_reward, 2),
        "cost": total_cost,
        "outcome": result.observation.info.get("outcome"),
        "episode_id": state.episode_id,
    }
    if not quiet:
        print(json.dumps(summary))
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    with urllib.request.urlopen(f"{args.url}/metadata") as r:
        served = [e["id"] for e in json.load(r)["envs"]]
    for env_id in served:
        if env_id not in CLIENTS:
            print(f"{env_id}: no client in ztgym_openenv yet", file=sys.stderr)
            return 1
        summary = play(args.url, env_id, args.seed, args.quiet)
        if args.quiet:
            print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
