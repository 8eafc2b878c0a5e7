#!/usr/bin/env python3
"""Side-by-side timing of brink's exchange model and decide-exchange-model 2025.3.1.

For sample_data.txt and cop21.csv (10 rounds, p = 0) it times
  * the package's model alone: a Python script that reads the file and drives the package's own
    model classes (ModelFactory, EqualGainModel, ModelLoop) with no output observers; timed inside
    the process, so interpreter start-up and imports are excluded;
  * the package's full command line: `python -m decide.cli --input-file F --output-dir TMP` (CSV,
    SQLite and plot output), wall time of the process;
  * brink's model alone: `exchange_run FILE --quiet` prints the time of `run` (reading excluded);
  * brink's full run: wall time of `exchange_run FILE > out.json` (read, run, write JSON);
and prints each time, the ratios, and checks that the round-0 outcomes of both agree (brink's
28-digit decimal mode string-for-string, its float64 mode to 1e-12).

The package needs Python >= 3.13 (its release for 3.11 crashes in its command line):
    python3.13 -m venv /tmp/decide-venv
    /tmp/decide-venv/bin/pip install decide-exchange-model==2025.3.1
    python3 bench/exchange_side_by_side.py --python /tmp/decide-venv/bin/python [--repeat 3]
Run from the repository root. brink is built with `cargo build --release`.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "decide"
FILES = ["sample_data.txt", "cop21.csv"]
BRINK = ROOT / "target" / "release" / "examples" / "exchange_run"

PACKAGE_MODEL = r"""
import json, random, sys, time
from pathlib import Path
from importlib.metadata import version
t0 = time.perf_counter()
from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import equalgain
from decide.model.observers.observer import Observable
from decide.model.utils import ModelLoop
random.seed(1)
t1 = time.perf_counter()
data = InputDataFile.open(Path(sys.argv[1]))
model = ModelFactory(data)(model_klass=equalgain.EqualGainModel, randomized_value="0")
model.calc_nbs()
round0 = {i.name: str(i.de_normalize(model.nbs[i])) for i in model.issues if i in model.nbs}
loop = ModelLoop(model, Observable(model_ref=model, output_directory=Path(".")), 0)
for _ in range(int(sys.argv[2])):
    loop.loop()
t2 = time.perf_counter()
print(json.dumps({"version": version("decide-exchange-model"), "seconds": t2 - t1,
                  "import_seconds": t1 - t0, "round0": round0}))
"""


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def package_model(python, path, rounds):
    out = run([python, "-c", PACKAGE_MODEL, str(path), str(rounds)]).stdout
    return json.loads(out.strip().splitlines()[-1])


def package_cli(python, path, rounds):
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run([python, "-m", "decide.cli", "--input-file", str(path), "--output-dir", tmp,
             "--iterations", str(rounds)], cwd=tmp)
        return time.perf_counter() - t0


def brink_model(path, rounds):
    return float(run([str(BRINK), str(path), "--rounds", str(rounds), "--tie", "seed:1",
                      "--quiet"]).stdout)


def brink_full(path, rounds):
    with tempfile.TemporaryFile("w") as sink:
        t0 = time.perf_counter()
        subprocess.run([str(BRINK), str(path), "--rounds", str(rounds), "--tie", "seed:1"],
                       check=True, stdout=sink)
        return time.perf_counter() - t0


def brink_round0(path, decimal):
    args = [str(BRINK), str(path), "--rounds", "0"] + (["--decimal"] if decimal else [])
    r = json.loads(run(args).stdout)
    return dict(zip(r["issues"], r["initial_outcomes"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python", default="python3.13",
                    help="a Python >= 3.13 with decide-exchange-model 2025.3.1 installed")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--skip-cli", action="store_true", help="skip the package's full command line")
    a = ap.parse_args()

    run(["cargo", "build", "--release", "-q", "-p", "brink-bargain", "--example", "exchange_run"],
        cwd=ROOT)
    ok = True
    rows = []
    for name in FILES:
        path = DATA / name
        pm = [package_model(a.python, path, a.rounds) for _ in range(a.repeat)]
        pc = [] if a.skip_cli else [package_cli(a.python, path, a.rounds) for _ in range(a.repeat)]
        bm = [brink_model(path, a.rounds) for _ in range(a.repeat)]
        bf = [brink_full(path, a.rounds) for _ in range(a.repeat)]

        # round 0: exact in decimal mode, 1e-12 in float64
        want = pm[0]["round0"]
        got_dec = brink_round0(path, True)
        got_f64 = brink_round0(path, False)
        for issue, v in want.items():
            if Decimal(got_dec[issue]) != Decimal(v):
                ok = False
                print(f"ROUND-0 MISMATCH (decimal) {name} {issue}: {got_dec[issue]} vs {v}")
            if abs(got_f64[issue] - float(v)) > 1e-12:
                ok = False
                print(f"ROUND-0 MISMATCH (float64) {name} {issue}: {got_f64[issue]} vs {v}")
        print(f"{name}: round-0 outcomes of {len(want)} issues "
              f"{'agree' if ok else 'DIFFER'} (decimal exact, float64 within 1e-12)")
        rows.append((name, pm, pc, bm, bf))

    print(f"\npackage: decide-exchange-model {pm[0]['version']} ({a.python}); "
          f"brink: release build; {a.rounds} rounds; median of {a.repeat} runs (min..max)\n")
    print(f"{'file':<16} {'what':<11} {'package s':>22} {'brink s':>26} {'ratio':>9}")

    def fmt(xs):
        return f"{statistics.median(xs):.4f} ({min(xs):.4f}..{max(xs):.4f})"

    for name, pm, pc, bm, bf in rows:
        pms = [x["seconds"] for x in pm]
        print(f"{name:<16} {'model only':<11} {fmt(pms):>22} {fmt(bm):>26} "
              f"{statistics.median(pms) / statistics.median(bm):>8.0f}x")
        if pc:
            print(f"{name:<16} {'full':<11} {fmt(pc):>22} {fmt(bf):>26} "
                  f"{statistics.median(pc) / statistics.median(bf):>8.0f}x")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
