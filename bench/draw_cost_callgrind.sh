#!/usr/bin/env bash
# Instructions per Monte Carlo draw of each bargaining model, counted by valgrind's callgrind
# (repeatable on a loaded machine, unlike wall time): the models alone, inputs drawn beforehand
# (crates/montecarlo/examples/draw_cost.rs, function draw_cost::evaluate_all).
#
# Usage (from the repository root):
#     bench/draw_cost_callgrind.sh [--scenario FILE.toml] [--draws N] [MODEL ...]
# Default: the built-in scenario, 64 draws, every default model. Prints one line per model:
# model, instructions per draw (Ir / draws). Needs valgrind. DRAW_COST=PATH runs another build
# of the driver (e.g. one built from an earlier commit, for before/after counts).
set -euo pipefail
cd "$(dirname "$0")/.."
SCEN=()
DRAWS=64
MODELS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) SCEN=(--scenario "$2"); shift 2 ;;
    --draws) DRAWS="$2"; shift 2 ;;
    *) MODELS+=("$1"); shift ;;
  esac
done
[ ${#MODELS[@]} -eq 0 ] && MODELS=(compromise median nash eu smp exchange)
if [ -n "${DRAW_COST:-}" ]; then
  BIN="$DRAW_COST"
else
  cargo build --release -q -p brink-montecarlo --example draw_cost
  BIN=target/release/examples/draw_cost
fi
printf '%-12s %16s\n' model instructions_per_draw
for m in "${MODELS[@]}"; do
  out=$(mktemp -d)
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
    --toggle-collect='draw_cost::evaluate_all*' \
    "$BIN" "${SCEN[@]}" --draws "$DRAWS" -m "$m" >/dev/null 2>"$out/log"
  ir=$(grep -m1 '^summary:' "$out/cg" | awk '{print $2}')
  printf '%-12s %16.0f\n' "$m" "$(echo "$ir / $DRAWS" | bc -l)"
  rm -rf "$out"
done
