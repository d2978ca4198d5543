package dev.memtrace.pipeline;

import java.io.IOException;

/** Where a stage of the pipeline takes its items from: the parser, or the stage before. */
interface Feed<T> extends AutoCloseable {
  /** The next item, or null at the end. */
  T next() throws IOException;

  /**
   * Whether {@link #next()} can go on without waiting (a hint: true when unsure), so that a stage
   * hands its batch on when it would otherwise wait with it.
   */
  boolean ready() throws IOException;

  @Override
  void close() throws IOException;
}
