#!/usr/bin/env python3
"""Does more onset information help the outside view? Nested cross-validation on the ICB
development split (docs/reference-class.md, "More onset information").

VARIABLES.md allows a forecast at the system trigger to use "the ICB2 ONSET variables of the
*first* crisis actor(s)" (the rows whose actor trigger date equals the system trigger date), and
an actor-level forecast made at the actor's trigger knows its crisis's system-level ONSET codes
(the system trigger comes first). Neither the shipped model nor VARIABLES.md's `lr` baseline uses
them. This script asks, before any score of them was seen, whether they earn a place.

Candidates (written before any outer score was seen; the outer folds are the acceptance test's,
10 by crisis number, and choose nothing):

- `sep`: the shipped model (separate L2 logits per target, penalty by inner 5-fold log loss,
  violent-trigger rule for VIOL >= 2), on the strict features of VARIABLES.md;
- system `sep_first`: the same on the strict features plus the first crisis actor's strict onset
  features (`regime3`, `nuclear`, `powsta`, `allycap`, `southpow`, `issue`, `territ`, `durreg`,
  `powdis_bin`, `massvl`, `gvinst`, `trigloc`, `cractloc`), the first crisis actor being the row
  of the crisis whose actor trigger (year, month, day) equals the system trigger, the lowest
  actor-case number if several, "missing" on every feature if none;
- actor `sep_sys`: the actor's strict features plus its crisis's system onset codes that the actor
  list lacks (`break`, `geogrel`, `ethnic`, `powdissy_bin`);
- `select`: per target, `sep` or the extended candidate, whichever has the smaller inner
  out-of-fold log loss on the outer training set (nested).

A second list (`thermo`, written after the first list's scores were seen, before any of its
own): the same strict features, but the ordinal ones coded as thresholds ("at least level k",
k = 2..K, with "missing" its own indicator) instead of one level each, so that the L2 penalty
shrinks the *steps* between adjacent levels (a random-walk prior along the scale) rather than
each level towards the mean: system `period`, `geogrel`, `protrac`, `powdissy_bin`; actor
`period`, `southpow`, `powsta`, `nuclear`, `durreg`, `allycap`, `territ`, `cractloc`, `pc`,
`powdis_bin`. `select` then chooses between `sep` and `thermo` per target as above.

A third (`pcid`, written after the first two lists' scores were seen, before any of its own):
the strict features plus the identity of the protracted conflict the crisis belongs to (ICB's
PCID, ONSET with the same hindsight caveat as PROTRAC: codes 1-36 one level each, the
non-protracted codes, 40-44 at system level and 0 at actor level, one level "none"), so that
each conflict gets its own L2-shrunk intercept (a random effect: crises of one conflict share
more than their onset codes say). `select` chooses between `sep` and `pcid` per target.

A diagnostic beside it (`curve`): the system-level fit at each fixed penalty, no selection,
pooled outer Brier on the acceptance test's folds and its mean over those and five shuffled fold
assignments (seeds 1-5): is there a penalty at which these features reach VARIABLES.md's `lr`
figures? (Reading a penalty off this curve would be tuning to the scored folds; it is not used.)

Needs scikit-learn, numpy, scipy (not in CI):
    /tmp/skl/bin/python scripts/refclass_more_onset.py [system|actor|curve|thermo-system|thermo-actor|pcid-system|pcid-actor]
"""

import csv
import sys
import warnings

import numpy as np

sys.path.insert(0, "scripts")
import refclass_explore as ex  # noqa: E402
import refclass_golden as g  # noqa: E402

warnings.filterwarnings("ignore")

FIRST = ["southpow", "issue", "powsta", "nuclear", "durreg", "allycap", "territ", "massvl",
         "gvinst", "trigloc", "cractloc"]


def first_actor_features(actor_rows):
    """crisno -> the first crisis actor's strict onset features, prefixed `fa_`."""
    by = {}
    for r in actor_rows:
        same = (r["yrtrig"], r["motrig"], r["datrig"]) == (r["systrgyr"], r["systrgmo"], r["systrgda"])
        if not same:
            continue
        c = int(r["crisno"])
        if c not in by or int(r["cracno"]) < int(by[c]["cracno"]):
            by[c] = r
    out = {}
    for c, r in by.items():
        f = {"fa_" + k: g.raw(r[k]) for k in FIRST}
        f["fa_regime3"] = g.regime3(r["regime"])
        f["fa_powdis_bin"] = g.powdis_bin(r["powdis"])
        out[c] = f
    return out


def missing_first():
    f = {"fa_" + k: "missing" for k in FIRST}
    f["fa_regime3"] = "missing"
    f["fa_powdis_bin"] = "missing"
    return f


ORDINAL = {
    "period": ["1", "2", "3", "4", "5", "6"],
    "geogrel": ["1", "2", "3"],
    "protrac": ["1", "2", "3"],
    "powdissy_bin": ["0", "1-3", "4-8", "9-15", "16+"],
    "southpow": ["1", "2", "3", "4"],
    "powsta": ["1", "2", "3", "4"],
    "nuclear": ["1", "2", "3", "4"],
    "durreg": ["1", "2", "3"],
    "allycap": ["1", "2", "3", "4"],
    "territ": ["1", "2", "3"],
    "cractloc": ["1", "2", "3", "4"],
    "pc": ["1", "2", "3"],
    "powdis_bin": ["<=-10", "-9..-1", "0", "1..9", ">=10"],
}


def thermo(feats):
    """One row of features with the ordinal ones as thresholds: `name>=k` for k past the first
    level, and `name=missing` (a value outside the list also counts as its own indicator)."""
    out = {}
    for k, v in feats.items():
        if k not in ORDINAL:
            out[k] = v
            continue
        levels = ORDINAL[k]
        if v in levels:
            i = levels.index(v)
            for j in range(1, len(levels)):
                out[f"{k}>={levels[j]}"] = "1" if i >= j else "0"
            out[k + ":other"] = "0"
        else:
            for j in range(1, len(levels)):
                out[f"{k}>={levels[j]}"] = "0"
            out[k + ":other"] = v
    return out


def sep_only(X, viol, violent, crisno, Xn, violent_n):
    """The shipped fit on (X, viol) forecasting Xn, and its inner out-of-fold forecasts."""
    sep, _, (lams, _) = ex.sep_all(X, viol, violent, crisno, Xn, violent_n)
    fold = ex.folds_of(crisno, 5)
    oof = np.zeros((len(viol), 3))
    for f in range(5):
        tr, te = fold != f, fold == f
        oof[te] = ex.sep_fixed(X[tr], viol[tr], violent[tr], X[te], violent[te], lams)
    return sep, oof, lams


def run(levelname):
    sysrows = list(csv.DictReader(open(g.DATA + "icb1-dev.csv")))
    actrows = list(csv.DictReader(open(g.DATA + "icb2-dev.csv")))
    if levelname.startswith(("pcid", "thermo")):
        name, lv = levelname.split("-")
        rows = sysrows if lv == "system" else actrows
        trig = "break" if lv == "system" else "triggr"
        featf = g.system_features if lv == "system" else g.actor_features
        base = [featf(r) for r in rows]
        if name == "thermo":
            ext = [thermo(b) for b in base]
        else:
            none = ("", "0", "40", "41", "42", "43", "44")  # not a protracted conflict
            ext = [{**b, "pcid": "none" if r["pcid"] in none else r["pcid"]}
                   for b, r in zip(base, rows)]
    elif levelname == "system":
        rows, trig = sysrows, "break"
        fa = first_actor_features(actrows)
        base = [g.system_features(r) for r in rows]
        ext = [{**b, **fa.get(int(r["crisno"]), missing_first())} for b, r in zip(base, rows)]
        print(f"first crisis actor found for {sum(int(r['crisno']) in fa for r in rows)} of {len(rows)} crises")
        name = "sep_first"
    else:
        rows, trig = actrows, "triggr"
        sysby = {int(r["crisno"]): r for r in sysrows}
        base = [g.actor_features(r) for r in rows]
        ext = []
        for b, r in zip(base, rows):
            s = sysby[int(r["crisno"])]
            ext.append({**b, "sys_break": g.raw(s["break"]), "sys_geogrel": g.raw(s["geogrel"]),
                        "sys_ethnic": g.raw(s["ethnic"]),
                        "sys_powdissy_bin": g.powdissy_bin(s["powdissy"])})
        name = "sep_sys"
    Xb = g.design(base)
    if name == "thermo":
        # one column per threshold and per non-ordinal level; "0" of a threshold is no column
        keys = sorted({(k, v) for f in ext for k, v in f.items() if v != "0" or ">=" not in k and not k.endswith(":other")})
        Xe = np.array([[1.0 if f[k] == v else 0.0 for (k, v) in keys] for f in ext])
    else:
        Xe = g.design(ext)
    viol = np.array([int(r["viol"]) for r in rows])
    crisno = [int(r["crisno"]) for r in rows]
    violent = np.array([r[trig] == "9" for r in rows])
    outer = ex.folds_of(crisno, 10)
    names = ["sep", name, "select"]
    P = {c: np.zeros((len(rows), 3)) for c in names}
    for f in range(10):
        tr, te = outer != f, outer == f
        cn = list(np.array(crisno)[tr])
        pb, ob, lb = sep_only(Xb[tr], viol[tr], violent[tr], cn, Xb[te], violent[te])
        pe, oe, le = sep_only(Xe[tr], viol[tr], violent[tr], cn, Xe[te], violent[te])
        P["sep"][te], P[name][te] = pb, pe
        pick = []
        for t in range(3):
            y = (viol[tr] >= 2 + t).astype(float)
            use_e = ex.logloss(oe[:, t], y).sum() < ex.logloss(ob[:, t], y).sum()
            pick.append(name if use_e else "sep")
            P["select"][te, t] = (pe if use_e else pb)[:, t]
        print(f"fold {f}: lambdas sep {lb} {name} {le}; select {pick}", flush=True)
    ex.report(levelname, P, viol, names)


def curve():
    rows = list(csv.DictReader(open(g.DATA + "icb1-dev.csv")))
    X = g.design([g.system_features(r) for r in rows])
    viol = np.array([int(r["viol"]) for r in rows])
    crisno = [int(r["crisno"]) for r in rows]
    print("system, fixed penalty: target lambda Brier(folds by number) mean(6 assignments)")
    for t, target in ((1, "serious_or_war"), (2, "war")):
        y = (viol >= 2 + t).astype(float)
        for lam in g.LAMBDAS[:7]:
            briers = []
            for seed in [None, 1, 2, 3, 4, 5]:
                fold = ex.folds_of(crisno, 10, seed)
                p = np.zeros(len(y))
                for f in range(10):
                    tr, te = fold != f, fold == f
                    p[te] = ex.fit_lr(X[tr], y[tr], lam).predict_proba(X[te])[:, 1]
                briers.append(((p - y) ** 2).mean())
            print(f"{target:15} {lam:5} {briers[0]:.4f} {np.mean(briers):.4f}", flush=True)


if __name__ == "__main__":
    for lv in sys.argv[1:] or ["system", "actor", "curve"]:
        curve() if lv == "curve" else run(lv)
