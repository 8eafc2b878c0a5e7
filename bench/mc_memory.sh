#!/usr/bin/env bash
# Wall time and peak memory (maximum resident set size, from GNU time's -v) of the Monte Carlo run
# on the built-in scenario with the models compromise, median, nash and eu, for 10,000, 100,000
# and 1,000,000 draws:
#     target/release/brink run --draws N -m compromise -m median -m nash -m eu -q
# The claim checked: memory stays flat as the number of draws grows (the draws are folded into
# fixed-size aggregates wave by wave; nothing per draw is kept).
#
# Usage (from the repository root): bench/mc_memory.sh [N ...]   (default: 10000 100000 1000000)
# Builds the release binary first. Needs /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p brink-cli
BIN=target/release/brink
DRAWS=("$@")
[ ${#DRAWS[@]} -eq 0 ] && DRAWS=(10000 100000 1000000)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%10s %10s %14s %12s %10s\n' draws wall_s draws_per_s peak_rss_MB exit
for n in "${DRAWS[@]}"; do
  log=$(mktemp)
  set +e
  /usr/bin/time -v "$BIN" run --draws "$n" -m compromise -m median -m nash -m eu -q >/dev/null 2>"$log"
  rc=$?
  set -e
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  # h:mm:ss or m:ss.ss -> seconds
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss_kb=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  printf '%10d %10.2f %14.0f %12.1f %10d\n' "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)" "$rc"
  rm -f "$log"
done
