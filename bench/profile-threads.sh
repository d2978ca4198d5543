#!/usr/bin/env bash
# Where the CPU seconds of one `memtrace analyze` go, thread by thread: the parsing thread, the
# model-and-explain thread, the rendering (main) thread, and the JVM's own threads, the JIT
# compilers and the collector, which JFR's execution samples leave out. Samples with async-profiler
# (fetched once from Maven Central, tools.profiler:async-profiler, into bench/out/async-profiler),
# then prints each thread's share of the samples and, for memtrace's threads, the methods the
# samples were in (self) and under (inclusive).
#
# Usage: bench/profile-threads.sh [FORMAT]          (jsonl, the default, or text, html, perfetto)
#        LOG=bench/out/big.log TOP=25 bench/profile-threads.sh text
# Environment: LOG (default bench/out/heavy.log), EVENT (cpu: perf events; itimer where the kernel
#              refuses them), INTERVAL (200us), TOP (15 methods a thread), MEMTRACE_JAVA_OPTS
#              (-Xmx256m; the profiler is added to it).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
format="${1:-jsonl}"
EVENT="${EVENT:-cpu}"
INTERVAL="${INTERVAL:-200us}"
TOP="${TOP:-15}"
# shellcheck source=bench/measure.sh
source "$here/bench/measure.sh"
bench_log heavy.log make-heavy-log.sh
bench_work profile

version=3.0
lib="$out/async-profiler/linux-x64/libasyncProfiler.so"
if [[ ! -f "$lib" ]]; then
  jar="$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar"
  if [[ ! -f "$jar" ]]; then
    echo "bench: fetching async-profiler $version from Maven Central..." >&2
    mvn -q -B dependency:get -Dartifact="tools.profiler:async-profiler:$version" >&2
  fi
  unzip -o -q "$jar" 'linux-x64/*' -d "$out/async-profiler"
fi

echo "log: $log, $(wc -l < "$log") lines; analyze --format $format; event $EVENT every $INTERVAL"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
agent="-agentpath:$lib=start,event=$EVENT,interval=$INTERVAL,threads,collapsed,file=$work/samples.txt"
MEMTRACE_JAVA_OPTS="$MEMTRACE_JAVA_OPTS $agent" measure \
  "$here/bin/memtrace" analyze --format "$format" "$log" > "$work/out" 2> "$work/err"
echo "analyze: exit $status, $wall s wall, $cpu CPU s, peak RSS $((rss_kib / 1024)) MiB"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ -s "$work/samples.txt" ]] || { echo "bench: no samples; the profiler said:" >&2; cat "$work/err" >&2; exit 1; }

python3 - "$work/samples.txt" "$TOP" <<'EOF'
import collections, re, sys

path, top = sys.argv[1], int(sys.argv[2])
threads = collections.Counter()
own = collections.defaultdict(collections.Counter)
under = collections.defaultdict(collections.Counter)
total = 0
for row in open(path):
    stack, n = row.rsplit(" ", 1)
    n = int(n)
    frames = stack.split(";")
    # "[memtrace-parse tid=123]" -> "memtrace-parse"; the JIT's two threads by their compiler
    name = re.sub(r" tid=\d+\]$", "", frames[0]).lstrip("[")
    name = re.sub(r"^(C[12]) CompilerThre.*", r"\1 compiler (JIT)", name)
    total += n
    threads[name] += n
    if name.startswith("memtrace") or name == "main":
        own[name][frames[-1]] += n
        for f in set(frames[1:]):
            if f.startswith("dev/memtrace/"):
                under[name][f] += n

print(f"\n{total} samples")
for name, n in threads.most_common():
    if n * 200 >= total:
        print(f"{100 * n / total:5.1f} %  {name}")
for name in sorted(own, key=lambda t: -threads[t]):
    print(f"\n{name}: {threads[name]} samples; self")
    for f, n in own[name].most_common(top):
        print(f"{100 * n / threads[name]:5.1f} %  {f}")
    print(f"{name}: inclusive, memtrace's methods")
    for f, n in under[name].most_common(top):
        print(f"{100 * n / threads[name]:5.1f} %  {f}")
EOF
