#!/usr/bin/env python3
"""Exploring better reference-class models on the ICB development split, by nested
cross-validation only (docs/reference-class.md, "Trying to meet the bars").

The outer loop is the acceptance test's: 10 folds by crisis, crises sorted by number and dealt
to folds in turn. Inside each outer training set, every candidate's own hyperparameters (its
penalty, its recalibration) are chosen by its own inner 5-fold cross-validation by crisis, and
the procedure `select` picks one candidate per target by the inner out-of-fold log loss of each
candidate on the same outer training set (the same inner folds, the candidate's hyperparameters
held at their chosen values; the recalibration cross-fitted across the inner folds): nested, the
outer folds never choose anything. (The inner losses are slightly optimistic for every
candidate alike, as the penalties were chosen on the same folds; a fully nested selection with
a third level was too slow for the shared machine.)

The candidate list was written before any outer score of a candidate was seen:

- `sep`: the shipped model (separate L2 logits, penalty by inner log loss; any violence with
  the violent-trigger rule), the reference;
- `sep_brier`: the same, penalty chosen by inner Brier instead of log loss;
- `ord`: one cumulative (proportional-odds) logit for VIOL, L2 penalty by inner log loss;
- `avg`: the mean of `sep` and `ord`;
- `platt`: `sep` recalibrated in-fold: a logistic regression of the outcome on the logit of
  `sep`'s inner out-of-fold forecasts (a, b; the penalties held at `sep`'s), applied to `sep`'s
  forecast;
- `select`: per target, the candidate with the smallest inner cross-validated log loss.

Needs scikit-learn, numpy, scipy (not in CI):
    /tmp/skl/bin/python scripts/refclass_explore.py [system|actor]
Prints Brier, log loss and the calibration failures of every candidate on the outer folds.
"""

import sys
import warnings

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, "scripts")
import refclass_golden as g  # noqa: E402

warnings.filterwarnings("ignore")
LAMBDAS = g.LAMBDAS
CANDS = ["sep", "sep_brier", "ord", "avg", "platt"]


def sig(z):
    return 1 / (1 + np.exp(-z))


def logloss(p, y):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def folds_of(crisno, k, seed=None):
    ids = sorted(set(crisno))
    if seed is not None:
        np.random.default_rng(seed).shuffle(ids)
    pos = {c: i % k for i, c in enumerate(ids)}
    return np.array([pos[c] for c in crisno])


def fit_lr(X, y, lam):
    return LogisticRegression(C=1.0 / lam, tol=1e-10, max_iter=10000).fit(X, y)


def choose_lam(X, y, crisno):
    """Penalty by inner 5-fold CV: (by log loss, by Brier), from the same fits."""
    ll = np.zeros(len(LAMBDAS))
    br = np.zeros(len(LAMBDAS))
    fold = folds_of(crisno, 5)
    for f in range(5):
        tr, te = fold != f, fold == f
        for i, lam in enumerate(LAMBDAS):
            p = fit_lr(X[tr], y[tr], lam).predict_proba(X[te])[:, 1]
            ll[i] += logloss(p, y[te]).sum()
            br[i] += ((p - y[te]) ** 2).sum()
    out = []
    for loss in (ll, br):
        best = len(LAMBDAS) - 1
        for i in reversed(range(len(LAMBDAS))):
            if loss[i] < loss[best]:
                best = i
        out.append(LAMBDAS[best])
    return out


def sep_all(X, viol, violent, crisno, Xn, violent_n):
    """The shipped model and its Brier-penalty twin: (P_ll, P_brier, (lambdas_ll, lambdas_brier))."""
    cn = np.array(crisno)
    P = [np.zeros((len(Xn), 3)), np.zeros((len(Xn), 3))]
    lams = ([], [])
    for t in range(3):
        y = (viol >= 2 + t).astype(float)
        sub = ~violent if t == 0 else np.ones(len(y), bool)
        ch = choose_lam(X[sub], y[sub], list(cn[sub]))
        lams[0].append(ch[0])
        lams[1].append(ch[1])
        for k, lam in enumerate(ch):
            p = fit_lr(X[sub], y[sub], lam).predict_proba(Xn)[:, 1]
            if t == 0:
                kk, n = y[violent].sum(), violent.sum()
                p = np.where(violent_n, (kk + 0.5) / (n + 1), p)
            P[k][:, t] = p
    return P[0], P[1], lams


def sep_fixed(X, viol, violent, Xn, violent_n, lams):
    P = np.zeros((len(Xn), 3))
    for t in range(3):
        y = (viol >= 2 + t).astype(float)
        sub = ~violent if t == 0 else np.ones(len(y), bool)
        p = fit_lr(X[sub], y[sub], lams[t]).predict_proba(Xn)[:, 1]
        if t == 0:
            kk, n = y[violent].sum(), violent.sum()
            p = np.where(violent_n, (kk + 0.5) / (n + 1), p)
        P[:, t] = p
    return P


def ord_fit(X, viol, lam):
    """Cumulative logit: P(VIOL >= k) = sig(a_k - x'b), k = 2, 3, 4; a decreasing."""
    n, d = X.shape

    def unpack(w):
        a2 = w[0]
        a3 = a2 - np.exp(w[1])
        a4 = a3 - np.exp(w[2])
        return np.array([a2, a3, a4]), w[3:]

    rows = np.arange(n)

    def f(w):
        a, b = unpack(w)
        eta = X @ b
        P = sig(a[None, :] + eta[:, None])  # n x 3: P(VIOL >= 2, 3, 4)
        D = P * (1 - P)
        full = np.hstack([np.ones((n, 1)), P, np.zeros((n, 1))])
        dfull = np.hstack([np.zeros((n, 1)), D, np.zeros((n, 1))])
        pk = np.clip(full[rows, viol - 1] - full[rows, viol], 1e-15, None)
        val = -np.log(pk).sum() + lam / 2 * b @ b
        # d(-log pk)/d eta and d/d a_k
        hi, lo = viol - 1, viol
        deta = -(dfull[rows, hi] - dfull[rows, lo]) / pk
        da = np.zeros(3)
        for k in range(3):
            col = k + 1
            da[k] = -((dfull[:, col] * (hi == col)) - (dfull[:, col] * (lo == col))).__truediv__(pk).sum()
        gb = X.T @ deta + lam * b
        e1, e2 = np.exp(w[1]), np.exp(w[2])
        gw = np.array([da.sum(), -e1 * (da[1] + da[2]), -e2 * da[2]])
        return val, np.concatenate([gw, gb])

    w0 = np.zeros(3 + d)
    w0[0], w0[1], w0[2] = 1.0, 0.0, 0.0
    r = minimize(f, w0, jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-8})
    return unpack(r.x)


def ord_predict(m, Xn):
    a, b = m
    return sig(a[None, :] + (Xn @ b)[:, None])


def ord_choose(X, viol, crisno):
    fold = folds_of(crisno, 5)
    loss = np.zeros(len(LAMBDAS))
    for f in range(5):
        tr, te = fold != f, fold == f
        for i, lam in enumerate(LAMBDAS):
            P = ord_predict(ord_fit(X[tr], viol[tr], lam), X[te])
            for t in range(3):
                loss[i] += logloss(P[:, t], (viol[te] >= 2 + t).astype(float)).sum()
    best = len(LAMBDAS) - 1
    for i in reversed(range(len(LAMBDAS))):
        if loss[i] < loss[best]:
            best = i
    return LAMBDAS[best]


def lg(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def platt_fit(z, y):
    return LogisticRegression(C=1e6, tol=1e-10).fit(z[:, None], y)


def candidates(X, viol, violent, crisno, Xn, violent_n):
    """Forecasts (n_new x 3) of every candidate fitted on (X, viol), and each candidate's inner
    out-of-fold forecasts on (X, viol) at its chosen hyperparameters (for `select`)."""
    out, oof = {}, {}
    sep, sep_b, (lams, lb) = sep_all(X, viol, violent, crisno, Xn, violent_n)
    out["sep"] = sep
    out["sep_brier"] = sep_b
    lam_o = ord_choose(X, viol, crisno)
    o = ord_predict(ord_fit(X, viol, lam_o), Xn)
    o[:, 0] = np.where(violent_n, sep[:, 0], o[:, 0])  # keep the violent-trigger rule
    out["ord"] = o
    out["avg"] = (sep + o) / 2
    # inner out-of-fold forecasts at the chosen hyperparameters
    fold = folds_of(crisno, 5)
    cn = np.array(crisno)
    for c in CANDS:
        oof[c] = np.zeros((len(viol), 3))
    for f in range(5):
        tr, te = fold != f, fold == f
        oof["sep"][te] = sep_fixed(X[tr], viol[tr], violent[tr], X[te], violent[te], lams)
        oof["sep_brier"][te] = sep_fixed(X[tr], viol[tr], violent[tr], X[te], violent[te], lb)
        oo = ord_predict(ord_fit(X[tr], viol[tr], lam_o), X[te])
        oo[:, 0] = np.where(violent[te], oof["sep"][te][:, 0], oo[:, 0])
        oof["ord"][te] = oo
    oof["avg"] = (oof["sep"] + oof["ord"]) / 2
    # in-fold recalibration of sep: a logistic regression on the logit of sep's inner
    # out-of-fold forecasts, applied to sep's forecast; its own out-of-fold forecasts cross-fitted
    pl = sep.copy()
    oof["platt"] = oof["sep"].copy()
    for t in (1, 2):
        y = (viol >= 2 + t).astype(float)
        z = lg(oof["sep"][:, t])
        pl[:, t] = platt_fit(z, y).predict_proba(lg(sep[:, t])[:, None])[:, 1]
        for f in range(5):
            tr, te = fold != f, fold == f
            oof["platt"][te, t] = platt_fit(z[tr], y[tr]).predict_proba(z[te][:, None])[:, 1]
    out["platt"] = pl
    return out, oof


def coherent(P):
    return np.array([g.pava(list(r)) for r in P])


def run(levelname):
    if levelname == "system":
        file, featf, trig = "icb1-dev.csv", g.system_features, "break"
    else:
        file, featf, trig = "icb2-dev.csv", g.actor_features, "triggr"
    import csv
    rows = list(csv.DictReader(open(g.DATA + file)))
    X = g.design([featf(r) for r in rows])
    viol = np.array([int(r["viol"]) for r in rows])
    crisno = [int(r["crisno"]) for r in rows]
    violent = np.array([r[trig] == "9" for r in rows])
    outer = folds_of(crisno, 10)
    names = CANDS + ["select"]
    P = {c: np.zeros((len(rows), 3)) for c in names}
    for f in range(10):
        tr, te = outer != f, outer == f
        cn = list(np.array(crisno)[tr])
        fc, oof = candidates(X[tr], viol[tr], violent[tr], cn, X[te], violent[te])
        for c in CANDS:
            P[c][te] = fc[c]
        pick = []
        for t in range(3):
            y = (viol[tr] >= 2 + t).astype(float)
            best = min(CANDS, key=lambda c: logloss(oof[c][:, t], y).sum())
            pick.append(best)
            P["select"][te, t] = fc[best][:, t]
        print(f"fold {f}: select chose {pick}", flush=True)
    report(levelname, P, viol, names)


def report(levelname, P, viol, names):
    print(f"\n{levelname}: outer 10-fold by crisis number; per target Brier/log loss/bins off")
    for c in names:
        Q = coherent(P[c])
        line = [f"{c:10}"]
        for t in range(3):
            y = (viol >= 2 + t).astype(float)
            br = ((Q[:, t] - y) ** 2).mean()
            ll = logloss(Q[:, t], y).mean()
            bad = 0
            for k in range(10):
                m = (np.minimum((Q[:, t] * 10).astype(int), 9) == k)
                if m.sum() >= 20 and abs(y[m].mean() - Q[m, t].mean()) > 0.10:
                    bad += 1
            line.append(f"{br:.4f}/{ll:.3f}/{bad}")
        print("  ".join(line), flush=True)


if __name__ == "__main__":
    for lv in sys.argv[1:] or ["system", "actor"]:
        run(lv)
