#!/usr/bin/env python3
"""Writes scenarios/crises/NAME.onset.toml for every coded crisis: the crisis-level ICB onset
codes listed in section 1 of NAME.notes.md (committed before NAME.outcomes.toml), transcribed
into an onset addendum for the frozen scenario NAME.toml (docs/scenario-format.md, "Onset
addenda"). Run from the repository root:

    python3 scripts/onset_addenda.py

Transcription rules (the same for every crisis):
- `date`: the notes' trigger date; an ICB vague day (66, 77, 88: early, mid, late in the month)
  is read at its earliest day, as the scenario's `as_of` was;
- `trigger` BREAK, `triggering_entity` TRIGENT, `proximity` GEOGREL, `protracted` PROTRAC,
  `region` GEOG, `ethnic` ETHNIC, `power_discrepancy` POWDISSY (a point), as coded;
- `intra_war`: IWCMB >= 3 (the crisis began inside an ongoing war); IWCMB 2 ("war began with
  the crisis") is an outcome code and reads as false, like IWCMB 1;
- PERIOD is not written: brink derives it from the date (the test checks it agrees).
The crisis actors' codes in the notes are not transcribed (the actor-level tables of the notes
name ICB actor codes, not the scenario's actors).
The test crates/engine/tests/onset_addenda.rs re-reads the notes and checks every value and the
frozen file's SHA-256.
"""

import glob
import hashlib
import os
import re

ADDED = "2026-12-07"
DIR = "scenarios/crises"
KEYS = [
    ("trigger", "BREAK"),
    ("triggering_entity", "TRIGENT"),
    ("proximity", "GEOGREL"),
    ("protracted", "PROTRAC"),
    ("region", "GEOG"),
    ("ethnic", "ETHNIC"),
    ("power_discrepancy", "POWDISSY"),
]


def codes(notes):
    """Section 1's crisis-level rows: variable -> value (text)."""
    sec = notes.split("## 1.", 1)[1].split("## 2.", 1)[0]
    out = {}
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not line.startswith("|"):
            continue
        name, value = cells[0], cells[1]
        if name.startswith("trigger date"):
            out["DATE"] = value
        elif re.fullmatch(r"[A-Z]+", name) and name not in out:
            out[name] = value
    return out


def onset_date(v):
    y, m, d = (int(x) for x in v.split("-"))
    d = {66: 1, 77: 11, 88: 21}.get(d, d)
    return f"{y:04d}-{m:02d}-{d:02d}"


def main():
    for toml_path in sorted(glob.glob(f"{DIR}/*.outcomes.toml")):
        name = os.path.basename(toml_path)[: -len(".outcomes.toml")]
        scen_path = f"{DIR}/{name}.toml"
        notes_path = f"{DIR}/{name}.notes.md"
        scen = open(scen_path, "rb").read()
        sha = hashlib.sha256(scen).hexdigest()
        text = scen.decode()
        sid = re.search(r'^id = "([^"]+)"', text, re.M).group(1)
        crisis = re.search(r'^\[\[crises\]\]\s*\nid = "([^"]+)"', text, re.M).group(1)
        c = codes(open(notes_path).read())
        src = f"{name}.notes.md"
        lines = [
            f"# Onset addendum for the frozen scenario {name}.toml, added on {ADDED}, after the",
            f"# outcome ({name}.outcomes.toml) was written. The values are ICB v15's crisis-level onset codes as",
            f"# listed in section 1 of {src}, which was committed with the scenario, before the",
            "# outcome. Written by scripts/onset_addenda.py; checked by crates/engine/tests/onset_addenda.rs.",
            "",
            "brink = 1",
            f'scenario = "{sid}"',
            f'file = "{name}.toml"',
            f'sha256 = "{sha}"',
            f"added = {ADDED}",
            f'label = "added after the outcome, transcribed from {src} committed before it"',
            f'transcribed_from = "{src}"',
            f"icb_crisno = {int(c['CRISNO'])}",
            "",
            "[[crises]]",
            f'crisis = "{crisis}"',
            "",
            "[crises.onset]",
            f"date = {onset_date(c['DATE'])}",
        ]
        why = lambda var, v: f'assumed = "ICB v15 {var} = {v}, as listed in {src}"'
        for key, var in KEYS:
            v = c[var]
            val = v if re.fullmatch(r"-?\d+(\.\d+)?", v) else f'"{v}"'
            lines.append(f"{key} = {{ value = {val}, {why(var, v)} }}")
        iw = int(c["IWCMB"])
        note = "" if iw != 2 else ', note = "IWCMB 2 (war began with the crisis) is an outcome code: read as not intra-war"'
        lines.append(f"intra_war = {{ value = {'true' if iw >= 3 else 'false'}, {why('IWCMB', iw)}{note} }}")
        out = f"{DIR}/{name}.onset.toml"
        open(out, "w").write("\n".join(lines) + "\n")
        print("wrote", out)


if __name__ == "__main__":
    main()
