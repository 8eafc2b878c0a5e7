#!/usr/bin/env python3
"""10,000 solves of the built-in scenario's crisis tree: brink vs pygambit, in one run.

1. Builds (release) and runs `crates/crisis/examples/export_builtin_crisis.rs`, which writes the
   game `brink run` solves for the built-in scenario's crisis (settlement: the compromise model's
   forecast on the point values) as a Gambit .efg file.
2. brink: `crates/crisis/examples/solve_efg.rs FILE 10000 [--f64]` parses the file once and solves it
   10,000 times (subgame-perfect equilibria of a perfect-information game, else pure perfect
   Bayesian equilibria), in exact rationals and in f64. Timed as the wall time of the whole
   process (start-up, parse, 10,000 solves, output); the per-solve time it prints is shown too.
3. pygambit (the venv given by --python): one process imports pygambit (timed once: the start-up
   cost), reads the file, then times `gbt.nash.logit_solve(g)` N_logit times (default 200) and
   `gbt.nash.lcp_solve(g, rational=False)` N_lcp times (default 10,000). When N < 10,000 the time
   for 10,000 is extrapolated linearly from the mean time per solve, and the table says so.
4. Prints each total for 10,000 solves, the ratios pygambit / brink (start-up included on both
   sides), and each solver's equilibrium payoffs, so that a reader sees they solved the same game.

Usage (from the repository root):
    python3 bench/crisis_builtin_side_by_side.py --python /tmp/gambit-venv/bin/python \
        [--solves 10000] [--logit-n 200] [--lcp-n 10000]
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EX = ROOT / "target" / "release" / "examples"

PYGAMBIT = r"""
import json, sys, time
t0 = time.perf_counter()
import pygambit as gbt
t1 = time.perf_counter()
g = gbt.read_efg(sys.argv[1])
t2 = time.perf_counter()
n_logit, n_lcp = int(sys.argv[2]), int(sys.argv[3])
out = {"version": gbt.__version__, "import_s": t1 - t0, "read_s": t2 - t1,
       "nodes": len(list(g.nodes)), "players": len(g.players)}

def payoffs(res):
    eq = res.equilibria[0]
    return [float(eq.payoff(p)) for p in g.players]

for name, n, fn in (("logit", n_logit, lambda: gbt.nash.logit_solve(g)),
                    ("lcp", n_lcp, lambda: gbt.nash.lcp_solve(g, rational=False))):
    if n <= 0:
        continue
    s = time.perf_counter()
    for _ in range(n):
        res = fn()
    out[name] = {"n": n, "seconds": time.perf_counter() - s, "payoffs": payoffs(res),
                 "equilibria": len(res.equilibria)}
print(json.dumps(out))
"""


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def brink(path, n, f64):
    args = [str(EX / "solve_efg"), str(path), str(n)] + (["--f64"] if f64 else [])
    t0 = time.perf_counter()
    out = run(args).stdout
    wall = time.perf_counter() - t0
    per = float(re.search(r"solve_s (\S+)", out).group(1))
    pay = re.search(r"payoffs (\[.*\])", out).group(1)
    head = out.splitlines()[0]
    return wall, per, pay, head


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default="/tmp/gambit-venv/bin/python",
                    help="a Python with pygambit installed")
    ap.add_argument("--solves", type=int, default=10_000)
    ap.add_argument("--logit-n", type=int, default=200)
    ap.add_argument("--lcp-n", type=int, default=10_000)
    a = ap.parse_args()

    run(["cargo", "build", "--release", "-q", "-p", "brink-crisis", "--example",
         "export_builtin_crisis", "--example", "solve_efg"], cwd=ROOT)
    tmp = Path(tempfile.mkdtemp(prefix="brink_crisis_"))
    efg = tmp / "builtin_crisis.efg"
    note = run([str(EX / "export_builtin_crisis"), str(efg)]).stderr.strip()
    print(f"tree: {efg}\n{note}\n")

    b_exact = brink(efg, a.solves, False)
    b_f64 = brink(efg, a.solves, True)
    print(f"brink solve_efg: {b_exact[3]}")
    py = json.loads(run([a.python, "-c", PYGAMBIT, str(efg), str(a.logit_n),
                         str(a.lcp_n)]).stdout.strip().splitlines()[-1])
    start = py["import_s"] + py["read_s"]
    print(f"pygambit {py['version']}: import {py['import_s']:.3f} s, read_efg {py['read_s']:.4f} s, "
          f"{py['nodes']} nodes, {py['players']} players\n")

    n = a.solves
    rows = []
    rows.append((f"brink exact (rationals), {n:,} solves", b_exact[0], b_exact[1], "measured",
                 b_exact[2]))
    rows.append((f"brink f64, {n:,} solves", b_f64[0], b_f64[1], "measured", b_f64[2]))
    for key, label in (("logit", "pygambit logit_solve"), ("lcp", "pygambit lcp_solve")):
        if key not in py:
            continue
        r = py[key]
        per = r["seconds"] / r["n"]
        total = start + per * n
        how = ("measured" if r["n"] >= n else
               f"{r['n']:,} solves timed ({r['seconds']:.2f} s), x{n / r['n']:g} extrapolated")
        rows.append((f"{label}, {n:,} solves + start-up", total, per, how,
                     json.dumps([round(x, 6) for x in r["payoffs"]])))

    print(f"{'what':<52} {'total s':>10} {'per solve':>12}  {'how':<44} payoffs of the first equilibrium")
    for what, total, per, how, pay in rows:
        print(f"{what:<52} {total:>10.3f} {per * 1e6:>9.2f} µs  {how:<44} {pay}")
    print()
    for what, total, _, how, _ in rows[2:]:
        for bw, bt in (("brink f64", b_f64[0]), ("brink exact", b_exact[0])):
            print(f"{what.split(',')[0]:<22} / {bw:<11}: {total / bt:>12,.0f}x  (whole process, "
                  f"start-up included on both sides)")
    for key in ("logit", "lcp"):
        if key in py:
            per = py[key]["seconds"] / py[key]["n"]
            print(f"per solve only, {key:<5} / brink f64: {per / b_f64[1]:>12,.0f}x;  "
                  f"/ brink exact: {per / b_exact[1]:>10,.0f}x")


if __name__ == "__main__":
    sys.exit(main())
