#!/usr/bin/env python3
"""Side-by-side timing: pygambit (lcp_solve, logit_solve) vs brink-crisis on the same .efg trees.

brink runs through the example binary `crates/crisis/examples/solve_efg.rs` (built with
`cargo build --release -p brink-crisis --example solve_efg`), which parses a file once and solves it
N times, printing the time per solve. Trees: the 6-leaf example of models.md, discretised Fearon
games (types x demands x accept/reject; 200 and 800 leaves), and random perfect-information trees from
scripts/crisis_oracle.py. logit_solve is skipped above --logit-max leaves (it takes about a minute at
200 leaves), lcp_solve above --lcp-max (default 200: at 800 leaves it takes minutes).

Usage: /path/to/venv-with-pygambit/bin/python bench/crisis_side_by_side.py [--logit-max 60] [--lcp-max 200]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

import pygambit as gbt

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import crisis_oracle as oracle  # noqa: E402

BIN = os.path.join(ROOT, "target", "release", "examples", "solve_efg")


def fearon_efg(p, c_a, lo, hi, n_types, n_demands):
    """Same construction as brink_crisis::templates::fearon_game_uniform."""
    p, c_a, lo, hi = Fraction(p), Fraction(c_a), Fraction(lo), Fraction(hi)
    w = (hi - lo) / n_types
    types = [(lo + w * (k + Fraction(1, 2)), Fraction(1, n_types)) for k in range(n_types)]
    demands = [x for x in (p + lo + w * j for j in range(n_demands)) if 0 <= x <= 1]
    f = oracle.fmt
    lines = ['EFG 2 R "Discretised Fearon game" { "A" "B" }', '""', ""]
    lines.append('c "" 1 "" { %s } 0' % " ".join('"c=%s" %s' % (f(c), f(q)) for c, q in types))
    o = 0
    for t, (c, _) in enumerate(types):
        lines.append('p "" 1 1 "" { %s } 0' % " ".join('"x=%s"' % f(x) for x in demands))
        for d, x in enumerate(demands):
            lines.append('p "" 2 %d "" { "Accept" "Reject" } 0' % (t * len(demands) + d + 1))
            o += 1
            lines.append('t "" %d "NEG" { %s, %s }' % (o, f(x), f(1 - x)))
            o += 1
            lines.append('t "" %d "WAR" { %s, %s }' % (o, f(p - c_a), f(1 - p - c)))
    return "\n".join(lines) + "\n"


def time_py(fn, min_time=0.5, max_reps=1000):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        print(f"  (pygambit error: {e})", file=sys.stderr)
        return None
    reps, start = 0, time.perf_counter()
    while True:
        fn()
        reps += 1
        el = time.perf_counter() - start
        if el >= min_time or reps >= max_reps:
            return el / reps


def time_brink(path, exact):
    # Choose N so the run lasts roughly a second.
    n = 1
    while True:
        args = [BIN, path, str(n)] + ([] if exact else ["--f64"])
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
        per = float(re.search(r"solve_s (\S+)", out).group(1))
        if per * n > 0.5 or n >= 1_000_000:
            return per
        n = min(1_000_000, max(n * 10, int(0.6 / max(per, 1e-9))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--logit-max", type=int, default=60)
    ap.add_argument("--lcp-max", type=int, default=200)
    args = ap.parse_args()
    if not os.path.exists(BIN):
        sys.exit(f"build first: cargo build --release -p brink-crisis --example solve_efg ({BIN} missing)")
    tmp = tempfile.mkdtemp(prefix="crisis_bench_")
    trees = [("models.md example", open(os.path.join(ROOT, "tests/data/crisis/models_example.efg")).read())]
    trees.append(("Fearon 10x10 (200 leaves)", fearon_efg("0.3", "0.1", 0, "0.5", 10, 10)))
    trees.append(("Fearon 20x20 (800 leaves)", fearon_efg("0.3", "0.1", 0, "0.5", 20, 20)))
    for target in (60, 400):
        seed = 424242
        while oracle.parse(oracle.generate(seed, target, False))[0] != 2:  # lcp_solve needs two players
            seed += 1
        trees.append((f"random PI tree ~{target} nodes", oracle.generate(seed, target, False)))
    print(f"{'tree':28} {'leaves':>6} {'lcp ms':>10} {'logit ms':>10} {'brink exact ms':>15} {'brink f64 ms':>13} {'lcp/brink-f64':>14} {'logit/brink-f64':>16}")
    for name, text in trees:
        path = os.path.join(tmp, re.sub(r"\W+", "_", name) + ".efg")
        with open(path, "w") as f:
            f.write(text)
        g = gbt.read_efg(path)
        leaves = sum(1 for n in g.nodes if n.is_terminal)
        lcp = time_py(lambda: gbt.nash.lcp_solve(g, rational=False), max_reps=200) if leaves <= args.lcp_max else None
        logit = time_py(lambda: gbt.nash.logit_solve(g), max_reps=50) if leaves <= args.logit_max else None
        be = time_brink(path, True)
        bf = time_brink(path, False)
        fmt = lambda v: "skipped" if v is None else f"{v * 1e3:.4f}"  # noqa: E731
        ratio = lambda v: "-" if v is None else f"{v / bf:,.0f}x"  # noqa: E731
        print(f"{name:28} {leaves:>6} {fmt(lcp):>10} {fmt(logit):>10} {be * 1e3:>15.4f} {bf * 1e3:>13.4f} {ratio(lcp):>14} {ratio(logit):>16}")


if __name__ == "__main__":
    main()
