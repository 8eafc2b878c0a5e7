#!/usr/bin/env bash
# CPU time, peak memory and output size of brink on pathological inputs, side by side with another
# build (e.g. one of an earlier commit) when given:
#   - `brink check` on generated scenarios of N actors x 50 issues (N x 50 stances): validation
#     should grow about linearly in the stances (the duplicate-stance check was quadratic);
#   - `brink check` on the same with every stance's actor unknown: the error list stays short;
#   - `brink solve` on tie chains of N decision nodes (tests/data/fuzz-repro/gen_tie_chain.py):
#     memory should grow with N only, not with 1,000 x N;
#   - `brink solve` on the 2^20-profile private-information game: refused at once.
#
# Usage (from anywhere): bench/pathological.sh [OTHER_BRINK_BINARY]
# Builds the release binary first. Needs python3 and /usr/bin/time (GNU time). Each command is
# stopped after 600 s (exit 124).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p brink-cli
BINS=(target/release/brink)
[ $# -gt 0 ] && BINS+=("$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { # gen N BAD: a scenario of N actors x 50 issues (BAD=1: every stance names an unknown actor)
  python3 - "$1" "$2" <<'PY'
import sys
na, bad = int(sys.argv[1]), sys.argv[2] == "1"
ni = 50
w = sys.stdout.write
w('brink = 1\n[scenario]\nid = "big"\ntitle = "Big"\nas_of = 2021-12-28\nquestion = "q"\n')
for a in range(na):
    w(f'\n[[actors]]\nid = "a{a}"\nname = "A{a}"\npower = 1\n')
for i in range(ni):
    w(f'\n[[issues]]\nid = "i{i}"\nname = "I{i}"\nscale = {{ min = 0, max = 100 }}\n'
      'points = [{ at = 0, label = "lo" }, { at = 100, label = "hi" }]\n')
for a in range(na):
    for i in range(ni):
        who = f"zz{a}" if bad else f"a{a}"
        w(f'\n[[stances]]\nactor = "{who}"\nissue = "i{i}"\nposition = {(a + i) % 101}\n'
          'salience = 0.5\nassumed = "r"\n')
PY
}
measure() { # measure LABEL CMD...: one row per binary
  local label=$1; shift
  for b in "${BINS[@]}"; do
    local log out rc
    log=$(mktemp); out=$(mktemp)
    set +e
    /usr/bin/time -f '%U %S %M' -o "$log" timeout 600 "$b" "$@" >"$out" 2>&1
    rc=$?
    set -e
    read -r u s m <"$log"
    printf '%-34s %-28s %9.2f %10.1f %12d %5d\n' "$label" "$(basename "$(dirname "$(dirname "$b")")")/$(basename "$b")" \
      "$(echo "$u + $s" | bc -l)" "$(echo "$m / 1024" | bc -l)" "$(wc -c <"$out")" "$rc"
    rm -f "$log" "$out"
  done
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-34s %-28s %9s %10s %12s %5s\n' input binary cpu_s peak_MB output_bytes exit
for n in 500 1000 2000 5000; do
  gen "$n" 0 >"$tmp/ok-$n.toml"
  measure "check ${n}x50 stances" check "$tmp/ok-$n.toml"
done
for n in 1000 5000; do
  gen "$n" 1 >"$tmp/bad-$n.toml"
  measure "check ${n}x50, all actors unknown" check "$tmp/bad-$n.toml"
done
for n in 500 1000 2000; do
  python3 tests/data/fuzz-repro/gen_tie_chain.py "$n" >"$tmp/chain-$n.efg"
  measure "solve tie chain of $n nodes" solve "$tmp/chain-$n.efg"
done
measure "solve 07-pbe20 (2^20 profiles)" solve tests/data/fuzz-repro/07-pbe20-1.6KB-110s.efg
