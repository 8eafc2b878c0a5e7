#!/usr/bin/env python3
"""What a user waits for: the release binary's wall and CPU time on the runs the README suggests.

    cargo build --release -p brink-cli
    python3 bench/cli_defaults.py [--repeat 5] [--brink target/release/brink]

Runs, each --repeat times (median, min and max reported; CPU = user + system of the child):
  1. `brink run`                       the built-in scenario, default options (no draws)
  2. `brink run --draws 10000 -q`      the built-in scenario, every default model
  3. `brink run DEU.toml`              the DEU III development file imported with
                                       `brink import --from deu` (233 issues, 30 actors, 88
                                       proposals, each its own negotiation)
  4. `brink run DEU.toml --draws 100 -q`
Prints a Markdown table for docs/performance.md and the machine's load average.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--brink", default=os.path.join(ROOT, "target/release/brink"))
    a = ap.parse_args()
    b = a.brink
    tmp = tempfile.mkdtemp(prefix="brink-bench-")
    subprocess.run(
        [b, "import", "--from", "deu", os.path.join(ROOT, "tests/data/deu3/deu3-dev.tsv"), "-o", tmp],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    deu = [os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".toml") and "outcomes" not in f][0]
    runs = [
        ("`brink run` (built-in scenario, no draws)", [b, "run"]),
        ("`brink run --draws 10000` (built-in, all default models)", [b, "run", "--draws", "10000", "-q"]),
        ("`brink run` on the imported DEU development file", [b, "run", deu]),
        ("`brink run --draws 100` on the imported DEU development file", [b, "run", deu, "--draws", "100", "-q"]),
    ]
    print(f"load average before: {os.getloadavg()}")
    print("| run | wall, median (min-max) | CPU, median |")
    print("|---|---|---|")
    for name, cmd in runs:
        walls, cpus = [], []
        for _ in range(a.repeat):
            w, c = timed(cmd)
            walls.append(w)
            cpus.append(c)
        print(
            f"| {name} | {statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f}) "
            f"| {statistics.median(cpus):.2f} s |",
            flush=True,
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
