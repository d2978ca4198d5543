#!/usr/bin/env bash
# What a whole `analyze` costs once the JIT has compiled it, against grep: bench/AnalyzeSteady.java
# runs `analyze --stages S --format F LOG` ROUNDS times in one JVM, for S = explain (all), model and
# parse in turn, its output to a file, and reports the first and the best pass of each with its
# ratio to `grep -c ' = ' LOG > FILE` timed just before. The first pass of explain runs cold (the
# JIT's warm-up, less the JVM's start); the later stages' first passes run on code explain compiled.
# The best pass is the per-line cost alone, which no JVM option or warm-up trick can go below.
# bench/compare.sh times whole processes; this one splits their time into warm-up and the rest.
#
# Usage: bench/analyze-steady.sh                        (bench/out/heavy.log, ROUNDS=4, jsonl text)
#        LOG=bench/out/big.log ROUNDS=6 FORMATS=jsonl bench/analyze-steady.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-4}"
FORMATS="${FORMATS:-jsonl text}"
# shellcheck source=bench/measure.sh
source "$here/bench/measure.sh"
bench_log heavy.log make-heavy-log.sh
bench_work steady
"$here/bin/memtrace" --version >/dev/null   # build the jar first
lines=$(wc -l < "$log")
echo "log: $log, $lines lines; $MEMTRACE_JAVA_OPTS; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
greps=()
for _ in 1 2 3; do
  measure grep -c ' = ' "$log" > "$work/grep"
  greps+=("$wall")
done
grep_wall=$(printf '%s\n' "${greps[@]}" | sort -n | sed -n 2p)
echo "grep -c ' = ' to a file: $grep_wall s (median of 3)"
for f in $FORMATS; do
  # the launcher's collector and compiler options, so the compiled code is the one analyze runs
  # shellcheck disable=SC2086
  java -XX:+UseSerialGC $MEMTRACE_JAVA_OPTS -XX:InlineSmallCode=500 -XX:FreqInlineSize=100 \
    -XX:CompileCommand=quiet \
    -XX:CompileCommand=dontinline,com.fasterxml.jackson.core.json.UTF8JsonGenerator::* \
    -cp "$here/target/memtrace.jar" "$here/bench/AnalyzeSteady.java" \
    "$log" "$ROUNDS" "$work/output" "$f" explain model parse | tee "$work/passes"
  awk -v g="$grep_wall" -v n="$lines" '$1 == "RESULT" {
    printf "%-5s %-7s first pass %6.3f s (%4.1f x grep), best %6.3f s (%4.1f x grep, %d lines/s)\n",
      $2, $3, $5, $5 / g, $7, $7 / g, n / $7 }' "$work/passes"
done
