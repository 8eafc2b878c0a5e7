#!/usr/bin/env python3
"""Writes the forecast of record of the frozen scenario `ukraine-2021-12` (scenarios/ukraine-2021-12.record.toml).

The forecast of record is what brink forecast from the scenario as it stood before any outcome was
written: the engine *and* the scenario file of commit 8a98811, the last commit before the outcomes
file (b1f8e38). No number was written down at that commit, so this script rebuilds that commit in a
temporary directory (`git archive`, nothing in the working tree changes), checks that its built-in
scenario is byte for byte `scenarios/ukraine-2021-12.frozen.toml`, and runs it:

    brink run --draws 2000 --seed 0 --format json     # the crisis outcome shares
    brink run --format json                           # each model's forecast on each issue

Usage (from the repository root, with the full git history; building takes a few minutes):

    python3 scripts/frozen_record.py [-o scenarios/ukraine-2021-12.record.toml]
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

SHORT = "8a98811"
OUTCOMES_COMMIT = "b1f8e38"
FROZEN = "scenarios/ukraine-2021-12.frozen.toml"
SHA256 = "8396fbf38524206f472853fa67acfb619fc66a17442b9044dd31f5e2112eeda3"
DRAWS = 2000
SEED = 0


def git(*args):
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout.strip()


def toml_str(s):
    return json.dumps(s, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", default="scenarios/ukraine-2021-12.record.toml")
    a = ap.parse_args()

    commit = git("rev-parse", SHORT + "^{commit}")
    parent_of_outcomes = git("rev-parse", OUTCOMES_COMMIT + "^")
    if parent_of_outcomes != commit:
        sys.exit(f"{SHORT} is not the parent of the outcomes commit {OUTCOMES_COMMIT}")
    when = git("show", "-s", "--format=%cI", commit)
    frozen = open(FROZEN, "rb").read()
    if hashlib.sha256(frozen).hexdigest() != SHA256:
        sys.exit(f"{FROZEN} is not the frozen file (SHA-256 differs)")

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        os.mkdir(src)
        archive = subprocess.run(["git", "archive", commit], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
        builtin = open(os.path.join(src, "scenarios/ukraine-2021-12.toml"), "rb").read()
        if builtin != frozen:
            sys.exit(f"the built-in scenario of {SHORT} is not byte for byte {FROZEN}")
        env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(tmp, "target"))
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "brink"], cwd=src, env=env, check=True)
        exe = os.path.join(tmp, "target", "release", "brink")
        mc = json.loads(subprocess.run([exe, "run", "--draws", str(DRAWS), "--seed", str(SEED), "--format", "json"],
                                       check=True, capture_output=True, text=True).stdout)
        det = json.loads(subprocess.run([exe, "run", "--format", "json"],
                                        check=True, capture_output=True, text=True).stdout)

    if mc["input"]["sha256"] != SHA256 or det["input"]["sha256"] != SHA256:
        sys.exit("the run did not read the frozen file")
    out = []
    w = out.append
    w("# The forecast of record of the frozen scenario `ukraine-2021-12` (ukraine-2021-12.frozen.toml):")
    w("# what brink forecast from the scenario as it stood before any outcome was written. Written by")
    w("# scripts/frozen_record.py, which rebuilds the engine of that commit and runs it; do not edit by hand.")
    w("")
    w("brink = 1")
    w(f"scenario = {toml_str(mc['scenario']['id'])}")
    w(f"file = {toml_str(os.path.basename(FROZEN))}")
    w(f"sha256 = {toml_str(SHA256)}")
    w(f"as_of = {mc['scenario']['as_of']}")
    w(f"commit = {toml_str(commit)}")
    w(f"committed = {toml_str(when)}")
    w(f"command = {toml_str(f'brink run --draws {DRAWS} --seed {SEED} --format json; brink run --format json')}")
    w(f"draws = {DRAWS}")
    w(f"seed = {SEED}")
    w('provenance = """')
    w(f"Engine and scenario of commit {SHORT}, the last commit before the outcomes file ({OUTCOMES_COMMIT}).")
    w("No forecast was written down at that commit: these numbers were obtained by rebuilding it and")
    w("running it, which any clone with the history can repeat. The README first showed P(war) 0.000")
    w("(commit f0aa863) and then 0.001 (commit 24ae8ba), both computed on the scenario as extended after")
    w('the outcome (the territory hypothesis; then the issues deal_form and china_alignment)."""')
    for c in mc["montecarlo"]["crises"]:
        w("")
        w("[[crises]]")
        w(f"crisis = {toml_str(c['crisis'])}")
        shares = ", ".join(f"{toml_str(o['outcome'])} = {o['share']!r}" for o in c["outcomes"])
        w(f"shares = {{ {shares} }}")
    for issue in det["issues"]:
        w("")
        w("[[issues]]")
        w(f"issue = {toml_str(issue['id'])}")
        fs = ", ".join(f"{f['model']} = {f['value']!r}" for f in issue["forecasts"] if f.get("value") is not None)
        w(f"forecasts = {{ {fs} }}")
    with open(a.output, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {a.output}")


if __name__ == "__main__":
    main()
