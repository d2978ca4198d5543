#!/usr/bin/env bash
# What the model costs once the JIT has compiled it: bench/ModelSteady.java parses a log ROUNDS
# times, alternately alone and with the model stage, in one JVM and without rendering, and
# reports the best pass of each. bench/model-overhead.sh measures whole runs, whose difference
# is mostly the JIT compiling the model's code; this one measures the rest.
#
# Usage: bench/model-steady.sh                          (bench/out/big.log, ROUNDS=5)
#        LOG=bench/out/long.log ROUNDS=3 bench/model-steady.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
log="${LOG:-$here/bench/out/big.log}"
ROUNDS="${ROUNDS:-5}"
if [[ ! -s "$log" ]]; then
  echo "bench: $log is missing; make it with bench/analyze-throughput.sh first" >&2
  exit 1
fi
"$here/bin/memtrace" --version >/dev/null   # build the jar first
# the launcher's collector and inlining budgets, so the compiled code is the one analyze runs
exec java -XX:+UseSerialGC -Xmx512m -XX:InlineSmallCode=500 -XX:FreqInlineSize=100 \
  -cp "$here/target/memtrace.jar" "$here/bench/ModelSteady.java" "$log" "$ROUNDS"
