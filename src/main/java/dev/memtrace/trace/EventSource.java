package dev.memtrace.trace;

import java.io.IOException;

/** A stream of events from one log or several merged, with counts for the end-of-run summary. */
public interface EventSource extends AutoCloseable {

  /** The next event, or null at the end. */
  TraceEvent next() throws IOException;

  /**
   * Whether {@link #next()} can go on without waiting for input (a hint: true when unsure). A
   * consumer that batches events hands its batch on when this is false, so a live run streams.
   */
  default boolean ready() throws IOException {
    return true;
  }

  /** Physical lines read so far. */
  long linesRead();

  /** Unparsed events handed out so far. */
  long unparsedCount();

  /** The first unparsed event handed out, or null. */
  UnparsedEvent firstUnparsed();

  @Override
  void close() throws IOException;
}
