package dev.memtrace.pipeline;

import dev.memtrace.trace.EventSource;
import dev.memtrace.trace.SetLines;
import dev.memtrace.trace.TraceEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One stage of the pipeline on a thread of its own: it takes items from the stage before it (the
 * parser, or another {@code ReadAhead}), passes each through its {@link Step} and hands what comes
 * out to the stage after it, which reads it with {@link #next()} on its own thread. Machines
 * running memtrace often have two cores: {@code analyze} parses on one thread, models and explains
 * on another and renders on the caller's. Items travel in batches through a small bounded queue, so
 * memory stays flat whatever the size of the log, and in order. A batch is handed over early when
 * the stage before has nothing more at hand (a live run waiting for its program), so the timeline
 * streams; the explain stage's lookahead window still holds its last events until more come or the
 * run ends. An error on any stage reaches the reader of the last one, in order after what came
 * before it.
 *
 * @param <I> what the stage takes
 * @param <O> what it hands on
 */
final class ReadAhead<I, O> implements Feed<O> {

  private static final int BATCH = 1024;
  private static final int QUEUED_BATCHES = 2;

  /**
   * What a stage does to each item on its thread. It may hold items back (the model stage waits for
   * a snapshot's call to be past, the explain stage looks ahead), so one item gives zero or more.
   */
  interface Step<I, O> {
    /** Adds the items that are ready after {@code in} to {@code out}, in order. */
    void accept(I in, List<O> out);

    /** What is still held at the end. */
    List<O> finish();
  }

  /** The events of {@code source}, as the first stage's feed. */
  static Feed<TraceEvent> of(EventSource source) {
    return new Feed<>() {
      @Override
      public TraceEvent next() throws IOException {
        return source.next();
      }

      @Override
      public boolean ready() throws IOException {
        return source.ready();
      }

      @Override
      public void close() throws IOException {
        source.close();
      }
    };
  }

  /**
   * A batch with the producer's end state: done, and the error that ended it, if any: a reading
   * error, or a stage's failure (a bug), passed on as thrown.
   */
  private record Batch<O>(List<O> items, boolean last, IOException error, StageFailure failure) {
    Batch(List<O> items, boolean last, IOException error) {
      this(items, last, error, null);
    }
  }

  private final Feed<I> upstream;
  private final Step<I, O> step;
  private final BlockingQueue<Batch<O>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
  private final Thread thread;
  private List<O> current = List.of();
  private int index;
  private boolean ended;

  /**
   * Starts the stage's thread, {@code name}; it is a daemon, and ends once it has handed on the end
   * (or an error), or when {@link #close()} interrupts it.
   */
  ReadAhead(Feed<I> upstream, Step<I, O> step, String name) {
    this.upstream = upstream;
    this.step = step;
    this.thread = new Thread(this::produce, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void produce() {
    try {
      List<O> batch = new ArrayList<>(BATCH);
      while (true) {
        if (!batch.isEmpty() && !upstream.ready()) {
          // about to wait for input: what is ready goes on now, so a live timeline streams
          queue.put(new Batch<>(batch, false, null));
          batch = new ArrayList<>(BATCH);
        }
        I in = upstream.next();
        if (in == null) {
          break;
        }
        step.accept(in, batch);
        if (batch.size() >= BATCH) {
          queue.put(new Batch<>(batch, false, null));
          batch = new ArrayList<>(BATCH);
        }
      }
      batch.addAll(step.finish());
      queue.put(new Batch<>(batch, true, null));
    } catch (IOException e) {
      putQuietly(new Batch<>(List.of(), true, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StageFailure e) {
      putQuietly(new Batch<>(List.of(), true, null, e));
    } catch (SetLines.TooLong e) {
      putQuietly(new Batch<>(List.of(), true, new IOException(e.getMessage(), e)));
    } catch (RuntimeException e) {
      putQuietly(new Batch<>(List.of(), true, new IOException("parser failed: " + e, e)));
    } catch (OutOfMemoryError e) {
      // the batch being built is garbage now; the reader must not wait for a thread that is gone
      putQuietly(new Batch<>(List.of(), true, new IOException(Pipeline.OUT_OF_MEMORY)));
    }
  }

  private void putQuietly(Batch<O> b) {
    try {
      queue.put(b);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The next item, or null at the end.
   *
   * @throws StageFailure when a stage after the parser threw (on its thread)
   */
  @Override
  public O next() throws IOException {
    while (index == current.size()) {
      if (ended) {
        return null;
      }
      Batch<O> b;
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
      current = b.items();
      index = 0;
      ended = b.last();
    }
    return current.get(index++);
  }

  @Override
  public boolean ready() {
    return index < current.size() || ended || !queue.isEmpty();
  }

  /** Stops this stage and those before it, and closes their source. */
  @Override
  public void close() throws IOException {
    thread.interrupt();
    upstream.close();
  }
}
