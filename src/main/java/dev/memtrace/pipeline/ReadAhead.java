package dev.memtrace.pipeline;

import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.EventSource;
import dev.memtrace.trace.TraceEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads, parses and annotates (the {@link Annotator}: model, correlation, explain) on a second
 * thread while the caller's thread renders: machines running memtrace often have two cores. Events
 * travel in batches through a small bounded queue, so memory stays flat whatever the size of the
 * log. A batch is handed over early when the source has nothing more at hand (a live run waiting
 * for its program), so the timeline streams; the explain stage's lookahead window still holds its
 * last events until more come or the run ends.
 */
final class ReadAhead implements AutoCloseable {

  private static final int BATCH = 1024;
  private static final int QUEUED_BATCHES = 2;

  /**
   * A batch with the producer's end state: done, and the error that ended it, if any: a reading
   * error, or a stage's failure (a bug), passed on as thrown.
   */
  private record Batch(
      List<AnnotatedEvent> events, boolean last, IOException error, StageFailure failure) {
    Batch(List<AnnotatedEvent> events, boolean last, IOException error) {
      this(events, last, error, null);
    }
  }

  private final EventSource source;
  private final Annotator annotate;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
  private final Thread thread;
  private List<AnnotatedEvent> current = List.of();
  private int index;
  private boolean ended;

  /**
   * What turns events into annotated events on the parsing thread. A stage may hold an event back
   * (the model stage waits for a snapshot's call to be past), so one event gives zero or more.
   */
  interface Annotator {
    /** Adds the events that are ready after {@code e} to {@code out}, in order. */
    void accept(TraceEvent e, List<AnnotatedEvent> out);

    /** What is still held at the end. */
    List<AnnotatedEvent> finish();
  }

  ReadAhead(EventSource source, Annotator annotate) {
    this.source = source;
    this.annotate = annotate;
    this.thread = new Thread(this::produce, "memtrace-parse");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void produce() {
    try {
      List<AnnotatedEvent> batch = new ArrayList<>(BATCH);
      while (true) {
        if (!batch.isEmpty() && !source.ready()) {
          // about to wait for input: what is ready goes on now, so a live timeline streams
          queue.put(new Batch(batch, false, null));
          batch = new ArrayList<>(BATCH);
        }
        TraceEvent e = source.next();
        if (e == null) {
          break;
        }
        annotate.accept(e, batch);
        if (batch.size() >= BATCH) {
          queue.put(new Batch(batch, false, null));
          batch = new ArrayList<>(BATCH);
        }
      }
      batch.addAll(annotate.finish());
      queue.put(new Batch(batch, true, null));
    } catch (IOException e) {
      putQuietly(new Batch(List.of(), true, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StageFailure e) {
      putQuietly(new Batch(List.of(), true, null, e));
    } catch (RuntimeException e) {
      putQuietly(new Batch(List.of(), true, new IOException("parser failed: " + e, e)));
    } catch (OutOfMemoryError e) {
      // the batch being built is garbage now; the reader must not wait for a thread that is gone
      putQuietly(new Batch(List.of(), true, new IOException(Pipeline.OUT_OF_MEMORY)));
    }
  }

  private void putQuietly(Batch b) {
    try {
      queue.put(b);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The next annotated event, or null at the end.
   *
   * @throws StageFailure when a stage after the parser threw (on the producer's thread)
   */
  public AnnotatedEvent next() throws IOException {
    while (index == current.size()) {
      if (ended) {
        return null;
      }
      Batch b;
      try {
        b = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (b.error() != null) {
        ended = true;
        throw b.error();
      }
      if (b.failure() != null) {
        ended = true;
        throw b.failure();
      }
      current = b.events();
      index = 0;
      ended = b.last();
    }
    return current.get(index++);
  }

  /** The source's counts; final once {@link #next()} has returned null. */
  EventSource source() {
    return source;
  }

  @Override
  public void close() throws IOException {
    thread.interrupt();
    source.close();
  }
}
