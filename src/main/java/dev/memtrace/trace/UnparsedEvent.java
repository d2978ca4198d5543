package dev.memtrace.trace;

/** A line that fits no shape strace writes; processing goes on after it. */
public record UnparsedEvent(Source source, Prefix prefix, String error) implements TraceEvent {}
