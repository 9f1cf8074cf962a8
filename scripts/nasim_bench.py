#!/usr/bin/env python3
"""NASim steps/s with a uniformly random agent, for the side-by-side benchmark.

Run by scripts/bench-vs-nasim.sh inside its venv (.cache/nasim-venv); it can be run by hand
with that venv's python too:

    .cache/nasim-venv/bin/python scripts/nasim_bench.py --steps 200000 --seed 0
    .cache/nasim-venv/bin/python scripts/nasim_bench.py summarize RESULTS.jsonl
    .cache/nasim-venv/bin/python scripts/nasim_bench.py measure -- target/release/ztgym bench ... --json

`bench` (the default) prints one JSON object per run on stdout, shaped like
`ztgym bench --json` (`steps`, `episodes`, `seconds`, `steps_per_second`).

The environment is what a user gets from `nasim.make_benchmark("tiny", seed)` with its
defaults: partially observable (fully_obs=False), flat actions (one Discrete(18) index per
action) and flat observations (a 1-D vector of 56 floats). It is the bare NASimEnv, without
the wrappers that `gymnasium.make("TinyPO-v0")` adds (OrderEnforcing, PassiveEnvChecker), so
NASim is measured at its fastest. The agent samples `env.action_space.sample()` and passes
`int(...)`: with gymnasium >= 1.0, Discrete.sample() returns numpy.int64, which NASim 0.12's
flat action space rejects (`assert isinstance(action_idx, int)`). An episode ends when NASim
says terminated (both sensitive hosts compromised) or truncated (tiny's step_limit of 1000);
the agent then resets. Only the step/reset loop is timed; making the environment and the
first seeded reset are not.

Seeding: NASim draws exploit success from numpy's global RNG (np.random.rand in
nasim/envs/network.py), so np.random.seed(seed) fixes it; env.reset(seed=seed) seeds the
env's own RNG and env.action_space.seed(seed) the agent's. Same seed, same trajectory.
"""

import argparse
import json
import platform
import statistics
import sys
import time


def bench(args):
    import gymnasium
    import numpy as np

    import nasim

    env = nasim.make_benchmark(args.scenario, seed=args.seed)
    spec = {
        "fully_obs": env.fully_obs,
        "flat_actions": env.flat_actions,
        "flat_obs": env.flat_obs,
        "action_space": str(env.action_space),
        "observation_shape": list(env.observation_space.shape),
        "step_limit": env.scenario.step_limit,
    }
    versions = {
        "nasim": nasim.__version__,
        "numpy": np.__version__,
        "gymnasium": gymnasium.__version__,
        "python": platform.python_version(),
    }
    for run in range(args.runs):
        np.random.seed(args.seed)
        env.reset(seed=args.seed)
        env.action_space.seed(args.seed)
        sample = env.action_space.sample
        step = env.step
        reset = env.reset
        target = args.steps
        steps = 0
        episodes = 0
        goals = 0
        cpu_start = time.process_time()
        start = time.perf_counter()
        while steps < target:
            _, _, terminated, truncated, _ = step(int(sample()))
            steps += 1
            if terminated or truncated:
                episodes += 1
                goals += int(terminated)
                reset()
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        print(
            json.dumps(
                {
                    "simulator": "nasim",
                    "scenario": args.scenario,
                    "agent": "random",
                    "run": run,
                    "seed": args.seed,
                    "steps": steps,
                    "episodes": episodes,
                    "episodes_goal_reached": goals,
                    "seconds": seconds,
                    "steps_per_second": steps / seconds,
                    "cpu_seconds": cpu_seconds,
                    "cpu_steps_per_second": steps / cpu_seconds,
                    "env": spec,
                    "versions": versions,
                }
            ),
            flush=True,
        )


def measure(command):
    """Runs `ztgym bench ... --json` and adds the CPU time it used (user + system, from
    wait4) to its JSON: steps per CPU second moves far less than steps per wall-clock second
    when other work shares the machine's cores. The process's CPU time includes loading the
    scenario, a few milliseconds against seconds of stepping."""
    import os
    import subprocess

    child = subprocess.Popen(command, stdout=subprocess.PIPE)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"measure: {' '.join(command)} exited with {child.returncode}")
    try:
        value = json.loads(out)
    except json.JSONDecodeError as e:
        sys.exit(f"measure: {' '.join(command)} printed no JSON ({e}): {out[:300]!r}")
    cpu_seconds = usage.ru_utime + usage.ru_stime
    value["simulator"] = "ztgym"
    value["cpu_seconds"] = cpu_seconds
    value["cpu_steps_per_second"] = value["steps"] / cpu_seconds
    print(json.dumps(value), flush=True)


def summarize(args):
    """Reads the JSON lines the shell script collected and prints the table."""
    rows = {}
    order = []
    versions = None
    with open(args.results, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"summarize: {args.results}:{number}: not JSON ({e}): {line[:200]}")
            key = (value.get("simulator", "ztgym"), value["scenario"], value["agent"])
            if key not in rows:
                rows[key] = []
                order.append(key)
            rows[key].append(value)
            versions = value.get("versions", versions)

    def best(key):
        return max(r["steps_per_second"] for r in rows[key])

    def cpu_best(key):
        return max(r.get("cpu_steps_per_second", float("nan")) for r in rows[key])

    header = f"{'simulator':<10} {'scenario':<11} {'agent':<7} {'steps/run':>10} {'episodes/run':>12} {'runs':>4} {'best steps/s':>13} {'median steps/s':>15} {'best steps/CPU-s':>17}"
    print(header)
    print("-" * len(header))
    for key in order:
        runs = rows[key]
        speeds = [r["steps_per_second"] for r in runs]
        print(
            f"{key[0]:<10} {key[1]:<11} {key[2]:<7} {runs[0]['steps']:>10,} "
            f"{runs[0]['episodes']:>12,} {len(runs):>4} {max(speeds):>13,.0f} "
            f"{statistics.median(speeds):>15,.0f} {cpu_best(key):>17,.0f}"
        )
    zt = ("ztgym", "classic", "random")
    na = ("nasim", "tiny", "random")
    summary = {}
    if zt in rows and na in rows:
        ratio_best = best(zt) / best(na)
        ratio_median = statistics.median(r["steps_per_second"] for r in rows[zt]) / statistics.median(
            r["steps_per_second"] for r in rows[na]
        )
        print()
        print(
            f"ratio ztgym random classic / nasim random tiny: {ratio_best:,.1f}x (best of runs), "
            f"{ratio_median:,.1f}x (medians)"
        )
        ratio_cpu = cpu_best(zt) / cpu_best(na)
        print(f"ratio per CPU second (best of runs): {ratio_cpu:,.1f}x")
        summary = {
            "ratio_best": ratio_best,
            "ratio_median": ratio_median,
            "ratio_cpu_best": ratio_cpu,
        }
    if versions:
        print("nasim env: " + json.dumps(rows[na][0]["env"]) if na in rows else "")
        print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    if args.json:
        print(
            json.dumps(
                {
                    "rows": [
                        {
                            "simulator": k[0],
                            "scenario": k[1],
                            "agent": k[2],
                            "runs": len(rows[k]),
                            "best_steps_per_second": best(k),
                            "median_steps_per_second": statistics.median(
                                r["steps_per_second"] for r in rows[k]
                            ),
                            "best_cpu_steps_per_second": cpu_best(k),
                        }
                        for k in order
                    ],
                    **summary,
                    "versions": versions,
                }
            )
        )


def main():
    argv = sys.argv[1:]
    if argv[:1] == ["summarize"]:
        s = argparse.ArgumentParser(prog="nasim_bench.py summarize")
        s.add_argument("results", help="file of JSON lines (ztgym bench --json and this script's)")
        s.add_argument("--json", action="store_true", help="also print the summary as one JSON line")
        summarize(s.parse_args(argv[1:]))
        return
    if argv[:1] == ["measure"]:
        command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
        if not command:
            sys.exit("usage: nasim_bench.py measure -- COMMAND...")
        measure(command)
        return
    if argv[:1] == ["bench"]:
        argv = argv[1:]
    b = argparse.ArgumentParser(
        prog="nasim_bench.py [bench]", description=__doc__.split("\n\n")[0]
    )
    b.add_argument("--scenario", default="tiny", help="NASim benchmark scenario (default tiny)")
    b.add_argument("--steps", type=int, default=200_000, help="steps per run (default 200000)")
    b.add_argument("--runs", type=int, default=1, help="timed runs (default 1)")
    b.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    args = b.parse_args(argv)
    if args.steps < 1 or args.runs < 1:
        b.error("--steps and --runs must be at least 1")
    bench(args)


if __name__ == "__main__":
    main()
