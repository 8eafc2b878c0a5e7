#!/usr/bin/env python3
"""Compares the JSON documents of two `scripts/cli_snapshot.sh` directories by their contents,
whatever their shape: every number and every string of the first document must be found in the
second as often (a multiset inclusion), so a change of shape passes and a changed number does not.
Numbers are compared exactly (as JSON writes them). Prints what is missing; exits 1 if anything is.
Left out: the schema version (expected to move) and schema 1's dump of a crisis's game tree
(`built.game`, replaced by the game in Gambit's format in schema 2).

    python3 scripts/cli_snapshot_compare.py BEFORE AFTER
"""
import json
import sys
from collections import Counter
from pathlib import Path


def leaves(v, out, old, top=True):
    if isinstance(v, dict):
        for k, x in v.items():
            if (top and k == "schema") or (old and k == "game"):
                continue
            leaves(x, out, old, False)
    elif isinstance(v, list):
        for x in v:
            leaves(x, out, old, False)
    elif isinstance(v, bool) or v is None:
        pass
    else:
        out[repr(v)] += 1
    return out


def main(a, b):
    bad = 0
    for f in sorted(Path(a).glob("*json.out")):
        g = Path(b) / f.name
        try:
            x = json.loads(f.read_text())
            y = json.loads(g.read_text())
        except (OSError, ValueError) as e:
            print(f"{f.name}: cannot compare: {e}")
            bad += 1
            continue
        lx, ly = leaves(x, Counter(), x.get("schema") == 1), leaves(y, Counter(), y.get("schema") == 1)
        missing = lx - ly
        if missing:
            bad += 1
            shown = ", ".join(f"{k} x{n}" for k, n in list(missing.items())[:20])
            print(f"{f.name}: {sum(missing.values())} value(s) of BEFORE not in AFTER: {shown}")
        else:
            print(f"{f.name}: every value kept ({sum(lx.values())} values; AFTER has {sum(ly.values())})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
