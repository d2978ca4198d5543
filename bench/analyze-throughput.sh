#!/usr/bin/env bash
# Throughput and memory of `memtrace analyze` on a large real strace log.
#
# Makes bench/out/big.log (once) with `strace -f -tt -T` of a real workload: a shell loop of
# ls/cat/sh/python3-free coreutils, until it has more than MIN_LINES lines. Then, for each format,
# runs analyze RUNS times and reports lines/s (best and median) and peak RSS (GNU time), with the
# heap ceiling given in MEMTRACE_JAVA_OPTS (default -Xmx256m). With BIG=1 it also builds a ~1 GB
# log by concatenating copies and reports its peak RSS under the same ceiling.
#
# Usage: bench/analyze-throughput.sh            (MIN_LINES=1200000 RUNS=5 FORMATS="jsonl text")
# The load average is printed first: on a shared machine, wall-clock lines/s mostly measure the
# other processes; the CPU seconds per run (user+sys, both threads and the JIT) are steadier.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/bench/out"
mkdir -p "$out"
MIN_LINES="${MIN_LINES:-1200000}"
RUNS="${RUNS:-5}"
FORMATS="${FORMATS:-jsonl text}"
export MEMTRACE_JAVA_OPTS="${MEMTRACE_JAVA_OPTS:--Xmx256m}"
log="$out/big.log"
command -v strace >/dev/null || { echo "bench: strace is not installed" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: GNU time (/usr/bin/time) is needed: apt-get install -y time" >&2; exit 1; }

if [[ ! -s "$log" || $(wc -l < "$log") -lt $MIN_LINES ]]; then
  echo "bench: tracing a shell loop of ls/cat/wc/sort until the log has $MIN_LINES lines..." >&2
  work="$(mktemp -d)"
  seq 1 2000 > "$work/numbers.txt"
  rm -f "$log"
  while [[ ! -s "$log" || $(wc -l < "$log") -lt $MIN_LINES ]]; do
    strace -f -tt -T -A -o "$log" bash -c "
      for i in \$(seq 300); do
        ls -la /usr/bin > /dev/null
        cat /etc/os-release $work/numbers.txt > /dev/null
        sort -r $work/numbers.txt | wc -l > /dev/null
        sh -c 'echo hi' > /dev/null
      done"
  done
  rm -rf "$work"
fi
lines=$(wc -l < "$log")
bytes=$(stat -c %s "$log")
echo "log: $log, $lines lines, $bytes bytes; load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
"$here/bin/memtrace" --version >/dev/null   # build the jar first, outside the timings

for fmt in $FORMATS; do
  rates=()
  cpus=()
  rss=0
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    /usr/bin/time -f "%M %U %S" -o "$out/time.txt" "$here/bin/memtrace" analyze --format "$fmt" "$log" > /dev/null 2> "$out/stderr.txt" || true
    end=$(date +%s.%N)
    rates+=("$(echo "$lines / ($end - $start)" | bc -l | cut -d. -f1)")
    read -r r u s < <(tail -1 "$out/time.txt")
    (( r > rss )) && rss=$r
    cpus+=("$(echo "$u + $s" | bc -l)")
  done
  sorted=$(printf '%s\n' "${rates[@]}" | sort -n)
  best=$(echo "$sorted" | tail -1)
  median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "analyze --format $fmt: best $best lines/s, median $median lines/s (runs: ${rates[*]}), CPU s per run: ${cpus[*]}, peak RSS $((rss / 1024)) MiB ($MEMTRACE_JAVA_OPTS, JVM start included)"
done

if [[ "${BIG:-0}" == 1 ]]; then
  big="$out/huge.log"
  if [[ ! -s "$big" ]]; then
    copies=$(( 1073741824 / bytes + 1 ))
    for _ in $(seq "$copies"); do cat "$log"; done > "$big"
  fi
  hl=$(wc -l < "$big")
  start=$(date +%s.%N)
  /usr/bin/time -f %M -o "$out/time.txt" "$here/bin/memtrace" analyze --format jsonl "$big" > /dev/null 2> "$out/stderr.txt" || true
  end=$(date +%s.%N)
  echo "1 GB log: $(stat -c %s "$big") bytes, $hl lines, $(echo "$hl / ($end - $start)" | bc -l | cut -d. -f1) lines/s, peak RSS $(( $(tail -1 "$out/time.txt") / 1024 )) MiB ($MEMTRACE_JAVA_OPTS)"
fi
