#!/usr/bin/env bash
# What a live run costs the traced program.
#
# 1. Without snapshots: wall time of `memtrace run --no-snapshots -o /dev/null -- W` against
#    `strace -o /dev/null W` with the very strace options memtrace uses (taken from a recording
#    header), on a syscall-heavy workload W (a shell loop running ls and cat). The target is a
#    ratio of at most 1.2.
# 2. With snapshots: the extra time per memory syscall, (t_snapshots - t_nosnapshots) / calls,
#    for the default hold (--delay) and, with DELAYS="...", for others; and how long after the
#    line arrived memtrace had read /proc/PID/maps (median, p99, max over all snapshots), which is
#    what the hold has to cover.
#
# Usage: bench/live-cost.sh        (LOOPS=40 RUNS=5 DELAYS="2000")
# Prints one line per figure; the median of RUNS runs is reported.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/bench/out"
mkdir -p "$out"
LOOPS="${LOOPS:-40}"
RUNS="${RUNS:-5}"
DELAYS="${DELAYS:-2000}"
command -v strace >/dev/null || { echo "bench: strace is not installed" >&2; exit 1; }
memtrace="$here/bin/memtrace"
"$memtrace" --version >/dev/null   # build the jar first, outside the timings

W=(bash -c "for i in \$(seq $LOOPS); do ls -la /usr/bin /usr/lib > /dev/null; cat /etc/os-release /etc/services > /dev/null; done")

# the strace options of a live run without snapshots, from the recording's header
"$memtrace" run --no-snapshots --save "$out/nosnap.mtrace" -o /dev/null -- true
mapfile -t opts < <(python3 -c '
import json, sys
argv = json.loads(open(sys.argv[1]).readline())["strace"]["argv"]
o = argv.index("-o")
print("\n".join(argv[1:o]))' "$out/nosnap.mtrace")

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
timed() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

# interleaved, so that a change in the machine's load hits every variant alike
: > "$out/t_plain"; : > "$out/t_strace"; : > "$out/t_mem"
for _ in $(seq "$RUNS"); do
  timed "${W[@]}" >> "$out/t_plain"
  timed strace "${opts[@]}" -o /dev/null "${W[@]}" >> "$out/t_strace"
  timed "$memtrace" run --no-snapshots -o /dev/null -- "${W[@]}" >> "$out/t_mem"
done
t_plain=$(median < "$out/t_plain")
t_strace=$(median < "$out/t_strace")
t_mem=$(median < "$out/t_mem")
lines=$(strace "${opts[@]}" -o "$out/w.log" "${W[@]}" >/dev/null 2>&1; wc -l < "$out/w.log")
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "workload: ${W[*]}"
echo "strace options: ${opts[*]}"
echo "log lines per run: $lines"
printf 'plain W:                                   %8.3f s\n' "$t_plain"
printf 'strace -o /dev/null W:                     %8.3f s   (runs: %s)\n' "$t_strace" "$(tr '\n' ' ' < "$out/t_strace")"
printf 'memtrace run --no-snapshots -o /dev/null:  %8.3f s   (runs: %s)\n' "$t_mem" "$(tr '\n' ' ' < "$out/t_mem")"
printf '  ratio to strace: %.3f (target <= 1.2)\n' "$(echo "$t_mem / $t_strace" | bc -l)"

for d in $DELAYS; do
  "$memtrace" run --delay "$d" --save "$out/snap.mtrace" -o /dev/null -- "${W[@]}" > /dev/null 2>&1 || true
  read -r calls med p99 max late racy < <(python3 -c '
import json, sys
m = []; late = racy = 0
for l in open(sys.argv[1]):
    if "\"type\":\"snapshot\"" in l:
        o = json.loads(l)
        if o["kind"] == "after-call":
            m.append(o["micros"]); late += o["micros"] > o["delayMicros"]; racy += o["threads"] > 1
m.sort()
print(len(m), m[len(m)//2], m[min(len(m)-1, int(len(m)*0.99))], m[-1], late, racy)' "$out/snap.mtrace")
  : > "$out/t_snap"; : > "$out/t_nosnap"
  for _ in $(seq "$RUNS"); do
    timed "$memtrace" run --delay "$d" -o /dev/null -- "${W[@]}" >> "$out/t_snap"
    timed "$memtrace" run --no-snapshots -o /dev/null -- "${W[@]}" >> "$out/t_nosnap"
  done
  t_snap=$(median < "$out/t_snap")
  t_mem=$(median < "$out/t_nosnap")
  printf 'memtrace run --delay %-6s -o /dev/null:   %8.3f s   memory calls held: %d\n' "$d" "$t_snap" "$calls"
  printf '  cost per memory syscall: %.0f us (hold %d us)\n' \
    "$(echo "($t_snap - $t_mem) * 1000000 / $calls" | bc -l)" "$d"
  printf '  maps read after the line: median %d us, p99 %d us, max %d us; late (read after the hold): %d of %d\n' \
    "$med" "$p99" "$max" "$late" "$calls"
done
