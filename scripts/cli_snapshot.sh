#!/usr/bin/env bash
# Runs every `brink` subcommand on the shipped data (tables, JSON, files written, exit codes) and
# keeps what each printed or wrote in one directory, so that two builds can be compared with
# `diff -r` (tables, files, exit codes) and `scripts/cli_snapshot_compare.py` (the numbers of the
# JSON documents, whatever their shape).
#
#   scripts/cli_snapshot.sh target/release/brink /tmp/before
#   (change the code, rebuild)
#   scripts/cli_snapshot.sh target/release/brink /tmp/after
#   diff -r /tmp/before /tmp/after
#   python3 scripts/cli_snapshot_compare.py /tmp/before /tmp/after
#
# Slow parts are kept small (a few hundred draws); a full run takes about a minute on 2 cores.
set -uo pipefail
BRINK=$(realpath "$1")
OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$OUT"
mkdir -p "$OUT/files"
cd "$ROOT"
SC=scenarios/ukraine-2021-12.toml
OC=scenarios/ukraine-2021-12.outcomes.toml
CL=scenarios/ukraine-2021-12.claims.toml
EFG=tests/data/crisis/models_example.efg
PBE=tests/data/crisis/pbe/beer_quiche.efg

# run NAME ARGS...: stdout, stderr and exit code of `brink ARGS...`.
run() {
  local name=$1
  shift
  "$BRINK" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  echo $? >"$OUT/$name.code"
}

run run-table run
run run-explain run --explain
run run-json run --format json
run run-explain-json run --explain --format json -m smp -m compromise
run run-asof run --as-of 2022-01-12
run run-asof-json run --as-of 2022-01-12 --format json
run run-draws run --draws 300 --seed 3 -q --keep-draws "$OUT/files/draws.csv"
run run-draws-json run --draws 300 --seed 3 -q --format json
run run-draws-threads-json run --draws 300 --seed 3 -q --threads 1 --format json
run run-file-o run "$SC" -m nash -o "$OUT/files/run-o.txt"
run timeline timeline --svg "$OUT/files/timeline"
run timeline-json timeline --format json
run sensitivity sensitivity --draws 200 --seed 2
run sensitivity-json sensitivity --draws 200 --seed 2 --format json
run sensitivity-top sensitivity -m compromise --top 3 --draws 0
run whatif whatif --set rus.enlargement.salience=0.5 --set standoff.p_win=0.9
run whatif-json whatif --set rus.enlargement.salience=0.5 --format json
run crisis crisis --svg "$OUT/files/crisis.svg" --samples 20
run crisis-json crisis --format json --samples 20
run solve solve "$EFG" --svg "$OUT/files/solve.svg"
run solve-json solve "$EFG" --format json
run solve-pbe solve "$PBE" --beliefs prior
run solve-pbe-json solve "$PBE" --format json
run backtest backtest "$SC" "$OC" --claims "$CL" --draws 300
run backtest-json backtest "$SC" "$OC" --claims "$CL" --draws 300 --format json
run backtest-asof backtest "$SC" "$OC" --as-of 2022-01-10 --draws 300 -m median
run eval-deu eval tests/data/deu3/deu3-dev.tsv --resamples 200 --csv "$OUT/files/eval.csv"
run eval-deu-json eval tests/data/deu3/deu3-dev.tsv --resamples 200 -m compromise -m median --format json
run eval-scenario eval "$SC" --resamples 100
run eval-scenario-json eval "$SC" --outcomes "$OC" --resamples 100 --format json
run check check "$SC" --outcomes "$OC"
run models models
run import-bdm import --from bdm tests/data/bdm/ExampleActors.csv -o "$OUT/files/import"
run import-deu import --from deu tests/data/deu3/deu3-dev.tsv -o "$OUT/files/import"
run report report -o "$OUT/files/report.html" --draws 200 --seed 5 -q
run report-nodraws report -o "$OUT/files/report0.html" --draws 0
run plot plot --all -o "$OUT/files/plots" --draws 100 -q
# Bad input: every message and exit code.
run bad-model run --model oracle
run bad-file run no-such-file.toml
run bad-asof run --as-of 2021-12-01
run bad-asof-form run --as-of yesterday
run bad-set whatif --set rus.enlargement.salience=7
run bad-set-key whatif --set nobody.power=1
run bad-set-form whatif --set nonsense
run bad-format import --from xls "$SC"
run bad-beliefs solve "$EFG" --beliefs none
run bad-issue plot --issue nope -o "$OUT/files/none"
run bad-crisis crisis tests/data/deu3/../../../scenarios/ukraine-2021-12.claims.toml
run bad-eval eval no-such.tsv
run bad-outcomes backtest "$SC" "$CL"
run bad-no-crises crisis "$OUT/files/import/deu3-dev.toml"
# The absolute paths of this run's directory differ between runs: replace them.
grep -rl "$OUT" "$OUT" 2>/dev/null | while read -r f; do
  sed -i "s#$OUT#OUT#g" "$f"
done
echo "snapshot in $OUT"
