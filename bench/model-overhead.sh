#!/usr/bin/env bash
# What the model stage costs: `memtrace analyze` with parsing only (--stages parse, a hidden
# benchmark switch) against parsing plus the model (the default), on the same large log as
# bench/analyze-throughput.sh (bench/out/big.log, made by that script).
# Reports the best and median wall time of RUNS runs each, and the overhead of the model.
#
# Usage: bench/model-overhead.sh        (RUNS=5 FORMAT=jsonl MIN_LINES=1200000)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/bench/out"
log="$out/big.log"
RUNS="${RUNS:-5}"
FORMAT="${FORMAT:-jsonl}"
export MEMTRACE_JAVA_OPTS="${MEMTRACE_JAVA_OPTS:--Xmx256m}"
if [[ ! -s "$log" ]]; then
  echo "bench: $log is missing; make it with bench/analyze-throughput.sh first" >&2
  exit 1
fi
lines=$(wc -l < "$log")
echo "log: $log, $lines lines"
"$here/bin/memtrace" --version >/dev/null   # build the jar first, outside the timings

measure() {
  local stages=$1 times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$here/bin/memtrace" analyze --stages "$stages" --format "$FORMAT" "$log" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$RUNS" '{t[NR]=$1} END {printf "%.3f %.3f\n", t[1], t[int((n+1)/2)]}'
}

read -r pbest pmed <<< "$(measure parse)"
read -r mbest mmed <<< "$(measure model)"
echo "parse only:    best ${pbest}s, median ${pmed}s ($(echo "$lines / $pbest" | bc) lines/s)"
echo "parse + model: best ${mbest}s, median ${mmed}s ($(echo "$lines / $mbest" | bc) lines/s)"
echo "model overhead: best $(echo "($mbest / $pbest - 1) * 100" | bc -l | xargs printf '%.1f')%," \
  "median $(echo "($mmed / $pmed - 1) * 100" | bc -l | xargs printf '%.1f')% (limit: 20%)"
