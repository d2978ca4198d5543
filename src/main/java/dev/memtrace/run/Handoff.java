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

  @Override
  public void accept(LiveItem item) {
    building.add(item);
  }

  @Override
  public void batchDone() {
    if (!building.isEmpty()) {
      queue.add(building);
      building = new ArrayList<>();
    }
  }

  /** No more items will come. */
  public void end() {
    batchDone();
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
