package dev.memtrace.run;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Between a live run (which pushes items to a {@link LiveRun.Consumer} on its own thread) and the
 * pipeline (which pulls from an {@link ItemSource}): an unbounded queue, so the run never waits.
 * Items cross in the batches the FIFO reader made, so a log line and the snapshot taken after it
 * always arrive together.
 */
public final class Handoff implements LiveRun.Consumer, ItemSource {

  private static final List<LiveItem> END = List.of();

  private final BlockingQueue<List<LiveItem>> queue = new LinkedBlockingQueue<>();
  private List<LiveItem> building = new ArrayList<>();
  private final ArrayDeque<LiveItem> current = new ArrayDeque<>();
  private boolean ended;
  private volatile boolean discarding;

  @Override
  public void accept(LiveItem item) {
    if (!discarding) {
      building.add(item);
    }
  }

  /**
   * The pipeline reads no more (its output failed, or its reader went away): what comes is dropped,
   * so a run that goes on does not fill memory.
   */
  public void discard() {
    discarding = true;
    queue.clear();
  }

  @Override
  public void batchDone() {
    if (!building.isEmpty() && !discarding) {
      queue.add(building);
      building = new ArrayList<>();
    }
  }

  /** No more items will come. */
  public void end() {
    batchDone();
    building.clear();
    queue.add(END);
  }

  @Override
  public LiveItem next() throws IOException {
    while (current.isEmpty()) {
      if (ended) {
        return null;
      }
      try {
        List<LiveItem> batch = queue.take();
        if (batch == END) {
          ended = true;
          return null;
        }
        current.addAll(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for strace's log");
      }
    }
    return current.poll();
  }

  @Override
  public LiveItem peekReady() {
    return current.peek();
  }
}
