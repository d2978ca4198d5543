package dev.memtrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  /** Three events, then a wait (a live program sleeping) until released, then the end. */
  private static final class PausingSource implements EventSource {
    final List<TraceEvent> events =
        TraceReader.parseAll("1 brk(NULL) = 0x1000\n1 getpid() = 1\n1 close(3) = 0\n");
    final CountDownLatch release = new CountDownLatch(1);
    int next;

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

  private static final ReadAhead.Annotator BARE =
      new ReadAhead.Annotator() {
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
    try (ReadAhead ahead = new ReadAhead(source, BARE)) {
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
    ReadAhead.Annotator failing =
        new ReadAhead.Annotator() {
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
    try (ReadAhead ahead = new ReadAhead(source, failing)) {
      assertThatThrownBy(ahead::next)
          .isInstanceOf(StageFailure.class)
          .hasMessage(
              "the explain stage failed at line 2 (getpid): "
                  + "java.lang.IllegalStateException: a rule's bug")
          .hasCauseInstanceOf(IllegalStateException.class);
    }
  }
}
