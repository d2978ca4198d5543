package dev.memtrace.cli;

import dev.memtrace.trace.EventSource;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.UnparsedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads and parses on a second thread while the caller's thread renders: the two halves of
 * {@code analyze} cost about the same, and this machine has two cores. Events travel in batches
 * through a small bounded queue, so memory stays flat whatever the size of the log.
 */
final class ReadAhead implements EventSource {

  private static final int BATCH = 1024;
  private static final int QUEUED_BATCHES = 8;

  /** A batch with the producer's end state: done, and the error that ended it, if any. */
  private record Batch(List<TraceEvent> events, boolean last, IOException error) {}

  private final EventSource source;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
  private final Thread thread;
  private List<TraceEvent> current = List.of();
  private int index;
  private boolean ended;

  ReadAhead(EventSource source) {
    this.source = source;
    this.thread = new Thread(this::produce, "memtrace-parse");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void produce() {
    try {
      List<TraceEvent> batch = new ArrayList<>(BATCH);
      for (TraceEvent e = source.next(); e != null; e = source.next()) {
        batch.add(e);
        if (batch.size() == BATCH) {
          queue.put(new Batch(batch, false, null));
          batch = new ArrayList<>(BATCH);
        }
      }
      queue.put(new Batch(batch, true, null));
    } catch (IOException e) {
      putQuietly(new Batch(List.of(), true, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      putQuietly(new Batch(List.of(), true, new IOException("parser failed: " + e, e)));
    }
  }

  private void putQuietly(Batch b) {
    try {
      queue.put(b);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public TraceEvent next() throws IOException {
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
      current = b.events();
      index = 0;
      ended = b.last();
    }
    return current.get(index++);
  }

  @Override
  public long linesRead() {
    return source.linesRead();
  }

  @Override
  public long unparsedCount() {
    return source.unparsedCount();
  }

  @Override
  public UnparsedEvent firstUnparsed() {
    return source.firstUnparsed();
  }

  @Override
  public void close() throws IOException {
    thread.interrupt();
    source.close();
  }
}
