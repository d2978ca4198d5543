package dev.memtrace.run;

/**
 * What a live run (or a recording of one) yields, in the order it happened: strace's log lines and
 * the /proc/PID/maps snapshots taken between them.
 */
public sealed interface LiveItem permits LiveItem.LogLine, MapsSnapshot {

  /** One complete line of strace's log, 1-based, without its newline. */
  record LogLine(int line, String text) implements LiveItem {}
}
