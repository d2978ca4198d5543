package dev.memtrace.pipeline;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A one-line progress count on a terminal for long work ({@code memtrace: 1,200,000 lines read, 3
 * s}), rewritten in place at most once a second and erased at the end. Silent for the first second,
 * so short runs print nothing, and silent altogether when it is not given a terminal.
 */
final class Progress {

  private static final long FIRST_NANOS = 1_000_000_000L;
  private static final long EVERY_NANOS = 1_000_000_000L;

  private final PrintStream err;
  private final LongSupplier clock;
  private final long start;
  private long next;
  private boolean shown;

  /**
   * @param err the terminal to draw on, or null for none
   */
  Progress(PrintStream err, LongSupplier nanoClock) {
    this.err = err;
    this.clock = nanoClock;
    this.start = nanoClock.getAsLong();
    this.next = start + FIRST_NANOS;
  }

  /** Called now and then with the number of log lines read so far. */
  void update(long lines) {
    if (err == null) {
      return;
    }
    long now = clock.getAsLong();
    if (now < next) {
      return;
    }
    next = now + EVERY_NANOS;
    err.print(
        String.format("\rmemtrace: %,d lines read, %d s", lines, (now - start) / 1_000_000_000L));
    err.flush();
    shown = true;
  }

  /** Erases the line, if one was drawn, before anything else is written to the terminal. */
  void done() {
    if (shown) {
      err.print("\r\033[K");
      err.flush();
      shown = false;
    }
  }
}
