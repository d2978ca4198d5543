package dev.memtrace.correlate;

/**
 * {@code /proc/PID/maps} as read right after the call printed on {@code line} of the log returned
 * (strace held the task with {@code inject=...:delay_exit}). maps is null when it could not be read
 * (the task was gone). text, when known, is that log line; it ties the snapshot to its call even
 * when the call was split into unfinished and resumed halves and so is numbered by an earlier line.
 */
public record Snapshot(int line, int pid, String maps, String text) {

  public Snapshot(int line, int pid, String maps) {
    this(line, pid, maps, null);
  }
}
