#!/usr/bin/env python3
"""Verify a brink ledger export on its own, without brink.

Reads a JSON export (`brink ledger export --format json`, or `Ledger::export_to_string`) and,
from the description in docs/ledger.md alone, re-derives every record's canonical form (the JSON
Canonicalization Scheme, RFC 8785, of {"format", "origin", "seq", "prev", "recorded_at",
"record"}) and its SHA-256, and checks that each chain is numbered 1, 2, 3, ... and linked
(each `prev` the hash of the record before, the first 64 zeros) with recorded times in order.

Usage: python3 scripts/ledger_verify.py EXPORT.json
Prints `ok: N records in M chains` and each chain's head, or every problem; exits 1 on a problem.
Standard library only.
"""
import hashlib
import json
import sys
from decimal import Decimal

FORMAT = "brink-ledger/1"
GENESIS = "0" * 64


def es_number(x: float) -> str:
    """A finite float as ECMAScript's Number.prototype.toString writes it (RFC 8785, 3.2.2.3)."""
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest digits that read back as x (ties to even).
    t = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(map(str, t.digits)).lstrip("0")
    e = t.exponent
    stripped = digits.rstrip("0")
    e += len(digits) - len(stripped)
    digits = stripped
    k = len(digits)
    n = k + e  # x = 0.d1...dk * 10^n
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        rest = "." + digits[1:] if k > 1 else ""
        body = digits[0] + rest + "e" + ("+" if n - 1 >= 0 else "-") + str(abs(n - 1))
    return sign + body


def jcs(v) -> str:
    """RFC 8785: no whitespace, members sorted by UTF-16 code units, minimal string escapes."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return es_number(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(v[k]) for k in keys) + "}"
    raise TypeError(f"not a JSON value: {v!r}")


def canonical(r: dict) -> str:
    return jcs(
        {
            "format": FORMAT,
            "origin": r["origin"],
            "seq": r["seq"],
            "prev": r["prev"],
            "recorded_at": r["recorded_at"],
            "record": r["body"],
        }
    )


def verify(doc: dict) -> list:
    problems = []
    if doc.get("format") != "brink-ledger-export":
        problems.append(f"format is {doc.get('format')!r}, not 'brink-ledger-export'")
    chains = {}
    for r in doc["records"]:
        chains.setdefault(r["origin"], []).append(r)
    heads = {}
    for origin, recs in sorted(chains.items()):
        recs.sort(key=lambda r: r["seq"])
        prev, prev_time = GENESIS, None
        for i, r in enumerate(recs):
            at = f"chain {origin}, record {r['seq']}"
            if r["seq"] != i + 1:
                problems.append(f"{at}: expected record {i + 1}")
            if r["prev"] != prev:
                problems.append(f"{at}: its link is not the previous record's hash")
            h = hashlib.sha256(canonical(r).encode("utf-8")).hexdigest()
            if h != r["hash"]:
                problems.append(f"{at}: content gives {h}, the record says {r['hash']}")
            # The timestamps have one fixed-width form, so text order is time order.
            if prev_time is not None and r["recorded_at"] < prev_time:
                problems.append(f"{at}: recorded before the previous record")
            prev, prev_time = r["hash"], r["recorded_at"]
        heads[origin] = (recs[-1]["seq"], recs[-1]["hash"])
    for a in doc.get("chains", []):
        if heads.get(a["origin"]) != (a["seq"], a["hash"]):
            problems.append(f"chain {a['origin']}: the export's head {a['seq']} {a['hash']} is not its last record")
    return problems, heads


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: python3 scripts/ledger_verify.py EXPORT.json", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    problems, heads = verify(doc)
    if problems:
        for p in problems:
            print(p)
        return 1
    print(f"ok: {len(doc['records'])} records in {len(heads)} chains")
    for origin, (seq, h) in sorted(heads.items()):
        print(f"chain {origin}: head {seq} {h}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
