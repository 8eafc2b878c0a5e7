#!/usr/bin/env python3
"""Exploration of candidate improvements on the compromise model, DEU III development split.

Every candidate is scored by leave-one-proposal-out cross-validation: its constants are fitted
(grid search, minimising MAE) on all proposals but one and scored on the held-out one. Plain
Python, no dependencies. Run: python3 scripts/deu_explore.py [tests/data/deu3/deu3-dev.tsv]
"""
import csv, sys, statistics

path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/deu3/deu3-dev.tsv"
rows = list(csv.reader(open(path), delimiter="\t"))
h = rows[0]
codes = [c[1:] for c in h if c.startswith("p") and ("s" + c[1:]) in h]
caps = {c: float(rows[1][h.index("p" + c)]) for c in codes}
issues = []
for r in rows[2:]:
    g = lambda n: r[h.index(n)].strip()
    if g("out") == "":
        continue
    actors = []
    for c in codes:
        p, s = g("p" + c), g("s" + c)
        if p and s:
            actors.append((c, caps[c], float(p), float(s) / 100))
    issues.append(dict(prop=g("prnr"), proc=g("proc"), vote=g("counvte"), rp=float(g("rp")) if g("rp") else None,
                       out=float(g("out")), actors=actors))

def compromise(a, w=lambda c, cap, s: cap * s):
    num = sum(w(c, cap, s) * x for c, cap, x, s in a); den = sum(w(c, cap, s) for c, cap, x, s in a)
    return num / den if den > 0 else sum(x for _, _, x, _ in a) / len(a)

def median(a):
    srt = sorted(a, key=lambda t: t[2]); tot = sum(cap * s for _, cap, _, s in a); acc = 0
    for c, cap, x, s in srt:
        acc += cap * s
        if acc >= tot / 2: return x
    return srt[-1][2]

cands = {
    "compromise": ([None], lambda i, k: compromise(i["actors"])),
    "compromise+median ensemble": ([None], lambda i, k: 0.5 * compromise(i["actors"]) + 0.5 * median(i["actors"])),
    "pull to reference point (lambda)": ([l / 20 for l in range(0, 11)],
        lambda i, l: compromise(i["actors"]) if i["rp"] is None else (1 - l) * compromise(i["actors"]) + l * i["rp"]),
    "salience exponent (gamma)": ([0.5, 1, 1.5, 2, 3, 4],
        lambda i, gm: compromise(i["actors"], lambda c, cap, s: cap * s ** gm)),
    "EP weight under codecision (factor)": ([0.5, 1, 2, 4, 8],
        lambda i, f: compromise(i["actors"], lambda c, cap, s: cap * s * (f if (c == "ep" and i["proc"] == "COD") else 1))),
    "Commission+EP weight (factor)": ([0.25, 0.5, 1, 2, 4],
        lambda i, f: compromise(i["actors"], lambda c, cap, s: cap * s * (f if c in ("com", "ep") else 1))),
}

props = sorted(set(i["prop"] for i in issues))
def mae(fn, k, subset): return statistics.fmean(abs(fn(i, k) - i["out"]) for i in subset)
print(f"{len(issues)} issues, {len(props)} proposals; leave-one-proposal-out CV")
base = None
for name, (grid, fn) in cands.items():
    errs = []
    chosen = []
    for p in props:
        train = [i for i in issues if i["prop"] != p]; test = [i for i in issues if i["prop"] == p]
        k = min(grid, key=lambda k: mae(fn, k, train)) if len(grid) > 1 else grid[0]
        chosen.append(k)
        errs += [abs(fn(i, k) - i["out"]) for i in test]
    cv = statistics.fmean(errs)
    if base is None: base = errs
    d = statistics.fmean(a - b for a, b in zip(errs, base))
    print(f"{name:38s} CV MAE {cv:6.2f}  vs compromise {d:+.2f}  constants chosen: {sorted(set(chosen), key=str)}")

# Second round: combinations of the two that helped, and snapping to the nearest position.
def snap(i, x):
    return min((a[2] for a in i["actors"]), key=lambda p: abs(p - x))
more = {
    "institutions factor + salience exponent": ([(f, g) for f in (0.25, 0.5, 1) for g in (0.5, 1, 2)],
        lambda i, k: compromise(i["actors"], lambda c, cap, s: cap * s ** k[1] * (k[0] if c in ("com", "ep") else 1))),
    "snap compromise to nearest position": ([None], lambda i, k: snap(i, compromise(i["actors"]))),
    "Commission weight only (factor)": ([0.25, 0.5, 1, 2], lambda i, f: compromise(i["actors"], lambda c, cap, s: cap * s * (f if c == "com" else 1))),
    "EP weight only (factor)": ([0.25, 0.5, 1, 2], lambda i, f: compromise(i["actors"], lambda c, cap, s: cap * s * (f if c == "ep" else 1))),
}
for name, (grid, fn) in more.items():
    errs = []; chosen = []
    for p in props:
        train = [i for i in issues if i["prop"] != p]; test = [i for i in issues if i["prop"] == p]
        k = min(grid, key=lambda k: mae(fn, k, train)) if len(grid) > 1 else grid[0]
        chosen.append(k); errs += [abs(fn(i, k) - i["out"]) for i in test]
    print(f"{name:38s} CV MAE {statistics.fmean(errs):6.2f}  vs compromise {statistics.fmean(a - b for a, b in zip(errs, base)):+.2f}  constants chosen: {sorted(set(chosen), key=str)}")
