#!/usr/bin/env bash
# How much of the kernel's address space `memtrace maps` replays from a log alone: traces
# programs that are not in the corpus with /proc/PID/maps snapshots as the truth
# (bench/capture-maps.py), then replays each log without its snapshots, reading the ELF headers
# of the files it names, and counts the kernel's regions the model shows (start, end, perms,
# offset, file) and the regions it shows that the kernel does not. [stack], [vdso], [vvar],
# [vvar_vclock] and [vsyscall] are left out: no call in a trace says where they are.
#
# Usage: bench/replay-maps.sh [OUT_DIR]        (default bench/out/replay-maps)
#        MISSES=5 bench/replay-maps.sh         (also print the first regions that differ)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/bench/out/replay-maps}"
mkdir -p "$out"
cd "$out"
cat > thr.c <<'C'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
static void *work(void *a) { void *p = malloc(200000); free(p); return a; }
int main(void) {
  pthread_t t[3];
  for (int i = 0; i < 3; i++) pthread_create(&t[i], 0, work, 0);
  for (int i = 0; i < 3; i++) pthread_join(t[i], 0);
  puts("done");
  return 0;
}
C
gcc -O0 -pthread -o thr thr.c
echo 'int main(void){return 0;}' > hello.c
seq 1 20000 > nums.txt
cap="$here/bench/capture-maps.py"
"$cap" ls -- ls -la /usr/lib
"$cap" cat -- cat nums.txt
"$cap" python3 -- python3 -c 'import json,re'
"$cap" perl -- perl -e 'print 1+1'
"$cap" gcc -- gcc -o hello hello.c
"$cap" targz -- sh -c "tar cf - -C '$here' src/main | gzip > '$out/src.tgz'"
"$cap" thr -- ./thr
if command -v node >/dev/null; then "$cap" node -- node -e 'let a=[];for(let i=0;i<1e5;i++)a.push({i})'; fi
"$here/bin/memtrace" --version >/dev/null   # builds target/memtrace.jar
(cd "$here" && mvn -o -q -B test-compile)
names=(ls cat python3 perl gcc targz thr)
[[ -s node.log ]] && names+=(node)
java -cp "$here/target/classes:$here/target/memtrace.jar:$here/target/test-classes" \
  -Dmisses="${MISSES:-0}" dev.memtrace.correlate.AddressSpaceCheck "${names[@]}"
