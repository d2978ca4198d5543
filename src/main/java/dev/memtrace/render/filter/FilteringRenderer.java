package dev.memtrace.render.filter;

import dev.memtrace.render.Renderer;
import dev.memtrace.timeline.AnnotatedEvent;
import java.io.IOException;

/** The stage between explain and render: passes on only the events the filter accepts. */
public final class FilteringRenderer implements Renderer {
  private final EventFilter filter;
  private final Renderer next;

  public FilteringRenderer(EventFilter filter, Renderer next) {
    this.filter = filter;
    this.next = next;
  }

  @Override
  public void event(AnnotatedEvent event) throws IOException {
    if (filter.test(event)) {
      next.event(event);
    }
  }

  @Override
  public void flush() throws IOException {
    next.flush();
  }

  @Override
  public void finish() throws IOException {
    next.finish();
  }

  @Override
  public void close() throws IOException {
    next.close();
  }
}
