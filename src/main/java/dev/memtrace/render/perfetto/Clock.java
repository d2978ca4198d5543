package dev.memtrace.render.perfetto;

import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.List;

/**
 * Microsecond timestamps for trace-event JSON. Absolute timestamps ({@code -t}, {@code -tt}, {@code
 * -ttt}) count from the earliest one (a merged or hand-edited log can be out of order, and
 * trace-event times are never negative), stepping a day forward when a time of day wraps past
 * midnight; {@code -r} deltas are summed. A log with neither is given synthetic times in line
 * order. An event without a time of its own takes its predecessor's.
 */
final class Clock {
  final boolean synthetic;
  final boolean anyDuration;
  private Double first;
  private double last;
  private double offset;
  private double sum;

  /** The earliest time {@link #raw} gives over the timeline (0 or less): what ts counts from. */
  private final double origin;

  Clock(List<AnnotatedEvent> timeline) {
    boolean timed = false;
    boolean dur = false;
    for (AnnotatedEvent a : timeline) {
      TraceEvent e = a.event();
      timed |= e.prefix().seconds() != null || e.prefix().relative() != null;
      dur |= e instanceof SyscallEvent s && s.duration() != null;
    }
    synthetic = !timed;
    anyDuration = dur;
    double min = 0;
    if (!synthetic) {
      for (AnnotatedEvent a : timeline) {
        min = Math.min(min, raw(a.event()));
      }
      first = null;
      last = 0;
      offset = 0;
    }
    origin = min;
  }

  /** The event's timestamp in µs; call once per event, in order. */
  double ts(AnnotatedEvent a) {
    TraceEvent e = a.event();
    if (synthetic) {
      double t = sum;
      sum += Math.max(1, dur(a));
      return t;
    }
    return round(raw(e) - origin);
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
  double dur(AnnotatedEvent a) {
    if (a.event() instanceof SyscallEvent s && s.duration() != null) {
      return round(s.duration() * 1e6);
    }
    return 1;
  }

  private static double round(double us) {
    return Math.round(us * 1000) / 1000.0;
  }
}
