#!/usr/bin/env python3
"""Quantal response fixtures from Gambit (pygambit 16.x) for brink-crisis's logit AQRE solver.

Gambit's `logit_solve_lambda` follows the principal branch of the agent logit quantal response
correspondence from lambda = 0 (Turocy 2005) and returns the behaviour profile where it first
reaches each requested lambda; brink's `brink_crisis::qre` must find the same profile. Gambit applies
lambda to the payoffs as written (no normalisation), as brink does.

Games (all committed under tests/data/crisis/):
  - pygambit/pg*.efg: random perfect-information trees and two-player games with private types
    (written by scripts/crisis_pygambit.py);
  - pbe/beer_quiche.efg (signalling), templates/iig_*.efg (the International Interaction Game);
  - qre/*.efg: crisis games with the challenger's type private, written by
    `cargo run -p brink-crisis --example write_qre_games` (the built-in scenario's, and a test
    crisis in the revised mapping with red lines: chance moves and force decisions at leaves).

For each game, lambda = c / M with M the largest absolute payoff and c in (0.5, 3, 20) (from
nearly uniform play to nearly pure). Output: tests/data/crisis/qre/gambit_expected.json, a list of
{file, lambda (as Gambit reports it, which the Rust test uses), profile}, the profile being every
player information set's action probabilities in Gambit's order (players in order, each player's
information sets by number, actions in order).

Needs `pip install pygambit` (builds from source, ~9 minutes); the Rust test only reads the file
written here. Rerun:  /path/to/venv/bin/python scripts/crisis_qre.py
"""
import glob
import json
import os

import pygambit as gbt

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "tests", "data", "crisis")
OUT = os.path.join(DATA, "qre", "gambit_expected.json")
SCALES = (0.5, 3.0, 20.0)


def max_payoff(g):
    m = 0.0
    for o in g.outcomes:
        for p in g.players:
            m = max(m, abs(float(o[p])))
    return m if m > 0 else 1.0


def main():
    files = sorted(glob.glob(os.path.join(DATA, "pygambit", "pg*.efg")))
    files += [os.path.join(DATA, "pbe", "beer_quiche.efg")]
    files += sorted(glob.glob(os.path.join(DATA, "templates", "iig_*.efg")))
    files += sorted(glob.glob(os.path.join(DATA, "qre", "*.efg")))
    out = []
    for path in files:
        g = gbt.read_efg(path)
        rel = os.path.relpath(path, DATA)
        m = max_payoff(g)
        lams = [c / m for c in SCALES]
        for q in gbt.qre.logit_solve_lambda(g, lams):
            out.append(
                {
                    "file": rel,
                    "lambda": q.lam,
                    "profile": [q[i] for i in range(len(q))],
                }
            )
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(out)} profiles from {len(files)} games -> {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
