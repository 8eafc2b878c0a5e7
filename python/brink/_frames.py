"""pandas DataFrames built from the engine's JSON documents.

The frames are built generically from the documents, so that a field the engine adds to a
document (a new distribution of an issue forecast, a new way of putting probabilities on a
crisis's outcomes) appears as a column or as rows without a change here.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pandas as pd


def _is_quantiles(v: Any) -> bool:
    return (
        isinstance(v, list)
        and len(v) > 0
        and all(isinstance(x, dict) and set(x) == {"q", "value"} for x in v)
    )


def _qname(q: float) -> str:
    """Column name of quantile level q: 0.05 -> q05, 0.5 -> q50, 0.975 -> q97.5."""
    pct = round(q * 100, 6)
    if pct == int(pct):
        return f"q{int(pct):02d}"
    return f"q{pct:g}"


def flatten(d: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    """A nested dict as one flat row: nested dicts joined with '.', a list of {q, value} as one
    column per quantile level, other values (lists of names, None) as they are."""
    row: Dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            row.update(flatten(v, key + "."))
        elif _is_quantiles(v):
            for x in v:
                row[f"{prefix}{_qname(x['q'])}"] = x["value"]
        else:
            row[key] = v
    return row


# The forecast's distribution over the draws is the common case: its columns go without prefix
# (mean, sd, q05, ..., median_label), other nested fields keep theirs (e.g. predictive.q05).
_SHORT = ("distribution.summary.", "distribution.")


def _shorten(row: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for k, v in row.items():
        for p in _SHORT:
            if k.startswith(p):
                k = k[len(p):]
                break
        out[k] = v
    return out


def issue_frame(doc: Dict[str, Any]) -> pd.DataFrame:
    """One row per issue x model of a forecast document."""
    rows: List[Dict[str, Any]] = []
    for issue in doc["issues"]:
        for f in issue["forecasts"]:
            f = {k: v for k, v in f.items() if k != "trace"}
            row = {
                "issue": issue["id"],
                "issue_name": issue["name"],
                "scale_min": issue["min"],
                "scale_max": issue["max"],
                "status_quo": issue.get("status_quo"),
            }
            row.update(_shorten(flatten(f)))
            rows.append(row)
    return pd.DataFrame(rows)


def _probabilities(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and isinstance(v.get("outcomes"), list)
        and all(isinstance(o, dict) and "outcome" in o and "p" in o for o in v["outcomes"])
    )


def crisis_frame(doc: Dict[str, Any]) -> pd.DataFrame:
    """One row per crisis x source x outcome of a forecast document. The source is the field the
    probabilities come from: ``equilibrium`` (the certified equilibrium on the point estimates),
    ``game`` (its outcome shares over the Monte Carlo draws), and any other field of the same
    shape the engine adds (``reference_class``, ``combined``)."""
    rows: List[Dict[str, Any]] = []
    for c in doc["crises"]:
        for source, v in c.items():
            if not _probabilities(v):
                continue
            for o in v["outcomes"]:
                iv = o.get("interval") or {}
                rows.append(
                    {
                        "crisis": c["crisis"],
                        "name": c["name"],
                        "source": source,
                        "outcome": o["outcome"],
                        "p": o["p"],
                        "lo": iv.get("lo"),
                        "hi": iv.get("hi"),
                        "draws": v.get("draws"),
                    }
                )
    return pd.DataFrame(
        rows, columns=["crisis", "name", "source", "outcome", "p", "lo", "hi", "draws"]
    )


def records(items: List[Dict[str, Any]], **extra: Any) -> pd.DataFrame:
    """A list of dicts as a frame, each flattened, with constant columns in front."""
    return pd.DataFrame([{**extra, **flatten(x)} for x in items])
