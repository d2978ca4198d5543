package dev.memtrace.run;

import java.io.IOException;

/** Hands out a run's items in order: from a live run as they come, or from a recording. */
public interface ItemSource {

  /** The next item, waiting for it if needed; null after the last. */
  LiveItem next() throws IOException;

  /**
   * The next item if it is already at hand, without taking it and without waiting; else null. A
   * snapshot always arrives together with the log line it follows, so after taking a line this
   * shows whether a snapshot belongs to it.
   */
  LiveItem peekReady() throws IOException;
}
