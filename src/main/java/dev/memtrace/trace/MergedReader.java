package dev.memtrace.trace;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Several logs as one timeline ({@code strace -ff} sets: one file per task). Events are taken in
 * order of their absolute timestamps; an event without one (a notice, a log made without {@code
 * -t}) counts as at the last time its file showed, so each file keeps its own order. When no file
 * has timestamps at all, the files follow one another in the order given (each process in order). A
 * thread's execve, begun in the thread's file and resumed in the leader's, comes out as one call
 * ({@link ThreadExecves}). Only one event per file is held at a time, and a file whose resumed
 * execve waits for the thread's half is not read further meanwhile.
 */
public final class MergedReader implements EventSource {

  private final List<EventSource> sources;
  private final TraceEvent[] heads;
  private final double[] times;
  private final boolean[] done;
  private final ThreadExecves execs;
  private final ArrayDeque<TraceEvent> out;

  public MergedReader(List<? extends EventSource> sources) {
    this.sources = new ArrayList<>(sources);
    int n = sources.size();
    this.heads = new TraceEvent[n];
    this.times = new double[n];
    this.done = new boolean[n];
    Arrays.fill(times, Double.NEGATIVE_INFINITY);
    this.execs = new ThreadExecves(n);
    this.out = execs.output();
  }

  @Override
  public TraceEvent next() throws IOException {
    while (out.isEmpty()) {
      fill();
      execs.giveUp(heads);
      if (!out.isEmpty()) {
        break;
      }
      int best = -1;
      for (int k = 0; k < heads.length; k++) {
        if (heads[k] != null && (best < 0 || times[k] < times[best])) {
          best = k;
        }
      }
      if (best < 0) {
        return null;
      }
      TraceEvent e = heads[best];
      heads[best] = null;
      execs.accept(best, e);
    }
    return out.poll();
  }

  /** Reads the next event of every file that has none waiting (and is not held back). */
  private void fill() throws IOException {
    for (int k = 0; k < heads.length; k++) {
      if (heads[k] == null && !done[k] && !execs.blocked(k)) {
        heads[k] = sources.get(k).next();
        if (heads[k] == null) {
          done[k] = true;
          continue;
        }
        Double t = heads[k].prefix().seconds();
        if (t != null) {
          times[k] = t;
        }
      }
    }
  }

  @Override
  public long linesRead() {
    long n = 0;
    for (EventSource s : sources) {
      n += s.linesRead();
    }
    return n;
  }

  @Override
  public long unparsedCount() {
    long n = 0;
    for (EventSource s : sources) {
      n += s.unparsedCount();
    }
    return n;
  }

  @Override
  public UnparsedEvent firstUnparsed() {
    for (EventSource s : sources) {
      if (s.firstUnparsed() != null) {
        return s.firstUnparsed();
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (EventSource s : sources) {
      try {
        s.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
