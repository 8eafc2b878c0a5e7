#!/usr/bin/env python3
"""The Python package's cost over the command line, and a sweep on Ray against one process.

Not a test: it prints timings (wall clock, median of repeats) for docs/performance.md.

1. 2,000 draws of the built-in scenario (default models, seed 1):
   - `brink run --draws 2000 --seed 1 --format json -q` as a subprocess (process start, the
     embedded scenario's loading and validation, the run, the JSON);
   - `brink.builtin().run(draws=2000, seed=1)` in a running interpreter (loading and validation,
     the run, the JSON handed to Python), and the same plus the two DataFrames;
   - each checked to give the same JSON.
2. 100,000 draws of the built-in scenario (default models, seed 1):
   - one process: `run(draws=100_000)` on all threads (and, with --more, on 1 thread);
   - `brink.sweep(..., executor="ray", workers=2)`: Ray tasks on a local Ray instance with 2
     CPUs, 2 tasks of 1 thread each (Ray's start is timed apart);
   - with --more, `brink.sweep(..., executor="local", workers=2)` (2 spawned processes);
   - each checked to give the same JSON as the one-process run.

Usage (from the repository's root, with the wheel installed and target/release/brink built):

    python bench/python_overhead.py [--repeats 5] [--sweep-draws 100000] [--no-ray]
                                    [--skip-overhead] [--more]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import brink

ROOT = Path(__file__).resolve().parents[1]


def timed(f, repeats):
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times), out


def row(label, t):
    med, lo, hi, _ = t
    print(f"  {label:<58} median {med:8.3f} s  (min {lo:.3f}, max {hi:.3f})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--sweep-draws", type=int, default=100_000)
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--skip-overhead", action="store_true", help="only part 2")
    ap.add_argument("--more", action="store_true", help="part 2 also on 1 thread and local processes")
    args = ap.parse_args()
    cli = os.environ.get("BRINK_BIN", str(ROOT / "target" / "release" / "brink"))
    print(f"python {sys.version.split()[0]}, brink {brink.__version__}, "
          f"load average {os.getloadavg()}")

    if not args.skip_overhead:
        overhead(cli, args.repeats)
    sweeps(args)


def overhead(cli, repeats):
    print("\n1. 2,000 draws of the built-in scenario, default models")
    cmd = [cli, "run", "--draws", "2000", "--seed", "1", "--format", "json", "-q"]
    t_cli = timed(lambda: subprocess.run(cmd, capture_output=True, text=True, check=True).stdout,
                  repeats)
    t_py = timed(lambda: brink.builtin().run(draws=2000, seed=1).to_json(), repeats)

    def frames():
        fc = brink.builtin().run(draws=2000, seed=1)
        fc.issues, fc.crises
        return fc.to_json()

    t_df = timed(frames, repeats)
    assert t_cli[3] == t_py[3] == t_df[3], "the Python document differs from the command line's"
    row("command line (subprocess)", t_cli)
    row("Python: builtin().run()", t_py)
    row("Python: builtin().run() + .issues + .crises", t_df)
    print(f"  Python over the command line: {t_py[0] - t_cli[0]:+.3f} s "
          f"({t_py[0] / t_cli[0]:.2f}x); with the DataFrames {t_df[0] - t_cli[0]:+.3f} s")


def sweeps(args):
    n = args.sweep_draws
    print(f"\n2. {n:,} draws of the built-in scenario, default models")
    sc = brink.builtin()
    t1 = timed(lambda: sc.run(draws=n, seed=1).to_json(), 1)
    row(f"one process, all threads ({os.cpu_count()})", t1)
    if args.more:
        tone = timed(lambda: sc.run(draws=n, seed=1, threads=1).to_json(), 1)
        row("one process, 1 thread", tone)
        assert tone[3] == t1[3]
        tloc = timed(
            lambda: brink.sweep(sc, draws=n, seed=1, executor="local", workers=2).to_json(), 1
        )
        row("sweep: 2 local processes x 1 thread", tloc)
        assert tloc[3] == t1[3], "the local sweep differs from one process"
    if not args.no_ray:
        import ray
        t = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        print(f"  (Ray's start: {time.perf_counter() - t:.2f} s, not counted below)")
        # A first small sweep starts Ray's workers and imports brink in them.
        brink.sweep(sc, draws=512, seed=1, executor="ray", workers=2)
        tray = timed(lambda: brink.sweep(sc, draws=n, seed=1, executor="ray", workers=2).to_json(), 1)
        row("sweep: Ray, 2 local workers x 1 thread", tray)
        assert tray[3] == t1[3], "the Ray sweep differs from one process"
        ray.shutdown()
    print("\nEvery merged sweep gave the one-process document byte for byte.")


if __name__ == "__main__":
    main()
