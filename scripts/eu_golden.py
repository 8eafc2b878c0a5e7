#!/usr/bin/env python3
"""Golden fixtures for brink's corrected expected-utility model.

An independent, deliberately plain implementation (no numpy, the literal O(n^3) sums) of the
corrected rules of the expected-utility model as the model reference (section 2) and the module
documentation of crates/bargain/src/expected_utility.rs state them:

- Delta = max - min of the initial positions; d_k(y) = |x_k - y| / Delta.
- v_k(a, b) = c_k s_k (d_k(b)^r_k - d_k(a)^r_k).
- P(i, j) = 0 if x_i == x_j, else sum_k max(0, v_k(x_i, x_j)) / sum_k |v_k(x_i, x_j)|
  (1/2 if that denominator is 0).
- EU^e(i -> j) = s_j [P U_s + (1 - P) U_f] + (1 - s_j) U_s - U_sq, with g = min(1, |x_i - x_j|/Delta),
  U_s = 2 - 4 (0.5 - 0.5 g)^r_e, U_f = 2 - 4 (0.5 + 0.5 g)^r_e, U_sq = 2 - 4 * 0.5^r_e.
- Risk: with all r = 1, S_i = sum_{j != i} EU^j(j -> i); R_i = (2 S_i - S_max - S_min)/(S_max - S_min),
  r_i = (1 - R_i/3)/(1 + R_i/3); every r_i = 1 if S_max == S_min.
- Offers to i from each j with x_j != x_i (eu_ij = EU^i(i->j), eu_ji = EU^i(j->i)):
  confrontation if eu_ji > eu_ij > 0 (to x_j); compromise if eu_ji > 0 > eu_ij and eu_ji > |eu_ij|
  (to x_i + (x_j - x_i)|eu_ij/eu_ji|); capitulation if eu_ji > 0 > eu_ij otherwise (to x_j).
- Choice: confrontation moving least, else compromise moving least, else capitulation moving least;
  ties to the first partner in input order. Simultaneous moves; new positions clamped to the
  initial [min, max].
- Stop: all positions equal at the start of a round (Delta = 0 included) -> consensus; a round
  with no move is recorded and ends the run.
- Forecast: c*s weighted mean and median (smallest position whose cumulative weight reaches
  half, with a relative slack of 1e-12); equal weights if the total weight is 0.

Usage: python3 scripts/eu_golden.py   (from the repository root; rewrites tests/data/bdm/golden/)
"""

import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "bdm")
OUT = os.path.join(DATA, "golden")
CASES = ["ExampleActors.csv", "Sultan.csv", "ChinaData.csv", "HondurasCrisisData.csv"]
# KTAB's synthetic input: the first 40 actors, power = Influence, position and salience / 100 of
# the first dimension.
KTAB_CASE = ("dummyData-a160.csv", 40)
ROUNDS = 10

NAME = ("actor", "stakeholder", "name")
CAP = ("capability", "resources", "power", "influence", "clout")


def read_csv(path):
    """Actors as dicts; saliences above 1 mean a 0-100 column (divided by 100)."""
    with open(path, newline="") as f:
        text = f.read()
    lines = [l for l in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if l.strip()]
    header = [h.strip().lower() for h in lines[0].split(",")]
    col = lambda names: next(i for i, h in enumerate(header) if h in names)
    cn, cc, cp, cs = col(NAME), col(CAP), col(("position",)), col(("salience",))
    actors = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.split(",")]
        actors.append({"name": cells[cn], "c": float(cells[cc]), "x": float(cells[cp]),
                       "s": float(cells[cs])})
    if any(a["s"] > 1 for a in actors):
        for a in actors:
            a["s"] /= 100.0
    return actors


def read_ktab(path, count):
    """KTAB layout: row 1 `name,desc,nActors,nDims`, row 2 a header, then
    `Actor,Description,Power,Pos1,Sal1,...` on 0-100."""
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    actors = []
    for line in lines[2:2 + count]:
        cells = [c.strip() for c in line.split(",")]
        actors.append({"name": cells[0], "c": float(cells[2]), "x": float(cells[3]),
                       "s": float(cells[4]) / 100.0})
    return actors


def prob(i, j, x, w, r, delta):
    if x[i] == x[j]:
        return 0.0
    num = den = 0.0
    for k in range(len(x)):
        v = w[k] * ((abs(x[k] - x[j]) / delta) ** r[k] - (abs(x[k] - x[i]) / delta) ** r[k])
        num += max(0.0, v)
        den += abs(v)
    return num / den if den > 0 else 0.5


def expected_utility(e, i, j, x, s, r, P, delta):
    """EU^e(i -> j)."""
    g = min(1.0, abs(x[i] - x[j]) / delta)
    re = r[e]
    us = 2 - 4 * (0.5 - 0.5 * g) ** re
    uf = 2 - 4 * (0.5 + 0.5 * g) ** re
    usq = 2 - 4 * 0.5 ** re
    p = P[i][j]
    return s[j] * (p * us + (1 - p) * uf) + (1 - s[j]) * us - usq


def simulate(actors, rounds=ROUNDS):
    n = len(actors)
    x = [a["x"] for a in actors]
    s = [a["s"] for a in actors]
    w = [a["c"] * a["s"] for a in actors]
    lo, hi = min(x), max(x)
    delta = hi - lo
    out_rounds = []
    stop = {"reason": "round_limit"}
    min_margin = math.inf
    for rnd in range(1, rounds + 1):
        if not delta > 0 or all(v == x[0] for v in x):
            stop = {"reason": "consensus", "round": rnd}
            break
        ones = [1.0] * n
        P1 = [[prob(i, j, x, w, ones, delta) for j in range(n)] for i in range(n)]
        S = [sum(expected_utility(j, j, i, x, s, ones, P1, delta)
                 for j in range(n) if j != i and x[j] != x[i]) for i in range(n)]
        smax, smin = max(S), min(S)
        if smax - smin > 0:
            r = []
            for si in S:
                R = max(-1.0, min(1.0, (2 * si - smax - smin) / (smax - smin)))
                r.append((1 - R / 3) / (1 + R / 3))
        else:
            r = ones
        P = [[prob(i, j, x, w, r, delta) for j in range(n)] for i in range(n)]
        new_x = list(x)
        moves = []
        for i in range(n):
            best = {"confrontation": None, "compromise": None, "capitulation": None}
            for j in range(n):
                if x[j] == x[i]:
                    continue
                eu_ij = expected_utility(i, i, j, x, s, r, P, delta)
                eu_ji = expected_utility(i, j, i, x, s, r, P, delta)
                min_margin = min(min_margin, abs(eu_ij), abs(eu_ji), abs(eu_ji - eu_ij),
                                 abs(eu_ji - abs(eu_ij)))
                if eu_ji > eu_ij > 0:
                    kind, target = "confrontation", x[j]
                elif eu_ji > 0 > eu_ij:
                    if eu_ji > abs(eu_ij):
                        kind, target = "compromise", x[i] + (x[j] - x[i]) * abs(eu_ij / eu_ji)
                    else:
                        kind, target = "capitulation", x[j]
                else:
                    continue
                key = abs(target - x[i])
                if best[kind] is None or key < best[kind][0]:
                    best[kind] = (key, j, eu_ij, eu_ji, target)
            for kind in ("confrontation", "compromise", "capitulation"):
                if best[kind] is not None:
                    _, j, eu_ij, eu_ji, target = best[kind]
                    target = min(hi, max(lo, target))
                    new_x[i] = target
                    moves.append({"actor": i, "partner": j, "kind": kind, "eu_ij": eu_ij,
                                  "eu_ji": eu_ji, "old_position": x[i], "new_position": target})
                    break
        x = new_x
        out_rounds.append({"round": rnd, "risk": r, "moves": moves, "positions": list(x)})
        if not moves:
            stop = {"reason": "no_move", "round": rnd}
            break
    total = sum(w)
    ww = w if total > 0 else [1.0] * n
    tw = sum(ww)
    mean = sum(a * b for a, b in zip(x, ww)) / tw
    cum = 0.0
    median = None
    for k in sorted(range(n), key=lambda k: x[k]):
        cum += ww[k]
        if cum >= 0.5 * tw * (1 - 1e-12):
            median = x[k]
            break
    return {
        "rounds": out_rounds,
        "stop": stop,
        "final_positions": x,
        "forecast": {"mean": mean, "median": median, "equal_weights": total <= 0},
        "min_decision_margin": min_margin if min_margin != math.inf else None,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    jobs = [(case, read_csv(os.path.join(DATA, case)), os.path.splitext(case)[0]) for case in CASES]
    ktab, count = KTAB_CASE
    jobs.append((f"{ktab} (first {count} actors)", read_ktab(os.path.join(DATA, ktab), count),
                 f"dummyData-a160-first{count}"))
    for source, actors, stem in jobs:
        result = simulate(actors)
        doc = {
            "source": source,
            "generator": "scripts/eu_golden.py",
            "mode": "corrected",
            "rounds_requested": ROUNDS,
            "names": [a["name"] for a in actors],
            **result,
        }
        path = os.path.join(OUT, stem + ".corrected.json")
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        print(f"{source}: {len(result['rounds'])} rounds, stop {result['stop']}, "
              f"forecast {result['forecast']}, min decision margin {result['min_decision_margin']:.3g}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
