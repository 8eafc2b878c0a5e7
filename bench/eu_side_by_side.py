#!/usr/bin/env python3
"""The expected-utility model on KTAB's 160 actors (`dummyData-a160.csv`: position Pos1, salience
Sal1/100, capability = Influence), 100 rounds asked for, in one run:

1. brink, both modes (`brink_bargain::expected_utility::run`, rounds = 100): the criterion groups
   `perf_eu_a160_100_rounds` and `perf_eu_a160_5_rounds` of `crates/bargain/benches/perf_models.rs`
   (median time per run), and the rounds each mode actually played (the corrected mode stops at
   consensus) from the bench's output;
2. a plain-Python implementation of the corrected mode, `scripts/eu_golden.py` (the independent
   script the golden fixtures come from: literal O(n^3) sums, no numpy), on the same 160 actors.
   It takes seconds per round, so by default it runs the first 5 rounds (`--py-rounds`), compared
   with brink's first 5 rounds; with `--py-rounds 100` it runs to the end (minutes).
   Its positions after those rounds are compared with brink's golden-tested implementation only
   through the committed fixtures (first 40 actors), not here.

There is no published tool running this model at this size to compare against; the Python
script is the reference implementation brink's tests use, and the ratio measures an interpreted
literal implementation against brink's.

Usage (from the repository root): python3 bench/eu_side_by_side.py [--py-rounds 5]
"""

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRIT = ROOT / "target" / "criterion"
sys.path.insert(0, str(ROOT / "scripts"))
import eu_golden  # noqa: E402


def median_s(group, bench):
    p = CRIT / group / bench / "new" / "estimates.json"
    return json.loads(p.read_text())["median"]["point_estimate"] / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--py-rounds", type=int, default=5)
    a = ap.parse_args()

    out = subprocess.run(["cargo", "bench", "-q", "-p", "brink-bargain", "--bench", "perf_models",
                          "--", "perf_eu_a160"], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout
    played = {m.group(1): (int(m.group(2)), m.group(3))
              for m in re.finditer(r"eu_a160 (\w+) rounds_played (\d+) stop (.+?) median", out)}
    print("brink, expected_utility::run on 160 actors, rounds = 100 (criterion median per run):")
    for mode in ("Corrected", "ScholzReplication"):
        t = median_s("perf_eu_a160_100_rounds", mode)
        r, stop = played[mode]
        print(f"  {mode:<18} {t * 1e3:9.2f} ms  {r:3d} rounds played ({stop}), "
              f"{t / r * 1e3:.3f} ms per round")
    b5 = median_s("perf_eu_a160_5_rounds", "Corrected")
    print(f"  Corrected, first 5 rounds: {b5 * 1e3:.2f} ms")

    actors = eu_golden.read_ktab(str(ROOT / "tests/data/ktab/dummyData-a160.csv"), 160)
    t0 = time.perf_counter()
    res = eu_golden.simulate(actors, rounds=a.py_rounds)
    py = time.perf_counter() - t0
    n_py = len(res["rounds"])
    print(f"\nscripts/eu_golden.py (plain CPython {sys.version.split()[0]}), corrected mode, "
          f"{a.py_rounds} rounds asked for: {py:.2f} s, {n_py} rounds played, "
          f"stop {res['stop']}, {py / max(n_py, 1):.2f} s per round")
    if a.py_rounds == 5:
        print(f"ratio, first 5 rounds, Python / brink: {py / b5:,.0f}x")
    elif a.py_rounds >= played["Corrected"][0]:
        t = median_s("perf_eu_a160_100_rounds", "Corrected")
        print(f"ratio, whole run, Python / brink: {py / t:,.0f}x")


if __name__ == "__main__":
    main()
