#!/usr/bin/env bash
# Interleaved before/after timing of `memtrace analyze` against `grep -c ' = '` on one log.
#
# Each round runs, in turn: `grep -c ' = ' LOG > FILE` (to a file: GNU grep stops at the first
# match when its output is /dev/null), then for every candidate `analyze --format jsonl LOG > FILE`
# and `analyze LOG > FILE` (text), whole process, under MEMTRACE_JAVA_OPTS (default -Xmx256m, passed
# the way bin/memtrace passes it). After ROUNDS rounds it prints, per run kind, the median wall
# time, the median CPU seconds (user + system, every thread: the steadier figure on a shared
# machine), lines/s, the ratio of the median wall time to grep's, and the peak RSS. Then the fixed
# start-up cost: analyze of a 1-line log, STARTS runs per candidate, interleaved.
#
# The rows copy.FORMAT time `dd if=OUTPUT bs=64k > FILE` of the first candidate's output in that
# format, once a round: what reading and writing those bytes through a user-space buffer costs on
# this machine with no work behind them, a floor under any analyze that writes them (printed with
# the output's size). Not cat: coreutils' cat copies a regular file to a regular file with
# copy_file_range, in the kernel.
#
# A candidate is a launcher (bin/memtrace of a checkout), or a jar: a jar runs through a copy of a
# launcher (LAUNCHER, default this checkout's bin/memtrace) beside a copy of the jar, so it gets
# the launcher's JVM options and class data sharing archive; JAR,LAUNCHER names both.
#
# Usage: bench/compare.sh [CANDIDATE...]         (default: this checkout's bin/memtrace)
#        bench/compare.sh /work/baseline/memtrace.jar target/memtrace.jar
#        LOG=bench/out/big.log ROUNDS=7 FORMATS=jsonl bench/compare.sh OLD.jar NEW.jar
# Environment: LOG (default bench/out/heavy.log, made by bench/make-heavy-log.sh), ROUNDS (5),
#              FORMATS ("jsonl text"), STARTS (5), MEMTRACE_JAVA_OPTS (-Xmx256m).
# Needs GNU time (/usr/bin/time).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-5}"
STARTS="${STARTS:-5}"
FORMATS="${FORMATS:-jsonl text}"
# shellcheck source=bench/measure.sh
source "$here/bench/measure.sh"
bench_log heavy.log make-heavy-log.sh
bench_work compare
(( $# > 0 )) || set -- "$here/bin/memtrace"

# shellcheck source=bench/candidates.sh
source "$here/bench/candidates.sh"
lines=$(wc -l < "$log")
echo "log: $log, $lines lines, $(stat -L -c %s "$log") bytes; MEMTRACE_JAVA_OPTS=$MEMTRACE_JAVA_OPTS; $(nproc) CPUs"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# timed KEY CMD...: one run, its output to a file; appends "wall cpu rss_kib status" to $work/KEY
timed() {
  local key=$1
  shift
  measure "$@" > "$work/output" 2> "$work/stderr"
  echo "$wall $cpu $rss_kib $status" >> "$work/$key"
  if (( status != 0 )); then
    echo "bench: $key exited with status $status: $(head -c 300 "$work/stderr")" >&2
  fi
}

for r in $(seq "$ROUNDS"); do
  timed grep grep -c ' = ' "$log"
  for i in "${!launchers[@]}"; do
    for f in $FORMATS; do
      timed "${names[$i]}.$f" "${launchers[$i]}" analyze --format "$f" "$log"
      if (( i == 0 )); then
        mv "$work/output" "$work/output.$f"
        timed "copy.$f" dd if="$work/output.$f" bs=64k status=none
      fi
    done
  done
  echo "round $r of $ROUNDS done; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
head -1 "$log" > "$work/one.log"
for _ in $(seq "$STARTS"); do
  for i in "${!launchers[@]}"; do
    timed "${names[$i]}.start" "${launchers[$i]}" analyze --format jsonl "$work/one.log"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# median COLUMN FILE
median() { awk -v c="$1" '{print $c}' "$2" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
grep_wall=$(median 1 "$work/grep")
ratio() { echo "if ($2 > 0) $1 / $2 else 0" | bc -l; }
printf '%-16s %9s %9s %12s %9s %9s  %s\n' run "wall s" "CPU s" "lines/s" "x grep" "RSS MiB" "walls"
row() {
  local key=$1 w c rss
  w=$(median 1 "$work/$key")
  c=$(median 2 "$work/$key")
  rss=$(awk '$3 > m {m = $3} END {printf "%d", m / 1024}' "$work/$key")
  printf '%-16s %9.3f %9.2f %12.0f %9.2f %9s  %s\n' "$key" "$w" "$c" \
    "$(ratio "$lines" "$w")" "$(ratio "$w" "$grep_wall")" "$rss" \
    "$(awk '{printf "%s%s", sep, $1; sep=" "}' "$work/$key")"
}
row grep
for f in $FORMATS; do
  row "copy.$f"
done
for name in "${names[@]}"; do
  for f in $FORMATS; do
    row "$name.$f"
  done
done
for f in $FORMATS; do
  echo "copy.$f: dd bs=64k of the $f output ($(stat -c %s "$work/output.$f") bytes) to a file"
done
for name in "${names[@]}"; do
  printf '%-16s %9.3f %9.2f %12s %9s %9s  %s\n' "$name.start" "$(median 1 "$work/$name.start")" \
    "$(median 2 "$work/$name.start")" - - \
    "$(awk '$3 > m {m = $3} END {printf "%d", m / 1024}' "$work/$name.start")" \
    "$(awk '{printf "%s%s", sep, $1; sep=" "}' "$work/$name.start")"
done
