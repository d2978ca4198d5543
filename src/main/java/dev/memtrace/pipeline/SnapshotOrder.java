package dev.memtrace.pipeline;

import dev.memtrace.run.LiveItemStream;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Keeps the snapshots of a live run or a recording in their place among the events when the parser
 * and the model stage run on different threads. A snapshot reaches the parser just before the line
 * it was taken after ({@link LiveItemStream}); it is held here with the number of events parsed
 * before it, and handed to the model stage's thread just before the event parsed after it, as if
 * both stages ran on one thread.
 */
final class SnapshotOrder {

  private record Held(long before, LiveItemStream.LineSnapshot snapshot) {}

  private final Queue<Held> held = new ConcurrentLinkedQueue<>();
  private final Consumer<LiveItemStream.LineSnapshot> apply;

  /** Events parsed so far: written and read on the parsing thread only. */
  private long parsed;

  /** Events the model stage took so far: on its thread only. */
  private long modelled;

  /** {@code apply} takes each snapshot on the model stage's thread. */
  SnapshotOrder(Consumer<LiveItemStream.LineSnapshot> apply) {
    this.apply = apply;
  }

  /** On the parsing thread: a snapshot that came before the next event it parses. */
  void offer(LiveItemStream.LineSnapshot s) {
    held.add(new Held(parsed, s));
  }

  /** The parsing stage: hands events on, counting them. */
  ReadAhead.Step<TraceEvent, TraceEvent> parsing() {
    return new ReadAhead.Step<>() {
      @Override
      public void accept(TraceEvent e, List<TraceEvent> out) {
        parsed++;
        out.add(e);
      }

      @Override
      public List<TraceEvent> finish() {
        return List.of();
      }
    };
  }

  /** The model stage {@code model}, given each snapshot just before the event parsed after it. */
  ReadAhead.Step<TraceEvent, AnnotatedEvent> before(
      ReadAhead.Step<TraceEvent, AnnotatedEvent> model) {
    return new ReadAhead.Step<>() {
      @Override
      public void accept(TraceEvent e, List<AnnotatedEvent> out) {
        applyUpTo(modelled++);
        model.accept(e, out);
      }

      @Override
      public List<AnnotatedEvent> finish() {
        applyUpTo(Long.MAX_VALUE);
        return model.finish();
      }
    };
  }

  private void applyUpTo(long event) {
    for (Held h = held.peek(); h != null && h.before() <= event; h = held.peek()) {
      held.remove();
      apply.accept(h.snapshot());
    }
  }
}
