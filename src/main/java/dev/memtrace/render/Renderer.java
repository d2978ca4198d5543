package dev.memtrace.render;

import dev.memtrace.timeline.AnnotatedEvent;
import java.io.IOException;

/**
 * Writes the timeline in one format. Events arrive in order, one at a time, so that text and jsonl
 * stream with flat memory; a renderer whose output needs the whole timeline (html, perfetto) keeps
 * what it needs of each event in temporary files (the {@code spool} package) until {@link #finish},
 * and deletes them at {@link #close}.
 */
public interface Renderer extends AutoCloseable {

  void event(AnnotatedEvent event) throws IOException;

  /**
   * Writes out what the renderer holds of the events so far, whole lines only (a live run or a pipe
   * is about to wait for more); a page written only at the end holds it. The default holds nothing.
   */
  default void flush() throws IOException {}

  /** Called once after the last event; flushes whatever the format writes at the end. */
  void finish() throws IOException;

  @Override
  default void close() throws IOException {}
}
