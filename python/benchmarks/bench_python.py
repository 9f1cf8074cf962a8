"""Steps per second from Python, side by side in one process: ztgym's Rust vector environment
(N = 1, 64, 1024; copies and read-only views; one and two threads), Gymnasium's
``SyncVectorEnv`` over the single ztgym environment, the single environment alone, and NASim's
``tiny`` scenario with a random agent.

    python python/benchmarks/bench_python.py            # about 2 minutes
    python python/benchmarks/bench_python.py --quick    # about 15 seconds, a smoke test
    python python/benchmarks/bench_python.py --json     # the figures as JSON instead

How it measures: every contender is built and reset once, then the repeats go round robin
(each repeat times every contender for ``--seconds``), so a burst of load elsewhere on the
machine falls on all of them alike; the table gives each one's median. Random actions are
drawn up front with numpy and cycled, so drawing them is not timed. A vector step of N
environments counts N steps (an environment being reset by Gymnasium's next-step autoreset
included, as EnvPool and PufferLib count). "per CPU-second" divides by the process's CPU time
rather than the wall clock: it is what one core gives when other programs share the machine,
and for a two-thread row it shows the threads' efficiency. Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

# OpenBLAS's idle worker threads would take a share of the second core: nothing here uses BLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

# Enough actions that cycling them does not repeat a short pattern.
ACTIONS_DRAWN = 1 << 16


@dataclass
class Contender:
    """One row of the table: what it is, how to build it, and its measurements."""

    name: str
    steps_per_call: int
    threads: int
    build: Callable[[], Callable[[int], None]]
    note: str = ""
    wall: list = field(default_factory=list)
    cpu: list = field(default_factory=list)
    error: Optional[str] = None
    run: Optional[Callable[[int], None]] = None


def ztgym_vector(gym_id: str, scenario: str, n: int, copy: bool, threads: Optional[int]) -> Contender:
    """ztgym's Rust vector environment, stepped with random abstract actions."""

    def build():
        import gymnasium

        import ztgym  # noqa: F401  (registers the ids)

        env = gymnasium.make_vec(
            gym_id,
            num_envs=n,
            vectorization_mode="vector_entry_point",
            scenario=scenario,
            copy=copy,
            threads=threads,
        )
        env.reset(seed=0)
        contender.threads = env._native.threads
        rows = max(16, ACTIONS_DRAWN // n)
        actions = np.random.default_rng(0).integers(0, env.single_action_space.n, (rows, n))
        step = env.step

        def run(calls: int) -> None:
            for i in range(calls):
                step(actions[i % rows])

        return run

    label = "copy" if copy else "copy=False"
    contender = Contender(
        name=f"ztgym vector {gym_id.split('/')[1]} {scenario}, N={n}, {label}"
        + (f", threads={threads}" if threads is not None else ""),
        steps_per_call=n,
        threads=0,
        build=build,
    )
    return contender


def sync_vector(n: int) -> Contender:
    """Gymnasium's ``SyncVectorEnv`` over ``n`` single ztgym environments (no prompt)."""

    def build():
        import gymnasium

        import ztgym  # noqa: F401

        env = gymnasium.vector.SyncVectorEnv(
            [lambda: gymnasium.make("ztgym/SRE-v0", scenario="classic", prompt=False)] * n
        )
        env.reset(seed=0)
        rows = max(16, ACTIONS_DRAWN // n)
        actions = np.random.default_rng(0).integers(0, env.single_action_space.n, (rows, n))
        step = env.step

        def run(calls: int) -> None:
            for i in range(calls):
                step(actions[i % rows])

        return run

    return Contender(f"Gymnasium SyncVectorEnv over ZtgymEnv (prompt=False), N={n}", n, 1, build)


def single(prompt: bool) -> Contender:
    """One ``gymnasium.make`` environment in a Python loop, reset when an episode ends."""

    def build():
        import gymnasium

        import ztgym  # noqa: F401

        env = gymnasium.make("ztgym/SRE-v0", scenario="classic", prompt=prompt)
        return single_loop(env)

    return Contender(f"gymnasium.make ZtgymEnv SRE classic (prompt={prompt}), N=1", 1, 1, build)


def nasim_tiny() -> Contender:
    """NASim's ``tiny`` benchmark scenario (flat actions and observations) with a random agent."""

    def build():
        import nasim

        env = nasim.make_benchmark("tiny", seed=0, fully_obs=False, flat_actions=True, flat_obs=True)
        return single_loop(env)

    contender = Contender("NASim tiny, random agent, N=1", 1, 1, build)
    try:
        from importlib.metadata import version

        contender.note = f"nasim {version('nasim')}"
    except Exception:  # noqa: BLE001 - not installed: build() reports why
        pass
    return contender


def single_loop(env) -> Callable[[int], None]:
    """A random agent's loop over one Gymnasium-style environment."""
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, env.action_space.n, ACTIONS_DRAWN).tolist()
    count = len(actions)

    def run(calls: int) -> None:
        step, reset = env.step, env.reset
        for i in range(calls):
            _, _, terminated, truncated, _ = step(actions[i % count])
            if terminated or truncated:
                reset()

    return run


def contenders() -> list[Contender]:
    sre = "ztgym/SRE-v0"
    rows = [
        ztgym_vector(sre, "classic", 1, True, None),
        ztgym_vector(sre, "classic", 1, False, None),
        ztgym_vector(sre, "classic", 64, True, None),
        ztgym_vector(sre, "classic", 64, False, None),
        ztgym_vector(sre, "classic", 1024, True, None),
        ztgym_vector(sre, "classic", 1024, False, None),
        ztgym_vector(sre, "classic", 1024, True, 1),
        ztgym_vector(sre, "classic", 1024, False, 1),
        ztgym_vector(sre, "classic", 1024, False, 2),
        ztgym_vector("ztgym/Triage-v0", "L1", 64, True, None),
        ztgym_vector("ztgym/Triage-v0", "L1", 64, False, None),
        ztgym_vector("ztgym/Harden-v0", "seed001", 64, True, None),
        ztgym_vector("ztgym/Harden-v0", "seed001", 64, False, None),
        sync_vector(64),
        single(prompt=False),
        single(prompt=True),
        nasim_tiny(),
    ]
    return rows


def measure(contender: Contender, seconds: float) -> None:
    """Runs ``contender`` for about ``seconds`` (whole chunks of about 10 ms) and records its
    steps per wall-clock second and per CPU second."""
    run = contender.run
    # A chunk's size from a short trial, so the clock is read rarely.
    t = time.perf_counter()
    run(4)
    per_call = max((time.perf_counter() - t) / 4, 1e-7)
    chunk = max(1, int(0.01 / per_call))
    calls = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while True:
        run(chunk)
        calls += chunk
        wall = time.perf_counter() - wall0
        if wall >= seconds:
            break
    cpu = time.process_time() - cpu0
    steps = calls * contender.steps_per_call
    contender.wall.append(steps / wall)
    contender.cpu.append(steps / cpu if cpu > 0 else float("nan"))


def scaling(rows: list[Contender]) -> Optional[float]:
    """N=1024 with two threads over N=1024 with one (copy=False, wall clock medians)."""
    by_name = {r.name: r for r in rows if r.wall}
    one = by_name.get("ztgym vector SRE-v0 classic, N=1024, copy=False, threads=1")
    two = by_name.get("ztgym vector SRE-v0 classic, N=1024, copy=False, threads=2")
    if one is None or two is None:
        return None
    return statistics.median(two.wall) / statistics.median(one.wall)


def versions() -> dict:
    out = {"python": platform.python_version(), "machine": platform.machine(), "cores": os.cpu_count()}
    from importlib.metadata import PackageNotFoundError, version

    for name in ("ztgym", "gymnasium", "numpy", "nasim"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def load() -> Optional[list]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def table(rows: list[Contender], meta: dict) -> str:
    lines = [
        "| contender | threads | steps/s (median, wall) | min-max | per CPU-second | x NASim |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    nasim = next((r for r in rows if r.name.startswith("NASim") and r.wall), None)
    base = statistics.median(nasim.wall) if nasim else None
    for r in rows:
        if r.error:
            lines.append(f"| {r.name} | - | not measured: {r.error} | | | |")
            continue
        med = statistics.median(r.wall)
        ratio = f"{med / base:.1f}" if base else "-"
        lines.append(
            f"| {r.name} | {r.threads} | {med:,.0f} | {min(r.wall):,.0f}-{max(r.wall):,.0f} "
            f"| {statistics.median(r.cpu):,.0f} | {ratio} |"
        )
    v = meta["versions"]
    lines.append("")
    if meta.get("two_threads_over_one") is not None:
        lines.append(
            f"Two threads over one, N=1024, copy=False (wall clock): {meta['two_threads_over_one']:.2f}x "
            "(2.0 would be linear; the other core is shared with whatever else runs)."
        )
    lines.append(
        f"{meta['repeats']} repeats of {meta['seconds']} s each, round robin; Python {v['python']}, "
        f"gymnasium {v['gymnasium']}, numpy {v['numpy']}, nasim {v['nasim']}, ztgym {v['ztgym']}; "
        f"{v['cores']} cores; load average {meta['load_before']} before, {meta['load_after']} after."
    )
    return "\n".join(lines)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per contender per repeat (default 1.0)")
    parser.add_argument("--repeats", type=int, default=5, help="round-robin repeats; the median is reported (default 5)")
    parser.add_argument("--quick", action="store_true", help="0.1 s x 3 repeats: a smoke test in about 15 s")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)
    seconds, repeats = (0.1, 3) if args.quick else (args.seconds, args.repeats)
    if seconds <= 0 or repeats < 1:
        parser.error("--seconds must be > 0 and --repeats >= 1")

    rows = contenders()
    load_before = load()
    for r in rows:
        try:
            r.run = r.build()
            measure(r, min(seconds, 0.05))  # warm-up, not recorded
            r.wall.clear()
            r.cpu.clear()
        except Exception as e:  # noqa: BLE001 - a contender that cannot run says why, in its row
            r.error = f"{type(e).__name__}: {e}"
    for _ in range(repeats):
        for r in rows:
            if r.error is None:
                measure(r, seconds)
    meta = {
        "two_threads_over_one": scaling(rows),
        "seconds": seconds,
        "repeats": repeats,
        "versions": versions(),
        "load_before": load_before,
        "load_after": load(),
    }
    if args.json:
        out = {
            "meta": meta,
            "rows": [
                {
                    "name": r.name,
                    "steps_per_call": r.steps_per_call,
                    "threads": r.threads,
                    "steps_per_second": statistics.median(r.wall) if r.wall else None,
                    "steps_per_cpu_second": statistics.median(r.cpu) if r.cpu else None,
                    "samples_wall": r.wall,
                    "samples_cpu": r.cpu,
                    "note": r.note,
                    "error": r.error,
                }
                for r in rows
            ],
        }
        json.dump(out, sys.stdout, indent=1)
        print()
    else:
        print(table(rows, meta))
    return 1 if all(r.error for r in rows if r.name.startswith("ztgym")) else 0


if __name__ == "__main__":
    sys.exit(main())
