#!/usr/bin/env python3
"""Fixtures from pygambit (Gambit 16.x) for brink-crisis. Needs `pip install pygambit` (builds from
source, ~9 minutes); the Rust tests only read the files written here.

1. >= 200 small trees (up to ~60 leaves): perfect-information trees with chance nodes (the oracle's
   generator) and two-player games with private types (a chance move at the root; signalling and
   screening shapes with information sets linking the types' nodes). For each, `logit_solve` (the agent
   quantal-response limit, which selects a sequential equilibrium); where it converges to a pure profile
   (every action probability within 1e-6 of 0 or 1) that profile is written to
   tests/data/crisis/pygambit/expected.json. The Rust test checks it is among brink's equilibria.
2. A regression fixture where `lcp_solve` (sequence-form Nash) returns a pure equilibrium propped up by a
   non-credible threat (Nash, not subgame perfect): the first such random tree; the tree, lcp's profile
   and the oracle's SPE go to tests/data/crisis/pygambit/lcp_noncredible.*.

3. Gambit's own `.efg` output (Game.to_efg) of a few committed games, for reader compatibility.

Profiles are lists of action indices, one per decision node in prefix order.
Rerun:  /path/to/venv/bin/python scripts/crisis_pygambit.py
"""
import json
import os
import sys
from fractions import Fraction

import pygambit as gbt

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import crisis_oracle as oracle  # noqa: E402

OUT = os.path.join(HERE, "..", "tests", "data", "crisis", "pygambit")


def fmt(q):
    return oracle.fmt(Fraction(q))


def prefix_nodes(g):
    out = []
    stack = [g.root]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(list(n.children)))
    return out


def pure_profile(g, eq, tol=1e-6):
    """Action index per decision node in prefix order, or None if some infoset is mixed."""
    prof = []
    for n in prefix_nodes(g):
        if n.is_terminal or n.infoset.is_chance:
            continue
        probs = [float(eq[a]) for a in n.infoset.actions]
        best = max(range(len(probs)), key=lambda k: probs[k])
        if abs(probs[best] - 1.0) > tol:
            return None
        prof.append(best)
    return prof


def typed_game(seed):
    """Two players, private types. Shapes: 0 = signalling (sender knows type, sends a message; receiver
    sees the message only), 1 = screening (uninformed player moves first across the types; the informed
    one answers)."""
    r = oracle.Rng(seed)
    shape = r.below(2)
    n_types = 2 + r.below(2)
    ws = [1 + r.below(9) for _ in range(n_types)]
    tot = sum(ws)
    pay = lambda: Fraction(r.below(2001) - 1000, 1 + r.below(16))  # noqa: E731
    lines = ['EFG 2 R "typed %d" { "P1" "P2" }' % seed, '""', ""]
    types = " ".join('"T%d" %s' % (k + 1, fmt(Fraction(w, tot))) for k, w in enumerate(ws))
    lines.append('c "" 1 "" { %s } 0' % types)
    outcome = [0]

    def leaf():
        outcome[0] += 1
        return 't "" %d "o%d" { %s, %s }' % (outcome[0], outcome[0], fmt(pay()), fmt(pay()))

    if shape == 0:
        n_msg = 2
        n_resp = 2 + r.below(2)
        for t in range(n_types):
            lines.append('p "" 1 %d "" { %s } 0' % (t + 1, " ".join('"m%d"' % (m + 1) for m in range(n_msg))))
            for m in range(n_msg):
                lines.append('p "" 2 %d "" { %s } 0' % (m + 1, " ".join('"r%d"' % (k + 1) for k in range(n_resp))))
                for _ in range(n_resp):
                    lines.append(leaf())
    else:
        n_dem = 2 + r.below(3)
        for t in range(n_types):
            lines.append('p "" 1 1 "" { %s } 0' % " ".join('"d%d"' % (d + 1) for d in range(n_dem)))
            for d in range(n_dem):
                lines.append('p "" 2 %d "" { "acc" "rej" } 0' % (t * n_dem + d + 1))
                lines.append(leaf())
                lines.append(leaf())
    return "\n".join(lines) + "\n"


def solve_logit(path):
    g = gbt.read_efg(path)
    res = gbt.nash.logit_solve(g)
    if not res.equilibria:
        return g, None
    return g, pure_profile(g, res.equilibria[0])


def main():
    os.makedirs(OUT, exist_ok=True)
    entries = []
    k = 0
    seed = 0
    while len(entries) < 220 and seed < 2000:
        seed += 1
        if seed % 3 == 0:
            text = typed_game(70000 + seed)
            kind = "types"
        else:
            text = oracle.generate(60000 + seed, 8 + (seed * 37) % 70, ties=False)
            kind = "perfect"
        n_players, nodes = oracle.parse(text)
        if kind == "perfect" and n_players != 2:
            continue  # logit_solve handles n players, but keep the fixtures two-player
        leaves = sum(1 for n in nodes if n["kind"] == "t")
        if leaves > 60:
            continue
        name = "pg%03d.efg" % k
        path = os.path.join(OUT, name)
        with open(path, "w") as f:
            f.write(text)
        try:
            _, prof = solve_logit(path)
        except Exception as e:  # noqa: BLE001
            print(f"{name}: logit failed: {e}", file=sys.stderr)
            prof = None
        if prof is None:
            os.remove(path)
            continue
        entries.append({"file": name, "kind": kind, "leaves": leaves, "logit_profile": prof})
        k += 1
        print(f"{name} ({kind}, {leaves} leaves): pure {prof}", file=sys.stderr)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(entries, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(entries)} pure logit profiles from {seed} trees", file=sys.stderr)

    # Files written by Gambit itself (Game.to_efg), for reader compatibility.
    written = []
    for src in ["pbe/beer_quiche.efg", "templates/iig_1.efg", "models_example.efg", "random/g005.efg", "random/t010.efg"]:
        g = gbt.read_efg(os.path.join(OUT, "..", src))
        name = "gambit_written_" + src.replace("/", "_")
        with open(os.path.join(OUT, name), "w") as f:
            f.write(g.to_efg())
        written.append({"original": src, "written": name})
    with open(os.path.join(OUT, "gambit_written.json"), "w") as f:
        json.dump(written, f, indent=1)
        f.write("\n")

    # The lcp regression: the first random perfect-information tree (deterministic seeds) on which
    # lcp_solve returns a pure profile that is Nash but not subgame perfect (a threat off its path that
    # would not be carried out), checked against the exact oracle's set of all SPE.
    for seed in range(80001, 81000):
        text = oracle.generate(seed, 6 + (seed - 80000) % 30, ties=False)
        n_players, nodes = oracle.parse(text)
        if n_players != 2:
            continue
        path = os.path.join(OUT, "lcp_noncredible.efg")
        with open(path, "w") as f:
            f.write(text)
        g = gbt.read_efg(path)
        decision = [i for i, n in enumerate(nodes) if n["kind"] == "p"]
        spes = [[a[i] for i in decision] for _, a in oracle.all_spe(n_players, nodes)]
        bad = None
        for eq in gbt.nash.lcp_solve(g, rational=True).equilibria:
            prof = pure_profile(g, eq)
            if prof is not None and prof not in spes:
                bad = prof
                break
        if bad is not None:
            print(f"lcp_solve non-credible profile on seed {seed}: {bad}; SPE {spes}", file=sys.stderr)
            with open(os.path.join(OUT, "lcp_noncredible.json"), "w") as f:
                json.dump({"file": "lcp_noncredible.efg", "seed": seed, "lcp_profile": bad, "spe_profiles": spes}, f)
                f.write("\n")
            break


if __name__ == "__main__":
    main()
