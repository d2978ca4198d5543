package dev.memtrace.trace;

/**
 * {@code +++ exited with N +++}, {@code +++ killed by SIGX [(core dumped)] +++} or {@code +++
 * superseded by execve in pid N +++}.
 */
public record ExitEvent(
    Source source,
    Prefix prefix,
    Kind kind,
    Integer status,
    String signal,
    boolean coreDumped,
    Integer execvePid)
    implements TraceEvent {

  public enum Kind {
    EXITED,
    KILLED,
    SUPERSEDED
  }
}
