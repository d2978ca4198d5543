package dev.memtrace.trace;

/**
 * One record of an strace log, already joined where strace split it. The closed set of kinds is
 * what every later stage (model, correlate, explain, render) switches over.
 */
public sealed interface TraceEvent
    permits SyscallEvent, SignalEvent, ExitEvent, NoticeEvent, UnparsedEvent {

  Source source();

  Prefix prefix();

  default int line() {
    return source().line();
  }

  default Integer pid() {
    return prefix().pid();
  }
}
