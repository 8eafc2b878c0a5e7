#!/usr/bin/env bash
# Seeds fuzz/corpus/TARGET/ for every fuzz target from the project's own files: tests/data/,
# scenarios/, the scenario format's documentation and the reproducers in tests/data/fuzz-repro/.
# The corpora are generated, not committed (fuzz/.gitignore). Run from anywhere:
#   fuzz/seed.sh            # adds the seeds (existing corpus entries are kept)
set -euo pipefail
cd "$(dirname "$0")/.."
C=fuzz/corpus
mkdir -p "$C"
add() { # add TARGET FILE...: copy each file, named by its content's hash (no duplicates)
  local t=$1; shift
  mkdir -p "$C/$t"
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$C/$t/$(sha1sum "$f" | cut -c1-16)"
  done
}
add_head() { # add_head TARGET LINES FILE...: also the first LINES lines of big files (fast seeds)
  local t=$1 n=$2; shift 2
  local tmp; tmp=$(mktemp)
  for f in "$@"; do
    [ -f "$f" ] || continue
    head -n "$n" "$f" > "$tmp"
    add "$t" "$tmp"
  done
  rm -f "$tmp"
}

R=tests/data/fuzz-repro
# Scenario TOML: the shipped scenarios, the documentation's examples, the reproducers.
docs=$(mktemp -d)
awk -v d="$docs" '/^```toml/{n++; f=sprintf("%s/doc-%02d.toml", d, n); on=1; next} /^```/{on=0} on{print > f}' docs/scenario-format.md
for t in scenario_toml scenario_run; do
  add $t scenarios/ukraine-2021-12.toml "$docs"/*.toml $R/*.toml
done
# Scenarios the importers write from their sample files (when the brink binary can be built).
if cargo build --release --quiet -p brink-cli 2>/dev/null; then
  out=$(mktemp -d)
  b=target/release/brink
  $b import --from ktab tests/data/ktab/dummyData_3Dim.csv -o "$out" >/dev/null || true
  $b import --from bdm tests/data/bdm/ExampleActors.csv -o "$out" >/dev/null || true
  $b import --from decide tests/data/decide/sample_data.txt -o "$out" >/dev/null || true
  add scenario_toml "$out"/*.toml
  add scenario_run "$out"/*.toml
  rm -rf "$out"
fi
rm -rf "$docs"
add outcomes_toml scenarios/*.outcomes.toml
add claims_toml scenarios/*.claims.toml
# Importers: the sample files, their first lines (small, fast inputs), the reproducers.
add import_ktab tests/data/ktab/*.csv $R/*ktab*.csv
add_head import_ktab 6 tests/data/ktab/*.csv
add import_bdm tests/data/bdm/*.csv $R/*bdm*.csv
add import_decide tests/data/decide/*.csv tests/data/decide/*.txt $R/*decide*
add_head import_decide 12 tests/data/decide/*.csv tests/data/decide/*.txt
# DEU: the first rows only (the whole 53 KB file makes every run slow; it is round-tripped by the
# importer's own tests).
add import_deu $R/*deu*
add_head import_deu 5 tests/data/deu3/*.tsv
add_head import_deu 30 tests/data/deu3/*.tsv
# Games: every .efg of the tests, and the reproducers.
for t in efg_parse efg_solve; do
  add $t $(find tests/data/crisis -name '*.efg') $R/*.efg
done
for d in "$C"/*/; do echo "$(basename "$d"): $(ls "$d" | wc -l) seeds"; done
