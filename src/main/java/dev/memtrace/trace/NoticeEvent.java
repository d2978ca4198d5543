package dev.memtrace.trace;

/**
 * Text strace wrote about the trace rather than about a call: {@code strace: Process N attached},
 * {@code [ Process PID=N runs in 32 bit mode. ]}, a {@code -c} summary table row, and the like.
 */
public record NoticeEvent(Source source, Prefix prefix, Kind kind, String text)
    implements TraceEvent {

  public enum Kind {
    ATTACHED,
    DETACHED,
    PERSONALITY,
    SUMMARY,
    STRACE_MESSAGE,
    OTHER
  }
}
