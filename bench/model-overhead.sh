#!/usr/bin/env bash
# What the model stage costs: `memtrace analyze` with parsing only (--stages parse, a hidden
# benchmark switch) against parsing plus the model (the default), on the same large log as
# bench/analyze-throughput.sh (bench/out/big.log, made by that script).
# Reports the best and median wall time of RUNS runs each (interleaved, so that a change of load
# hits both alike), and the overhead of the model.
#
# Usage: bench/model-overhead.sh                         (RUNS=5 FORMAT=jsonl)
#        LOG=bench/out/long.log bench/model-overhead.sh  (the 8M-line log of LONG=1 analyze-throughput.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-5}"
FORMAT="${FORMAT:-jsonl}"
# shellcheck source=bench/measure.sh
source "$here/bench/measure.sh"
bench_log big.log analyze-throughput.sh
bench_work model-overhead
lines=$(wc -l < "$log")
echo "log: $log, $lines lines"
"$here/bin/memtrace" --version >/dev/null   # build the jar first, outside the timings

# Wall time swings on a shared box; CPU time (user + system, all threads) is the steadier
# measure of the work each variant does, so the overhead is given on both.
# one run of analyze --stages $1: "wall cpu"
run() {
  measure "$here/bin/memtrace" analyze --stages "$1" --format "$FORMAT" "$log" > /dev/null 2>&1
  echo "$wall $cpu"
}

# best and median of a list of numbers: "best median"
stats() {
  printf '%s\n' "$@" | sort -n | awk -v n="$#" '{t[NR]=$1} END {printf "%.3f %.3f", t[1], t[int((n+1)/2)]}'
}

pws=() pcs=() mws=() mcs=()
for _ in $(seq "$RUNS"); do
  read -r w c <<< "$(run parse)"; pws+=("$w"); pcs+=("$c")
  read -r w c <<< "$(run model)"; mws+=("$w"); mcs+=("$c")
done

pct() { echo "($2 / $1 - 1) * 100" | bc -l | xargs printf '%.1f'; }

read -r pw pwm <<< "$(stats "${pws[@]}")"
read -r pc pcm <<< "$(stats "${pcs[@]}")"
read -r mw mwm <<< "$(stats "${mws[@]}")"
read -r mc mcm <<< "$(stats "${mcs[@]}")"
echo "parse only:    wall best ${pw}s median ${pwm}s ($(echo "$lines / $pw" | bc) lines/s); CPU best ${pc}s median ${pcm}s"
echo "parse + model: wall best ${mw}s median ${mwm}s ($(echo "$lines / $mw" | bc) lines/s); CPU best ${mc}s median ${mcm}s"
echo "model overhead: wall best $(pct "$pw" "$mw")% median $(pct "$pwm" "$mwm")%;" \
  "CPU best $(pct "$pc" "$mc")% median $(pct "$pcm" "$mcm")% (limit: 20%)"
