package dev.memtrace.run;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Between a live run (which pushes items to a {@link LiveRun.Consumer} on its own thread) and the
 * pipeline (which pulls from an {@link ItemSource}): an unbounded queue, so the run never waits.
 */
public final class Handoff implements LiveRun.Consumer, ItemSource {

  private static final LiveItem.LogLine END = new LiveItem.LogLine(-1, "");

  private final BlockingQueue<LiveItem> queue = new LinkedBlockingQueue<>();

  @Override
  public void accept(LiveItem item) {
    queue.add(item);
  }

  /** No more items will come. */
  public void end() {
    queue.add(END);
  }

  @Override
  public LiveItem next() throws IOException {
    try {
      LiveItem item = queue.take();
      if (item == END) {
        queue.add(END); // stay at the end for any further call
        return null;
      }
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for strace's log");
    }
  }
}
