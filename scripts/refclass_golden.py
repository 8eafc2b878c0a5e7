#!/usr/bin/env python3
"""Golden fixture for brink's reference class (crates/refclass), from an independent
implementation with scikit-learn, numpy and scipy.

It re-codes, from crates/refclass/data/icb/VARIABLES.md alone ("Features the baselines below
use"), the strict onset features of both ICB levels (one-hot, missing as its own level), and
re-implements the fit that docs/reference-class.md states:

- targets VIOL >= 2, >= 3, = 4;
- L2 logistic regression, intercept unpenalised, objective sum(log loss) + lambda/2 |beta|^2
  (scikit-learn's C = 1/lambda), lambda from 2^-2 .. 2^8 by 5-fold cross-validation by crisis
  (crises sorted by number, crisis of rank r in fold r mod 5), smallest total held-out log loss,
  ties to the larger lambda;
- VIOL >= 2: cases with a violent trigger (BREAK / TRIGGR 9) get the Jeffreys estimate
  (k + 1/2)/(n + 1) of their own rate, the regression is fitted on the other cases;
- the three probabilities made non-increasing by pool-adjacent-violators;
- 90% Laplace intervals sigmoid(eta -+ 1.645 sqrt(x' H^-1 x)), H = X'WX + lambda I (intercept
  unpenalised), Jeffreys 5% and 95% quantiles for violent triggers;
- the before-date rule: a case trains a forecast dated D only if its trigger and its termination
  are both before D, a vague day (66/77/88, blank) or month counting at its latest.

Usage (not in CI; needs scikit-learn, numpy and scipy):
    python3 -m venv /tmp/skl && /tmp/skl/bin/pip install scikit-learn numpy scipy
    /tmp/skl/bin/python scripts/refclass_golden.py
(from the repository root; rewrites crates/refclass/tests/data/golden.json)
"""

import calendar
import csv
import json

import numpy as np
import scipy.stats
import sklearn
from sklearn.linear_model import LogisticRegression

DATA = "crates/refclass/data/icb/"
OUT = "crates/refclass/tests/data/golden.json"
LAMBDAS = [2.0**k for k in range(-2, 9)]
Z90 = scipy.stats.norm.ppf(0.95)


def region(g):
    g = int(g)
    if g in (9, 11, 12, 13, 51):
        return "asia"
    if g == 10:
        return "west asia"
    if g == 15:
        return "middle east"
    if 20 <= g <= 24:
        return "africa"
    if 30 <= g <= 35:
        return "europe"
    if 41 <= g <= 43:
        return "americas"
    raise ValueError(g)


def kind(t):
    return {"995": "internal", "996": "non-state", "997": "multi-state"}.get(t, "state")


def powdissy_bin(v):
    if v == "":
        return "missing"
    v = float(v)
    return "0" if v == 0 else "1-3" if v <= 3 else "4-8" if v <= 8 else "9-15" if v <= 15 else "16+"


def powdis_bin(v):
    if v == "":
        return "missing"
    v = float(v)
    return "<=-10" if v <= -10 else "-9..-1" if v < 0 else "0" if v == 0 else "1..9" if v <= 9 else ">=10"


def regime3(v):
    return {"": "missing", "1": "dem", "2": "civ"}.get(v, "mil")


def raw(v):
    return v if v != "" else "missing"


def system_features(r):
    return {
        "period": raw(r["period"]),
        "break": raw(r["break"]),
        "trigent_kind": kind(r["trigent"]),
        "region": region(r["geog"]),
        "geogrel": raw(r["geogrel"]),
        "protrac": raw(r["protrac"]),
        "ethnic": raw(r["ethnic"]),
        "powdissy_bin": powdissy_bin(r["powdissy"]),
        "intra_war": str(int(r["iwcmb"]) >= 3),
    }


def actor_features(r):
    late = (int(r["yrtrig"]), int(r["motrig"])) > (int(r["systrgyr"]), int(r["systrgmo"]))
    f = {k: raw(r[k]) for k in ["period", "triggr", "trigloc", "southpow", "issue", "powsta",
                                 "nuclear", "durreg", "allycap", "territ", "cractloc", "pc",
                                 "massvl", "gvinst"]}
    f.update({
        "trigent_kind": kind(r["trigent"]),
        "regime3": regime3(r["regime"]),
        "region": region(r["geog"]),
        "intra_war": str(int(r["iwc"]) > 1),
        "powdis_bin": powdis_bin(r["powdis"]),
        "late_entrant": str(late),
    })
    return f


def latest(y, m, d):
    """The latest day an ICB date can mean, as (y, m, d); None if blank."""
    if y == "":
        return None
    y = int(y)
    if m == "":
        return (y, 12, 31)
    m = int(m)
    end = calendar.monthrange(y, m)[1]
    if d in ("", "88"):
        return (y, m, end)
    return (y, m, {"66": 10, "77": 20}.get(d, None) or int(d))


def design(feats):
    keys = sorted({(k, v) for f in feats for k, v in f.items()})
    return np.array([[1.0 if f[k] == v else 0.0 for (k, v) in keys] for f in feats])


def fit(X, y, lam):
    m = LogisticRegression(C=1.0 / lam, tol=1e-12, max_iter=100000)
    return m.fit(X, y)


def logloss(p, y):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def choose(X, y, crisno):
    ids = sorted(set(crisno))
    fold = np.array([ids.index(c) % 5 for c in crisno])
    loss = np.zeros(len(LAMBDAS))
    for f in range(5):
        tr, te = fold != f, fold == f
        for i, lam in enumerate(LAMBDAS):
            loss[i] += logloss(fit(X[tr], y[tr], lam).predict_proba(X[te])[:, 1], y[te]).sum()
    best = len(LAMBDAS) - 1
    for i in reversed(range(len(LAMBDAS))):
        if loss[i] < loss[best]:
            best = i
    return LAMBDAS[best], (loss / len(y)).tolist()


def laplace(m, X, lam, Xnew):
    p = m.predict_proba(X)[:, 1]
    Xi = np.hstack([np.ones((len(X), 1)), X])
    H = Xi.T @ (Xi * (p * (1 - p))[:, None]) + lam * np.diag([0.0] + [1.0] * X.shape[1])
    Xn = np.hstack([np.ones((len(Xnew), 1)), Xnew])
    var = np.einsum("ij,jk,ik->i", Xn, np.linalg.inv(H), Xn)
    eta = m.decision_function(Xnew)
    sd = np.sqrt(var)
    s = lambda z: 1 / (1 + np.exp(-z))
    return s(eta), s(eta - Z90 * sd), s(eta + Z90 * sd)


def pava(p):
    blocks = []
    for v in p:
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-1][0] / blocks[-1][1] > blocks[-2][0] / blocks[-2][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    out = []
    for s, c in blocks:
        out += [s / c] * c
    return out


def level(file, featf, trigger_col):
    rows = list(csv.DictReader(open(DATA + file)))
    feats = [featf(r) for r in rows]
    X = design(feats)
    viol = np.array([int(r["viol"]) for r in rows])
    crisno = [int(r["crisno"]) for r in rows]
    violent = np.array([r[trigger_col] == "9" for r in rows])
    out = {"n_train": len(rows), "lambdas": [], "cv": [], "probs": None, "intervals": None}
    P = np.zeros((len(rows), 3))
    LO = np.zeros((len(rows), 3))
    HI = np.zeros((len(rows), 3))
    for t in range(3):
        y = (viol >= 2 + t).astype(float)
        sub = ~violent if t == 0 else np.ones(len(rows), bool)
        lam, curve = choose(X[sub], y[sub], [c for c, s in zip(crisno, sub) if s])
        m = fit(X[sub], y[sub], lam)
        p, lo, hi = laplace(m, X[sub], lam, X)
        if t == 0:
            k, n = y[violent].sum(), violent.sum()
            a, b = k + 0.5, n - k + 0.5
            p = np.where(violent, a / (a + b), p)
            lo = np.where(violent, scipy.stats.beta.ppf(0.05, a, b), lo)
            hi = np.where(violent, scipy.stats.beta.ppf(0.95, a, b), hi)
        P[:, t], LO[:, t], HI[:, t] = p, lo, hi
        out["lambdas"].append(lam)
        out["cv"].append(curve)
    probs, ivs = [], []
    for i in range(len(rows)):
        q = pava(list(P[i]))
        lo, hi = list(LO[i]), list(HI[i])
        for t in (1, 0):
            lo[t] = max(lo[t], lo[t + 1])
        for t in (1, 2):
            hi[t] = min(hi[t], hi[t - 1])
        lo = [min(a, b) for a, b in zip(lo, q)]
        hi = [max(a, b) for a, b in zip(hi, q)]
        probs.append(q)
        ivs.append([lo, hi])
    out["probs"] = probs
    out["intervals"] = ivs
    return out, rows


def before(rows, y, m, d, trig, term):
    cut = (y, m, d)
    keep = []
    for r in rows:
        a = latest(*(r[c] for c in trig))
        b = latest(*(r[c] for c in term))
        if a < cut and b is not None and b < cut:
            keep.append(int(r["crisno"]) * 1000 + int(r.get("cracno") or 0))
    return keep


def main():
    system, srows = level("icb1-dev.csv", system_features, "break")
    actor, arows = level("icb2-dev.csv", actor_features, "triggr")
    golden = {
        "generator": f"scripts/refclass_golden.py (scikit-learn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__})",
        "system": system,
        "actor": actor,
        "before_1970_01_01": {
            "system": before(srows, 1970, 1, 1, ("yrtrig", "motrig", "datrig"), ("yrterm", "moterm", "daterm")),
            "actor": before(arows, 1970, 1, 1, ("yrtrig", "motrig", "datrig"), ("yrterm", "moterm", "daterm")),
        },
        "beta_ppf": [
            [0.5, 20.5, 0.975, scipy.stats.beta.ppf(0.975, 0.5, 20.5)],
            [10.5, 0.5, 0.05, scipy.stats.beta.ppf(0.05, 10.5, 0.5)],
            [10.5, 0.5, 0.95, scipy.stats.beta.ppf(0.95, 10.5, 0.5)],
            [130.5, 3.5, 0.05, scipy.stats.beta.ppf(0.05, 130.5, 3.5)],
        ],
    }
    with open(OUT, "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    print("wrote", OUT, "lambdas", system["lambdas"], actor["lambdas"])


if __name__ == "__main__":
    main()
