package dev.memtrace.render.perfetto;

import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;

/**
 * Microsecond timestamps for trace-event JSON. Absolute timestamps ({@code -t}, {@code -tt}, {@code
 * -ttt}) count from the earliest one (a merged or hand-edited log can be out of order, and
 * trace-event times are never negative), stepping a day forward when a time of day wraps past
 * midnight; {@code -r} deltas are summed. A log with neither is given synthetic times in line
 * order. An event without a time of its own takes its predecessor's.
 *
 * <p>Two passes: {@link #see} reads each event as it comes and gives its raw time; once the whole
 * timeline has been seen ({@link #seenAll}), {@link #ts} turns the raw times, in the same order,
 * into timestamps. Only a few numbers are kept between the passes.
 */
final class Clock {
  private boolean timed;
  private boolean anyDuration;
  private boolean complete;
  private Double first;
  private double last;
  private double offset;
  private double sum;

  /** The earliest raw time (0 or less): what ts counts from. */
  private double origin;

  /**
   * Notes one event, in timeline order, and returns its raw time in µs from the first absolute time
   * (what {@link #ts} takes back).
   */
  double see(AnnotatedEvent a) {
    TraceEvent e = a.event();
    timed |= e.prefix().seconds() != null || e.prefix().relative() != null;
    anyDuration |= e instanceof SyscallEvent s && s.duration() != null;
    double raw = raw(e);
    origin = Math.min(origin, raw);
    return raw;
  }

  /** After the last {@link #see}: the timestamps {@link #ts} gives count from the earliest time. */
  void seenAll() {
    complete = true;
  }

  /** The log has no timestamps: {@link #ts} synthesises them from line order. */
  boolean synthetic() {
    return !timed;
  }

  /** Some call has its -T time. */
  boolean anyDuration() {
    return anyDuration;
  }

  /**
   * The timestamp in µs of the event {@link #see} gave {@code raw} for, whose {@link #dur} is
   * {@code dur}; call once per event, in order, after {@link #seenAll}.
   */
  double ts(double raw, double dur) {
    if (!complete) {
      throw new IllegalStateException("timestamps before the whole timeline was seen");
    }
    if (!timed) {
      double t = sum;
      sum += Math.max(1, dur);
      return t;
    }
    return round(raw - origin);
  }

  /** The event's time in µs from the first absolute time; advances the clock. */
  private double raw(TraceEvent e) {
    Double abs = e.prefix().seconds();
    if (abs != null) {
      if (first == null) {
        first = abs;
      }
      double t = (abs - first) * 1e6 + offset;
      if (t < last - 43_200e6) {
        // -t/-tt count from midnight: the log crossed it
        offset += 86_400e6;
        t += 86_400e6;
      }
      last = t;
      return t;
    }
    Double rel = e.prefix().relative();
    if (rel != null) {
      last += rel * 1e6;
    }
    return last;
  }

  /** The call's duration in µs: its -T time, or 1 µs when the log has none. */
  static double dur(AnnotatedEvent a) {
    if (a.event() instanceof SyscallEvent s && s.duration() != null) {
      return round(s.duration() * 1e6);
    }
    return 1;
  }

  private static double round(double us) {
    return Math.round(us * 1000) / 1000.0;
  }
}
