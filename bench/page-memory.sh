#!/usr/bin/env bash
# Peak memory of `memtrace analyze --format html` and `--format perfetto` on a 10 MB and a 1 GB
# log under the same heap ceiling (MEMTRACE_JAVA_OPTS, default -Xmx256m): whether the pages stream.
#
# The 10 MB log is the first lines of LOG (default bench/out/heavy.log, bench/make-heavy-log.sh);
# the 1 GB log is copies of LOG one after the other (each copy a whole trace: its processes start
# and exit again). Both, and every output, are deleted at the end. Prints, per candidate, log and
# format: the exit status, wall and CPU seconds, peak RSS (GNU time) and the size of the output.
#
# Usage: bench/page-memory.sh [CANDIDATE...]     (a launcher or a jar, as for bench/compare.sh)
#        SIZES=10 FORMATS=perfetto bench/page-memory.sh /work/baseline/memtrace.jar target/memtrace.jar
# Environment: LOG, SIZES ("10 1024", in MB), FORMATS ("html perfetto"), MEMTRACE_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/bench/out"
log="${LOG:-$out/heavy.log}"
SIZES="${SIZES:-10 1024}"
FORMATS="${FORMATS:-html perfetto}"
export MEMTRACE_JAVA_OPTS="${MEMTRACE_JAVA_OPTS:--Xmx256m}"
[[ -x /usr/bin/time ]] || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 1; }
[[ -s "$log" ]] || { echo "bench: $log is missing; make it with bench/make-heavy-log.sh" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d "$out/page-memory.XXXXXX")"
trap 'rm -rf "$work"' EXIT
(( $# > 0 )) || set -- "$here/bin/memtrace"
# shellcheck source=bench/candidates.sh
source "$here/bench/candidates.sh"
echo "MEMTRACE_JAVA_OPTS=$MEMTRACE_JAVA_OPTS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-10s %-9s %6s %9s %7s %9s %12s\n' cand log format status "wall s" "CPU s" "RSS MiB" "output MB"
for mb in $SIZES; do
  sized="$work/log-${mb}MB.log"
  want=$((mb * 1024 * 1024))
  if (( want <= $(stat -L -c %s "$log") )); then
    head -c "$want" "$log" | sed '$d' > "$sized"   # whole lines only
  else
    while (( $(stat -c %s "$sized" 2>/dev/null || echo 0) < want )); do cat "$log" >> "$sized"; done
  fi
  for f in $FORMATS; do
    for i in "${!launchers[@]}"; do
      status=0 start=$(date +%s%N)
      /usr/bin/time -f "%U %S %M" -o "$work/time" "${launchers[$i]}" analyze --format "$f" \
        -o "$work/page" "$sized" 2> "$work/stderr" || status=$?
      end=$(date +%s%N)
      read -r u s rss < <(tail -1 "$work/time")
      printf '%-6s %-10s %-9s %6s %9.1f %7.1f %9d %12.1f\n' "${names[$i]}" \
        "${mb}MB($(wc -l < "$sized")l)" "$f" "$status" "$(echo "($end - $start) / 1000000000" | bc -l)" \
        "$(echo "$u + $s" | bc -l)" $((rss / 1024)) \
        "$(echo "$(stat -c %s "$work/page" 2>/dev/null || echo 0) / 1048576" | bc -l)"
      (( status == 0 )) || echo "  stderr: $(head -c 300 "$work/stderr")"
      rm -f "$work/page"
    done
  done
  rm -f "$sized"
done
