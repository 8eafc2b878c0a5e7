#!/usr/bin/env python3
"""Independent exact backward-induction oracle for brink-crisis (subgame-perfect equilibria).

Generates random perfect-information game trees with chance nodes, writes them as Gambit .efg
files, and computes every subgame-perfect equilibrium exactly with Python's `fractions` module.

Outputs (under tests/data/crisis/):
  random/*.efg              small committed trees (generic payoffs, and small-integer payoffs with ties)
  random_expected.json      for each committed tree: every SPE (actions per decision node in prefix
                            order, expected payoffs as exact fractions, nodes reached)
  named_expected.json       every SPE of models_example.efg and of templates/*.efg
  seeded_expected.json      for large trees generated from a seed by the same generator on both sides
                            (the Rust test regenerates the text; its FNV-1a hash must match): payoffs,
                            number of SPEs, and hashes of the path and of the action vector

The generator is a splitmix64 stream; the Rust test implements the same generator, so the trees
(up to 100,000 nodes) need not be committed. Rerun:  python3 scripts/crisis_oracle.py
"""
import json
import os
import sys
from fractions import Fraction

MASK = (1 << 64) - 1
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "crisis")


class Rng:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n


def fnv1a(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & MASK
    return h


def fmt(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def generate(seed, target, ties):
    """Returns efg text. Same algorithm as `gen_efg` in crates/crisis/tests/oracle.rs."""
    r = Rng(seed)
    n_players = 2 + r.below(2)
    lines = ['EFG 2 R "random %d" { %s }' % (seed, " ".join('"P%d"' % (i + 1) for i in range(n_players))), '""', ""]
    infoset_count = [0] * n_players
    chance_count = 0
    outcome_count = 0
    created = 0
    stack = [0]  # depth of each open slot (top = next node in prefix order)
    open_slots = 1

    def payoff():
        if ties:
            return Fraction(r.below(4))
        num = r.below(2_000_001) - 1_000_000
        den = 1 + r.below(16)
        return Fraction(num, den)

    def outcome_text():
        nonlocal outcome_count
        outcome_count += 1
        pays = [payoff() for _ in range(n_players)]
        return '%d "o%d" { %s }' % (outcome_count, outcome_count, ", ".join(fmt(p) for p in pays))

    while stack:
        depth = stack.pop()
        open_slots -= 1
        created += 1
        room = created + open_slots + 1 < target
        # The last open slot always grows while there is room, so the tree reaches its target size.
        internal = room and ((not stack) or (depth < 40 and r.below(100) < 60))
        if not internal:
            lines.append('t "" ' + outcome_text())
            continue
        k = 2 + r.below(3 if not ties else 2)
        is_chance = r.below(100) < 25
        if is_chance:
            chance_count += 1
            ws = [1 + r.below(9) for _ in range(k)]
            tot = sum(ws)
            acts = " ".join('"c%d" %s' % (j + 1, fmt(Fraction(w, tot))) for j, w in enumerate(ws))
            head = 'c "" %d "" { %s }' % (chance_count, acts)
        else:
            pl = r.below(n_players)
            infoset_count[pl] += 1
            acts = " ".join('"a%d"' % (j + 1) for j in range(k))
            head = 'p "" %d %d "" { %s }' % (pl + 1, infoset_count[pl], acts)
        if r.below(10) == 0:
            head += " " + outcome_text()
        else:
            head += " 0"
        lines.append(head)
        for _ in range(k):
            stack.append(depth + 1)
        open_slots += k
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- parsing the generated text

def parse(text):
    """Parses the subset of .efg the generator writes. Returns (n_players, nodes) in prefix order;
    node = dict(kind, player, probs, pay (list of Fraction or None), children)."""
    rows = text.strip().split("\n")
    head = tokenize(rows[0])
    n_players = sum(1 for t in head[head.index("{") + 1:head.index("}")] if t.startswith('"'))
    nodes = []
    for row in rows[1:]:
        toks = tokenize(row)
        if not toks or toks[0] not in ("p", "c", "t"):
            continue
        kind = toks[0]
        node = {"kind": kind, "children": [], "pay": None, "player": None, "probs": None}
        if kind == "t":
            rest = toks[2:]
        elif kind == "p":
            node["player"] = int(toks[2]) - 1
            i = toks.index("{")
            j = toks.index("}")
            node["k"] = j - i - 1
            rest = toks[j + 1:]
        else:
            i = toks.index("{")
            j = toks.index("}")
            body = toks[i + 1:j]
            node["probs"] = [Fraction(body[x]) for x in range(1, len(body), 2)]
            node["k"] = len(node["probs"])
            rest = toks[j + 1:]
        if rest[0] != "0":
            i = rest.index("{")
            j = rest.index("}")
            node["pay"] = [Fraction(x.rstrip(",")) for x in rest[i + 1:j] if x != ","]
        nodes.append(node)
    # Link children (prefix order).
    stack = []
    for idx, node in enumerate(nodes):
        if stack:
            parent = stack[-1]
            nodes[parent]["children"].append(idx)
            if len(nodes[parent]["children"]) == nodes[parent]["k"]:
                stack.pop()
        if node["kind"] != "t":
            stack.append(idx)
    return n_players, nodes


def tokenize(row):
    out = []
    i = 0
    while i < len(row):
        c = row[i]
        if c.isspace():
            i += 1
        elif c in "{},":
            out.append(c)
            i += 1
        elif c == '"':
            j = row.index('"', i + 1)
            out.append(row[i:j + 1])
            i = j + 1
        else:
            j = i
            while j < len(row) and not row[j].isspace() and row[j] not in "{},":
                j += 1
            out.append(row[i:j])
            i = j
    return out


# ---------------------------------------------------------------- the oracle

def all_spe(n_players, nodes):
    """Every SPE: list of (payoff tuple, {decision node: action}). Iterative post-order."""
    result = [None] * len(nodes)
    zero = tuple(Fraction(0) for _ in range(n_players))
    for idx in range(len(nodes) - 1, -1, -1):
        node = nodes[idx]
        own = tuple(node["pay"]) if node["pay"] else zero
        if node["kind"] == "t":
            result[idx] = [(own, {})]
            continue
        kid_lists = [result[c] for c in node["children"]]
        for c in node["children"]:
            result[c] = None
        combos = [((), {})]
        # Cartesian product of the children's equilibria.
        for lst in kid_lists:
            new = []
            for vals, assign in combos:
                for v, a in lst:
                    merged = dict(assign)
                    merged.update(a)
                    new.append((vals + (v,), merged))
            combos = new
        out = []
        for vals, assign in combos:
            if node["kind"] == "c":
                total = list(own)
                for p, v in zip(node["probs"], vals):
                    for i in range(n_players):
                        total[i] += p * v[i]
                out.append((tuple(total), assign))
            else:
                i = node["player"]
                best = max(v[i] for v in vals)
                for a, v in enumerate(vals):
                    if v[i] == best:
                        merged = dict(assign)
                        merged[idx] = a
                        out.append((tuple(o + x for o, x in zip(own, v)), merged))
        result[idx] = out
    return result[0]


def path_of(nodes, assign):
    reach = [False] * len(nodes)
    reach[0] = True
    for idx, node in enumerate(nodes):
        if not reach[idx]:
            continue
        if node["kind"] == "p":
            reach[node["children"][assign[idx]]] = True
        elif node["kind"] == "c":
            for c, p in zip(node["children"], node["probs"]):
                if p > 0:
                    reach[c] = True
    return [i for i, x in enumerate(reach) if x]


def describe(n_players, nodes):
    eqs = []
    decision = [i for i, n in enumerate(nodes) if n["kind"] == "p"]
    for vals, assign in all_spe(n_players, nodes):
        eqs.append({
            "actions": [assign[i] for i in decision],
            "payoffs": [fmt(v) for v in vals],
            "path": path_of(nodes, assign),
        })
    eqs.sort(key=lambda e: e["actions"])
    return eqs


def seq_hash(xs):
    return "%016x" % fnv1a(",".join(str(x) for x in xs).encode())


def main():
    os.makedirs(os.path.join(ROOT, "random"), exist_ok=True)
    committed = []
    # 300 generic small trees and 100 trees with small-integer payoffs (ties).
    specs = [("g%03d" % k, 1000 + k, 5 + (k * 7919) % 150, False) for k in range(300)]
    specs += [("t%03d" % k, 5000 + k, 4 + (k * 31) % 30, True) for k in range(100)]
    for name, seed, size, ties in specs:
        text = generate(seed, size, ties)
        n_players, nodes = parse(text)
        eqs = describe(n_players, nodes)
        assert len(eqs) <= 1000, name
        with open(os.path.join(ROOT, "random", name + ".efg"), "w") as f:
            f.write(text)
        committed.append({"file": name + ".efg", "seed": seed, "nodes": len(nodes), "equilibria": eqs})
    with open(os.path.join(ROOT, "random_expected.json"), "w") as f:
        json.dump(committed, f, separators=(",", ":"))
        f.write("\n")
    # Hand-written and template games (templates written by `cargo run --example write_templates`).
    named = {}
    tdir = os.path.join(ROOT, "templates")
    files = ["models_example.efg"] + ["templates/" + f for f in sorted(os.listdir(tdir)) if f.endswith(".efg")]
    for name in files:
        with open(os.path.join(ROOT, name)) as f:
            n_players, nodes = parse(f.read())
        named[name] = describe(n_players, nodes)
    with open(os.path.join(ROOT, "named_expected.json"), "w") as f:
        json.dump(named, f, indent=1)
        f.write("\n")
    seeded = []
    n_big = int(os.environ.get("CRISIS_ORACLE_BIG", "100"))
    for k in range(n_big):
        # Sizes from 200 to about 100,000 nodes (log-size cubic in k: most trees are mid-sized).
        target = int(round(200 * (499.95 ** ((k / (n_big - 1)) ** 3))))
        seed = 90000 + k
        text = generate(seed, target, False)
        n_players, nodes = parse(text)
        spes = all_spe(n_players, nodes)
        decision = [i for i, n in enumerate(nodes) if n["kind"] == "p"]
        vals, assign = spes[0]
        path = path_of(nodes, assign)
        seeded.append({
            "seed": seed,
            "target": target,
            "nodes": len(nodes),
            "text_fnv1a": "%016x" % fnv1a(text.encode()),
            "count": len(spes),
            "payoffs": [fmt(v) for v in vals],
            "path_len": len(path),
            "path_hash": seq_hash(path),
            "actions_hash": seq_hash([assign[i] for i in decision]),
        })
        print(f"seeded {k}: {len(nodes)} nodes, {len(spes)} SPE", file=sys.stderr)
    with open(os.path.join(ROOT, "seeded_expected.json"), "w") as f:
        json.dump(seeded, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
