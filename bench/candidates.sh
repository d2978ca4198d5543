# Sourced by the bench scripts: turns the arguments ("$@") into runnable launchers.
# A candidate is a launcher (bin/memtrace of a checkout), or a jar: a jar runs through a copy of a
# launcher (LAUNCHER, default this checkout's bin/memtrace) beside a copy of the jar, so it gets
# the launcher's JVM options and class data sharing archive; JAR,LAUNCHER names both.
# Needs $here (the checkout) and $work (a scratch folder); sets launchers=() and names=(c1 c2 ...).
launchers=() names=()
n=0
for c in "$@"; do
  n=$((n + 1))
  jar="${c%%,*}"
  launcher="${LAUNCHER:-$here/bin/memtrace}"
  [[ "$c" == *,* ]] && launcher="${c#*,}"
  if [[ "$jar" == *.jar ]]; then
    [[ -f "$jar" ]] || { echo "bench: no jar $jar" >&2; exit 1; }
    [[ -f "$launcher" ]] || { echo "bench: no launcher $launcher" >&2; exit 1; }
    d="$work/c$n"
    mkdir -p "$d/bin" "$d/target" "$d/samples/01-cat-buffer"
    cp "$launcher" "$d/bin/memtrace"
    cp "$jar" "$d/target/memtrace.jar"
    cp "$here/samples/01-cat-buffer/trace.log" "$d/samples/01-cat-buffer/"
    launchers+=("$d/bin/memtrace")
  else
    [[ -x "$jar" ]] || { echo "bench: $jar is neither a jar nor an executable launcher" >&2; exit 1; }
    launchers+=("$jar")
  fi
  names+=("c$n")
  echo "c$n: $c"
done
for l in "${launchers[@]}"; do
  "$l" --version > /dev/null   # builds the jar or the archive, outside the timings
done
