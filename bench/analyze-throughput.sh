#!/usr/bin/env bash
# Throughput and memory of `memtrace analyze` on large real strace logs.
#
# Makes bench/out/big.log (once) with `strace -f -tt -T` of a real workload: a shell loop of
# ls/cat/sort/wc/sh, with enough rounds for more than MIN_LINES lines. Then, for each format,
# runs analyze RUNS times and reports lines/s (best and median) and peak RSS (GNU time), with the
# heap ceiling given in MEMTRACE_JAVA_OPTS (default -Xmx256m).
# With LONG=1 it also measures bench/out/long.log, a longer trace of the same loop (LONG_LINES,
# default 8,000,000 lines, about 1.3 GB; tracing it takes about 15 minutes here), and the rate of
# the lines beyond big.log's count, on which the JVM's start-up and warm-up no longer weigh. With BIG=1 it builds a ~1 GB log the same way and reports its peak RSS under the
# same ceiling.
#
# Usage: bench/analyze-throughput.sh            (MIN_LINES=1200000 RUNS=5 FORMATS="jsonl text")
#        LONG=1 FORMATS=jsonl RUNS=3 bench/analyze-throughput.sh
# The load average is printed first: on a shared machine, wall-clock lines/s mostly measure the
# other processes; the CPU seconds per run (user+sys, both threads and the JIT) are steadier.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/bench/out"
mkdir -p "$out"
MIN_LINES="${MIN_LINES:-1200000}"
LONG_LINES="${LONG_LINES:-8000000}"
RUNS="${RUNS:-5}"
FORMATS="${FORMATS:-jsonl text}"
export MEMTRACE_JAVA_OPTS="${MEMTRACE_JAVA_OPTS:--Xmx256m}"
command -v strace >/dev/null || { echo "bench: strace is not installed" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: GNU time (/usr/bin/time) is needed: apt-get install -y time" >&2; exit 1; }

# make_log FILE LINES: one strace run of the loop, with about 4,500 lines per round (300 rounds
# gave 1,357,008 lines), retried with more rounds until the log is long enough.
make_log() {
  local log=$1 want=$2 rounds=$(( $2 / 4000 + 1 ))
  [[ -s "$log" && $(wc -l < "$log") -ge $want ]] && return
  echo "bench: tracing a shell loop of ls/cat/wc/sort ($rounds rounds) until the log has $want lines..." >&2
  local work
  work="$(mktemp -d)"
  seq 1 2000 > "$work/numbers.txt"
  rm -f "$log"
  while [[ ! -s "$log" || $(wc -l < "$log") -lt $want ]]; do
    strace -f -tt -T -A -o "$log" bash -c "
      for i in \$(seq $rounds); do
        ls -la /usr/bin > /dev/null
        cat /etc/os-release $work/numbers.txt > /dev/null
        sort -r $work/numbers.txt | wc -l > /dev/null
        sh -c 'echo hi' > /dev/null
      done"
    rounds=$(( rounds * 5 / 4 ))
  done
  rm -rf "$work"
}

# measure LOG FORMAT: RUNS runs; prints the figures and leaves the best wall time in $best_s
measure() {
  local log=$1 fmt=$2 lines rates=() cpus=() walls=() rss=0
  lines=$(wc -l < "$log")
  for _ in $(seq "$RUNS"); do
    local start end w r u s
    start=$(date +%s.%N)
    /usr/bin/time -f "%M %U %S" -o "$out/time.txt" "$here/bin/memtrace" analyze --format "$fmt" "$log" > /dev/null 2> "$out/stderr.txt" || true
    end=$(date +%s.%N)
    w=$(echo "$end - $start" | bc -l)
    walls+=("$w")
    rates+=("$(echo "$lines / $w" | bc -l | cut -d. -f1)")
    read -r r u s < <(tail -1 "$out/time.txt")
    (( r > rss )) && rss=$r
    cpus+=("$(echo "$u + $s" | bc -l)")
  done
  local sorted best median
  sorted=$(printf '%s\n' "${rates[@]}" | sort -n)
  best=$(echo "$sorted" | tail -1)
  median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  best_s=$(printf '%s\n' "${walls[@]}" | sort -n | head -1)
  echo "$(basename "$log") ($lines lines), analyze --format $fmt: best $best lines/s, median $median lines/s (runs: ${rates[*]}), CPU s per run: ${cpus[*]}, peak RSS $((rss / 1024)) MiB ($MEMTRACE_JAVA_OPTS, JVM start included)"
}

log="$out/big.log"
make_log "$log" "$MIN_LINES"
if [[ "${LONG:-0}" == 1 ]]; then
  make_log "$out/long.log" "$LONG_LINES"
fi
echo "log: $log, $(wc -l < "$log") lines, $(stat -c %s "$log") bytes; load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
"$here/bin/memtrace" --version >/dev/null   # build the jar first, outside the timings

for fmt in $FORMATS; do
  measure "$log" "$fmt"
  if [[ "${LONG:-0}" == 1 ]]; then
    short_s=$best_s
    measure "$out/long.log" "$fmt"
    extra=$(( $(wc -l < "$out/long.log") - $(wc -l < "$log") ))
    echo "  beyond the first $(wc -l < "$log") lines (best runs): $(echo "$extra / ($best_s - $short_s)" | bc -l | cut -d. -f1) lines/s"
  fi
done

if [[ "${BIG:-0}" == 1 ]]; then
  big="$out/huge.log"
  if [[ ! -s "$big" ]]; then
    copies=$(( 1073741824 / $(stat -c %s "$log") + 1 ))
    for _ in $(seq "$copies"); do cat "$log"; done > "$big"
  fi
  hl=$(wc -l < "$big")
  start=$(date +%s.%N)
  /usr/bin/time -f %M -o "$out/time.txt" "$here/bin/memtrace" analyze --format jsonl "$big" > /dev/null 2> "$out/stderr.txt" || true
  end=$(date +%s.%N)
  echo "1 GB log: $(stat -c %s "$big") bytes, $hl lines, $(echo "$hl / ($end - $start)" | bc -l | cut -d. -f1) lines/s, peak RSS $(( $(tail -1 "$out/time.txt") / 1024 )) MiB ($MEMTRACE_JAVA_OPTS)"
fi
