package dev.memtrace.trace;

/**
 * One record of an strace log, already joined where strace split it. The closed set of kinds is
 * what every later stage (model, correlate, explain, render) switches over.
 */
public sealed interface TraceEvent
    permits SyscallEvent, SignalEvent, ExitEvent, NoticeEvent, UnparsedEvent {

  Source source();

  Prefix prefix();

  /** The 1-based line in its file, as the output shows it. */
  default int line() {
    return source().line();
  }

  /**
   * The line as the stages after parsing keep and cite it: {@link #line()} in a single log, its
   * reference in an {@code -ff} set ({@link SetLines}).
   */
  default int ref() {
    return source().ref();
  }

  default Integer pid() {
    return prefix().pid();
  }
}
