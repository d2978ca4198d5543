package dev.memtrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrace.run.LiveItemStream;
import dev.memtrace.run.MapsSnapshot;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.EventSource;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import dev.memtrace.trace.UnparsedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

  /** A source of events from a list, {@link #next} the index of the next one. */
  private abstract static class ListedSource implements EventSource {
    int next;

    @Override
    public long linesRead() {
      return next;
    }

    @Override
    public long unparsedCount() {
      return 0;
    }

    @Override
    public UnparsedEvent firstUnparsed() {
      return null;
    }

    @Override
    public void close() {}
  }

  /** Three events, then a wait (a live program sleeping) until released, then the end. */
  private static final class PausingSource extends ListedSource {
    final List<TraceEvent> events =
        TraceReader.parseAll("1 brk(NULL) = 0x1000\n1 getpid() = 1\n1 close(3) = 0\n");
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public TraceEvent next() throws IOException {
      if (next == events.size()) {
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        return null;
      }
      return events.get(next++);
    }

    @Override
    public boolean ready() {
      return next < events.size();
    }
  }

  private static final ReadAhead.Step<TraceEvent, AnnotatedEvent> BARE =
      new ReadAhead.Step<>() {
        @Override
        public void accept(TraceEvent e, List<AnnotatedEvent> out) {
          out.add(AnnotatedEvent.bare(e));
        }

        @Override
        public List<AnnotatedEvent> finish() {
          return List.of();
        }
      };

  @Test
  void whatIsParsedGoesOnWhileTheSourceWaitsForInput() throws Exception {
    PausingSource source = new PausingSource();
    List<TraceEvent> seen = new ArrayList<>();
    try (ReadAhead<TraceEvent, AnnotatedEvent> ahead = stages(source, BARE)) {
      Thread consumer =
          new Thread(
              () -> {
                try {
                  for (AnnotatedEvent a = ahead.next(); a != null; a = ahead.next()) {
                    synchronized (seen) {
                      seen.add(a.event());
                    }
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      consumer.start();
      // the batch is far from full, but the source has nothing more at hand: it must not wait
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        synchronized (seen) {
          if (seen.size() == 3) {
            break;
          }
        }
        Thread.sleep(10);
      }
      synchronized (seen) {
        assertThat(seen).containsExactlyElementsOf(source.events);
      }
      source.release.countDown();
      consumer.join(10_000);
      assertThat(consumer.isAlive()).isFalse();
    }
  }

  @Test
  void aStageThatThrowsIsNamedWithItsLineNotTakenForTheParser() throws Exception {
    PausingSource source = new PausingSource();
    source.release.countDown();
    ReadAhead.Step<TraceEvent, AnnotatedEvent> failing =
        new ReadAhead.Step<>() {
          @Override
          public void accept(TraceEvent e, List<AnnotatedEvent> out) {
            if (e.line() == 2) {
              throw new StageFailure("explain", e, new IllegalStateException("a rule's bug"));
            }
            out.add(AnnotatedEvent.bare(e));
          }

          @Override
          public List<AnnotatedEvent> finish() {
            return List.of();
          }
        };
    try (ReadAhead<TraceEvent, AnnotatedEvent> ahead = stages(source, failing)) {
      assertThatThrownBy(ahead::next)
          .isInstanceOf(StageFailure.class)
          .hasMessage(
              "the explain stage failed at line 2 (getpid): "
                  + "java.lang.IllegalStateException: a rule's bug")
          .hasCauseInstanceOf(IllegalStateException.class);
    }
  }

  /**
   * The pipeline's stages: parsing on one thread, {@code step} on a second, read on the caller's.
   */
  private static ReadAhead<TraceEvent, AnnotatedEvent> stages(
      EventSource source, ReadAhead.Step<TraceEvent, AnnotatedEvent> step) {
    SnapshotOrder order = new SnapshotOrder(s -> {});
    return new ReadAhead<>(
        new ReadAhead<>(ReadAhead.of(source), order.parsing(), "memtrace-parse"),
        order.before(step),
        "memtrace-annotate");
  }

  /** The events of a log of {@code n} calls, then a reading error when {@code fail} is set. */
  private static final class ListSource extends ListedSource {
    final List<TraceEvent> events;
    final boolean fail;

    ListSource(int n, boolean fail) {
      StringBuilder log = new StringBuilder();
      for (int i = 0; i < n; i++) {
        log.append("1 close(").append(i).append(") = 0\n");
      }
      this.events = TraceReader.parseAll(log.toString());
      this.fail = fail;
    }

    @Override
    public TraceEvent next() throws IOException {
      if (next == events.size()) {
        if (fail) {
          throw new IOException("Input/output error");
        }
        return null;
      }
      return events.get(next++);
    }
  }

  private static List<Thread> stageThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("memtrace-") && t.isAlive())
        .toList();
  }

  @Test
  void manyBatchesArriveInOrderAndTheStagesEndWithTheRun() throws Exception {
    ListSource source = new ListSource(5000, false);
    List<TraceEvent> seen = new ArrayList<>();
    try (ReadAhead<TraceEvent, AnnotatedEvent> ahead = stages(source, BARE)) {
      for (AnnotatedEvent a = ahead.next(); a != null; a = ahead.next()) {
        seen.add(a.event());
      }
      assertThat(ahead.next()).isNull();
    }
    assertThat(seen).containsExactlyElementsOf(source.events);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!stageThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(stageThreads()).isEmpty();
  }

  @Test
  void aReadingErrorReachesTheReaderThroughEveryStageAfterTheBatchesBeforeIt() throws Exception {
    ListSource source = new ListSource(3000, true);
    List<TraceEvent> seen = new ArrayList<>();
    try (ReadAhead<TraceEvent, AnnotatedEvent> ahead = stages(source, BARE)) {
      assertThatThrownBy(
              () -> {
                for (AnnotatedEvent a = ahead.next(); a != null; a = ahead.next()) {
                  seen.add(a.event());
                }
              })
          .isInstanceOf(IOException.class)
          .hasMessage("Input/output error");
    }
    // the batches handed on before the error, in order (the one being filled is dropped)
    assertThat(seen).hasSizeGreaterThanOrEqualTo(1024);
    assertThat(seen).containsExactlyElementsOf(source.events.subList(0, seen.size()));
  }

  @Test
  void aSnapshotReachesTheModelStageJustBeforeTheEventParsedAfterIt() throws Exception {
    List<String> order = new ArrayList<>();
    SnapshotOrder snapshots =
        new SnapshotOrder(s -> order.add("snapshot after line " + s.snapshot().line()));
    ListSource events = new ListSource(3000, false);
    // as LiveItemStream does: the snapshot taken after line 1500 comes as that line is read
    EventSource source =
        new ListedSource() {
          @Override
          public TraceEvent next() throws IOException {
            if (events.next == 1499) {
              snapshots.offer(
                  new LiveItemStream.LineSnapshot(
                      new MapsSnapshot(1500, 1, MapsSnapshot.Kind.AFTER_CALL, "", 1, 10, 2000),
                      "1 close(1499) = 0"));
            }
            return events.next();
          }
        };
    ReadAhead.Step<TraceEvent, AnnotatedEvent> model =
        new ReadAhead.Step<>() {
          @Override
          public void accept(TraceEvent e, List<AnnotatedEvent> out) {
            if (e.line() >= 1499 && e.line() <= 1501) {
              order.add("line " + e.line());
            }
            out.add(AnnotatedEvent.bare(e));
          }

          @Override
          public List<AnnotatedEvent> finish() {
            return List.of();
          }
        };
    try (ReadAhead<TraceEvent, AnnotatedEvent> ahead =
        new ReadAhead<>(
            new ReadAhead<>(ReadAhead.of(source), snapshots.parsing(), "memtrace-parse"),
            snapshots.before(model),
            "memtrace-annotate")) {
      int n = 0;
      while (ahead.next() != null) {
        n++;
      }
      assertThat(n).isEqualTo(3000);
    }
    assertThat(order)
        .containsExactly("line 1499", "snapshot after line 1500", "line 1500", "line 1501");
  }
}
