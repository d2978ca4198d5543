package dev.memtrace.run;

import java.io.IOException;

/** Hands out a run's items in order: from a live run as they come, or from a recording. */
public interface ItemSource {

  /** The next item, waiting for it if needed; null after the last. */
  LiveItem next() throws IOException;
}
