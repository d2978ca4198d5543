package dev.memtrace.render.filter;

import dev.memtrace.trace.TraceEvent;

/**
 * One end of a {@code --since}/{@code --until} range, in one of four spellings:
 *
 * <ul>
 *   <li>{@code 120}: log line 120;
 *   <li>{@code 2.5s} or {@code +2.5}: 2.5 seconds after the first timestamped event;
 *   <li>{@code 10:31:02.25}: a time of day as {@code -t}/{@code -tt} print it (for {@code -ttt}
 *       logs, the UTC time of day of the epoch timestamp);
 *   <li>{@code 1700000000.25}: an absolute {@code -ttt} timestamp.
 * </ul>
 */
public record Bound(Kind kind, double value) {

  public enum Kind {
    LINE,
    RELATIVE,
    TIME_OF_DAY,
    ABSOLUTE
  }

  public static Bound parse(String s) {
    String t = s.trim();
    try {
      if (t.matches("\\d+")) {
        return new Bound(Kind.LINE, Long.parseLong(t));
      }
      if (t.endsWith("s") || t.startsWith("+")) {
        return new Bound(
            Kind.RELATIVE, Double.parseDouble(t.replaceFirst("^\\+", "").replaceFirst("s$", "")));
      }
      if (t.contains(":")) {
        String[] p = t.split(":");
        if (p.length != 3) {
          throw new NumberFormatException();
        }
        return new Bound(
            Kind.TIME_OF_DAY,
            Integer.parseInt(p[0]) * 3600 + Integer.parseInt(p[1]) * 60 + Double.parseDouble(p[2]));
      }
      return new Bound(Kind.ABSOLUTE, Double.parseDouble(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'"
              + s
              + "' is not a line (120), a time after the start (2.5s), a time of day (10:31:02.25) or a -ttt timestamp");
    }
  }

  /**
   * Where the event lies relative to this bound: negative before, zero at, positive after; null
   * when it cannot tell (a time bound and no timestamp seen yet).
   *
   * @param seconds the event's timestamp, or the last one seen before it
   * @param first the first timestamp in the log
   */
  Integer compare(TraceEvent e, Double seconds, Double first) {
    if (kind == Kind.LINE) {
      return Double.compare(e.line(), value);
    }
    if (seconds == null) {
      return null;
    }
    double v =
        switch (kind) {
          case RELATIVE -> seconds - first;
          case TIME_OF_DAY -> seconds >= 86_400 ? seconds % 86_400 : seconds;
          default -> seconds;
        };
    // timestamps are printed to the microsecond at most: closer than a nanosecond is equal
    return Math.abs(v - value) < 1e-9 ? 0 : Double.compare(v, value);
  }
}
