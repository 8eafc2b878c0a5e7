#!/usr/bin/env python3
"""Scaling table of the models from criterion's output of `perf_models`.

Reads the median time per run of each `perf_models/<model>/ktab-<n>` benchmark from
`target/criterion/perf_models/<model>/ktab-<n>/new/estimates.json` (n = 10, 40, 80, 160), the
rounds each dynamic model played from the bench's own stdout (lines `rounds <model> <case> <r>
...`, optional), and prints per model: the time per run at each size, the time per round at
160 actors, and the least-squares slope of log(time) against log(actors) over the four sizes
(the fitted scaling exponent; 1 = linear, 3 = cubic). The exponent of the time per round is given
too where the rounds played differ between sizes.

Usage (from the repository root):
    cargo bench -p brink-bargain --bench perf_models | tee /tmp/perf_models.log
    python3 bench/fit_scaling.py --log /tmp/perf_models.log [--markdown]
"""

import argparse
import json
import math
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRIT = ROOT / "target" / "criterion" / "perf_models"
SIZES = [10, 40, 80, 160]


def median_ns(model, case):
    p = CRIT / model / case / "new" / "estimates.json"
    if not p.exists():
        return None
    return json.loads(p.read_text())["median"]["point_estimate"]


def slope(xs, ys):
    """Least-squares slope of log(y) on log(x)."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def fmt_t(ns):
    if ns is None:
        return "-"
    for unit, k in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= k:
            return f"{ns / k:.3g} {unit}"
    return f"{ns:.3g} ns"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--log", help="the bench's stdout (for the rounds played)")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    a = ap.parse_args()
    rounds = {}
    if a.log:
        for line in Path(a.log).read_text().splitlines():
            m = re.match(r"rounds (\S+) (\S+) (\S+) covered (\d+)/(\d+)", line)
            if m and m.group(3) != "-":
                rounds[(m.group(1), m.group(2))] = int(m.group(3))
    models = sorted(p.name for p in CRIT.iterdir() if p.is_dir()) if CRIT.exists() else []
    order = ["compromise", "compromise-equal", "median", "nash", "nash-quadratic", "eu",
             "eu-scholz", "smp", "exchange"]
    models = [m for m in order if m in models] + [m for m in models if m not in order]
    head = (["model"] + [f"{n} actors" for n in SIZES] + ["10 (Example)", "rounds at 10/40/80/160",
            "per round at 160", "exponent (run)", "exponent (per round)"])
    rows = []
    for m in models:
        t = [median_ns(m, f"ktab-{n}") for n in SIZES]
        ex = median_ns(m, "example-10")
        r = [rounds.get((m, f"ktab-{n}")) for n in SIZES]
        exp_run = slope(SIZES, t) if all(t) else None
        per_round = [ti / ri for ti, ri in zip(t, r)] if all(t) and all(r) else None
        exp_round = (slope(SIZES, per_round) if per_round and len(set(r)) > 1 else None)
        rows.append([m] + [fmt_t(x) for x in t] + [
            fmt_t(ex),
            "/".join(str(x) for x in r) if all(r) else "-",
            fmt_t(per_round[-1]) if per_round else "-",
            f"{exp_run:.2f}" if exp_run is not None else "-",
            f"{exp_round:.2f}" if exp_round is not None else "-",
        ])
    if a.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
        for r in [head] + rows:
            print("  ".join(str(x).rjust(k) for x, k in zip(r, w)))


if __name__ == "__main__":
    main()
