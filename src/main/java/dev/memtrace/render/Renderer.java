package dev.memtrace.render;

import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.trace.TraceEvent;
import java.io.IOException;

/**
 * Writes the timeline in one format. Events arrive in order, one at a time, so that text and
 * jsonl stream with flat memory; a renderer that needs the whole timeline (html) keeps it itself.
 */
public interface Renderer extends AutoCloseable {

  void event(AnnotatedEvent event) throws IOException;

  /**
   * Work on one parsed event that can be done ahead, on another thread and before the event is
   * annotated, before {@link #event(AnnotatedEvent, Object)} is called with what it returns (for
   * jsonl: escaping the argument texts). Must be thread-safe. The default prepares nothing.
   */
  default Object prepare(TraceEvent event) {
    return null;
  }

  /** {@link #event(AnnotatedEvent)} with what {@link #prepare} returned for the event. */
  default void event(AnnotatedEvent event, Object prepared) throws IOException {
    event(event);
  }

  /** Called once after the last event; flushes whatever the format writes at the end. */
  void finish() throws IOException;

  @Override
  default void close() throws IOException {}
}
