#!/usr/bin/env bash
# Makes bench/out/heavy.log: `strace -f -tt -T` of a memory-heavy shell loop (the kind of log
# memtrace exists for: about 1,000 mmaps per 14,000 lines), `ls -la /usr/lib/x86_64-linux-gnu`,
# `sort /etc/services | uniq` and `python3 -c 'import json,re'`, until it has MIN_LINES lines
# (default 1,200,000). The loop stops at the end of the round in which a watcher outside the
# trace sees the log reach MIN_LINES (the watcher counts the lines every few seconds; the loop
# itself only tests for a stop file, so nothing but the three commands is traced).
# A log already long enough is kept. Needs strace and python3.
#
# Usage: bench/make-heavy-log.sh [LOG]       (MIN_LINES=1200000)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
log="${1:-$here/bench/out/heavy.log}"
MIN_LINES="${MIN_LINES:-1200000}"
mkdir -p "$(dirname "$log")"
command -v strace >/dev/null || { echo "bench: strace is not installed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is not installed" >&2; exit 1; }
if [[ -s "$log" && $(wc -l < "$log") -ge $MIN_LINES ]]; then
  echo "bench: $log has $(wc -l < "$log") lines already" >&2
  exit 0
fi
lib=/usr/lib/x86_64-linux-gnu
[[ -d "$lib" ]] || lib=/usr/lib
stop="$(mktemp -u)"
rm -f "$log"
echo "bench: tracing ls -la $lib; sort /etc/services | uniq; python3 -c 'import json,re' until $log has $MIN_LINES lines..." >&2
strace -f -tt -T -o "$log" bash -c "
  while [[ ! -e $stop ]]; do
    ls -la $lib > /dev/null
    sort /etc/services | uniq > /dev/null
    python3 -c 'import json,re'
  done" &
tracer=$!
while kill -0 "$tracer" 2>/dev/null; do
  sleep 2
  if [[ -s "$log" && $(wc -l < "$log") -ge $MIN_LINES ]]; then
    : > "$stop"
    break
  fi
done
wait "$tracer"
rm -f "$stop"
echo "bench: $log: $(wc -l < "$log") lines, $(stat -c %s "$log") bytes, $(grep -c '^[0-9]* *[0-9:.]* mmap(' "$log") mmaps" >&2
