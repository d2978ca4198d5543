# Sourced by the bench scripts that time whole `memtrace analyze` runs on a log (compare.sh,
# page-memory.sh, model-overhead.sh): where the log is, the JVM options, GNU time, a scratch
# folder, and one timed run.
#
# bench_log DEFAULT MAKER: sets out (bench/out) and log (LOG, default bench/out/DEFAULT), exports
# MEMTRACE_JAVA_OPTS (default -Xmx256m: the heap ceiling every figure is measured under), and stops
# when GNU time or the log is missing (MAKER: the script that makes it). Needs $here (the checkout).
bench_log() {
  out="$here/bench/out"
  log="${LOG:-$out/$1}"
  export MEMTRACE_JAVA_OPTS="${MEMTRACE_JAVA_OPTS:--Xmx256m}"
  [[ -x /usr/bin/time ]] || { echo "bench: GNU time (/usr/bin/time) is needed: apt-get install -y time" >&2; exit 1; }
  [[ -s "$log" ]] || { echo "bench: $log is missing; make it with bench/$2" >&2; exit 1; }
  mkdir -p "$out"
}

# bench_work NAME: sets work, a scratch folder under bench/out deleted when the script exits.
bench_work() {
  work="$(mktemp -d "$out/$1.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
}

# measure CMD...: one run of CMD under GNU time, its output where the caller sends measure's. Sets
# status (CMD's exit status), wall (seconds, from the clock: GNU time gives hundredths only), cpu
# (user + system seconds, every thread: the steadier figure on a shared machine) and rss_kib (peak).
measure() {
  local start end u s
  status=0
  start=$(date +%s%N)
  /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" || status=$?
  end=$(date +%s%N)
  # the last line: GNU time puts "Command exited with non-zero status N" before it
  read -r u s rss_kib < <(tail -1 "$work/time")
  wall=$(awk -v ns=$((end - start)) 'BEGIN {printf "%.4f", ns / 1e9}')
  cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')
}
