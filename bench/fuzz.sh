#!/usr/bin/env bash
# The long fuzz run: CASES seeded mutations of the corpus's logs, -ff sets and the recordings in
# src/test/resources/logs-extra/ through memtrace's CLI in one JVM (src/test/java/dev/memtrace/
# fuzz/Fuzzer.java; the build runs a few thousand of them in FuzzTest). Reports cases per second
# and each failure with its command; the input of a failing case is kept. Runs at the lowest
# priority. Exit status 1 when any rule broke.
#
# Usage: bench/fuzz.sh                       (CASES=40000 SEED=15 FIRST=0)
#        CASES=200 FIRST=1234 bench/fuzz.sh  (replay from case 1234)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
CASES="${CASES:-40000}"
SEED="${SEED:-15}"
FIRST="${FIRST:-0}"
"$here/bin/memtrace" --version >/dev/null   # builds target/memtrace.jar when sources are newer
(cd "$here" && mvn -o -q -B test-compile)
exec nice -n 19 java -Xmx512m -Dbasedir="$here" -cp "$here/target/memtrace.jar:$here/target/test-classes" \
  dev.memtrace.fuzz.Fuzzer "$CASES" "$SEED" "$FIRST"
