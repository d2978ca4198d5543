package dev.memtrace.run;

import java.util.List;

/**
 * /proc/PID/maps as the kernel showed it at one point of the log.
 *
 * <p>{@link Kind#AFTER_CALL}: read while strace held task {@code pid} just after the memory call on
 * log line {@code line} ({@code delay_exit}); {@link Kind#EXIT}: read while the task was held
 * before {@code exit_group} ({@code delay_enter}), after line {@code line}; {@link Kind#ATTACH}:
 * read before strace attached with {@code -p} (line 0).
 *
 * <p>Only the calling thread is held. When the process had more than one thread ({@code threads >
 * 1}) another thread may already have changed the map: such a snapshot is {@link #racy()}. {@code
 * micros} is how long after the line's timestamp (taken by strace just before the hold) the read
 * finished; more than the hold ({@code delayMicros}) means the task may have run on, so the
 * snapshot is {@link #late()} and may show later changes.
 *
 * @param maps the file's text, or null when the task was already gone
 * @param tasks at attach, the tids /proc/PID/task listed (the process's threads, which strace -f
 *     attaches too and whose clones the trace will not show); else empty
 * @param exe at attach, the program /proc/PID/exe linked to (the process's mm->exe_file, as
 *     proc_exe_link resolves it), or null: what the trace, begun after its execve, cannot name
 */
public record MapsSnapshot(
    int line,
    int pid,
    Kind kind,
    String maps,
    int threads,
    long micros,
    int delayMicros,
    List<Integer> tasks,
    String exe)
    implements LiveItem {

  public MapsSnapshot {
    tasks = List.copyOf(tasks);
  }

  public MapsSnapshot(
      int line, int pid, Kind kind, String maps, int threads, long micros, int delayMicros) {
    this(line, pid, kind, maps, threads, micros, delayMicros, List.of(), null);
  }

  public enum Kind {
    AFTER_CALL("after-call"),
    EXIT("exit"),
    ATTACH("attach");

    public final String label;

    Kind(String label) {
      this.label = label;
    }

    public static Kind of(String label) {
      for (Kind k : values()) {
        if (k.label.equals(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown snapshot kind: " + label);
    }
  }

  public boolean missed() {
    return maps == null;
  }

  public boolean racy() {
    return threads > 1;
  }

  public boolean late() {
    return kind != Kind.ATTACH && micros > delayMicros;
  }
}
