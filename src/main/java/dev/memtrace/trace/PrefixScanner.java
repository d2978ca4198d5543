package dev.memtrace.trace;

/**
 * Reads the leader strace prints before a record (strace.c:printleader), in its fixed order: pid
 * ({@code 2984 }, {@code 1118<python3> }, {@code [pid 1084] }, {@code [pid 12<sh>] }), absolute
 * time ({@code -t/-tt/-ttt} and the ns forms), relative time ({@code -r}, alone or as {@code (+
 * 0.000123)}), {@code -n} number ({@code [ 59]}, {@code [???]}) and {@code -i} pointer ({@code
 * [00007f...]}). Widths vary, so nothing is read by column.
 */
final class PrefixScanner {

  /** Digits-only words at least this long are epoch seconds, not pids (pids stay below 2^22). */
  private static final int EPOCH_DIGITS = 9;

  /** Epoch seconds have 10 digits until the year 2286 and 11 until 5138: longer is no time. */
  private static final int MAX_EPOCH_DIGITS = 11;

  int end;
  Integer pid;
  String comm;
  String time;
  Double seconds;
  Double relative;
  Integer scno;
  String ip;

  /** Scans the prefix of {@code s}; afterwards {@link #end} is where the body starts. */
  void scan(String s) {
    pid = null;
    comm = null;
    time = null;
    seconds = null;
    relative = null;
    scno = null;
    ip = null;
    int n = s.length();
    int i = 0;
    if (s.startsWith("[pid ")) {
      int j = skipSpaces(s, 5);
      int d = digits(s, j);
      if (d > j && d < n && (s.charAt(d) == ']' || s.charAt(d) == '<')) {
        int close = d;
        if (s.charAt(d) == '<') {
          close = s.indexOf(">]", d);
          if (close < 0) {
            end = 0;
            return;
          }
          comm = s.substring(d + 1, close);
          close++;
        }
        pid = parseInt(s, j, d);
        i = skipOneSpace(s, close + 1);
      }
    } else if (i < n && isDigit(s.charAt(i))) {
      int d = digits(s, i);
      if (d < n && s.charAt(d) == '<' && d - i < EPOCH_DIGITS) {
        int close = s.indexOf('>', d);
        if (close > 0 && close + 1 < n && s.charAt(close + 1) == ' ') {
          comm = s.substring(d + 1, close);
          pid = parseInt(s, i, d);
          i = close + 2;
        }
      } else if (d < n && s.charAt(d) == ' ' && d - i < EPOCH_DIGITS) {
        pid = parseInt(s, i, d);
        i = skipSpaces(s, d);
      }
    }
    i = absolute(s, i);
    i = relativeTime(s, i);
    i = bracketed(s, i);
    end = i;
  }

  Prefix prefix() {
    if (pid == null && time == null && relative == null && scno == null && ip == null) {
      return Prefix.NONE;
    }
    return new Prefix(pid, comm, time, seconds, relative, scno, ip);
  }

  /** {@code HH:MM:SS[.frac] } or {@code SECONDS[.frac] } (when long enough to be an epoch). */
  private int absolute(String s, int i) {
    int n = s.length();
    int d = digits(s, i);
    if (d == i || d >= n) {
      return i;
    }
    char c = s.charAt(d);
    if (c == ':' && d - i == 2 && d + 6 <= n && s.charAt(d + 3) == ':') {
      int h = parseInt(s, i, d);
      int m = parseInt(s, d + 1, d + 3);
      int sec = parseInt(s, d + 4, d + 6);
      int e = d + 6;
      double frac = 0;
      if (e < n && s.charAt(e) == '.') {
        int f = digits(s, e + 1);
        frac = fraction(s, e + 1, f);
        e = f;
      }
      if (e < n && s.charAt(e) == ' ') {
        time = s.substring(i, e);
        seconds = h * 3600.0 + m * 60 + sec + frac;
        return e + 1;
      }
      return i;
    }
    if (d - i >= EPOCH_DIGITS && d - i <= MAX_EPOCH_DIGITS) {
      int e = d;
      double frac = 0;
      if (c == '.') {
        e = digits(s, d + 1);
        frac = fraction(s, d + 1, e);
      }
      if (e < n && s.charAt(e) == ' ') {
        time = s.substring(i, e);
        seconds = parseLong(s, i, d) + frac;
        return e + 1;
      }
    }
    return i;
  }

  /**
   * {@code (+ 0.000123) } after an absolute time, or {@code 0.000123 } alone; in whole seconds
   * ({@code --relative-timestamps=s}) {@code 0 }, taken only when a record follows, since nothing
   * else strace prints puts a bare number between the pid and the record.
   */
  private int relativeTime(String s, int i) {
    int n = s.length();
    if (s.startsWith("(+", i)) {
      int j = skipSpaces(s, i + 2);
      int close = s.indexOf(')', j);
      if (close > 0 && close + 1 < n && s.charAt(close + 1) == ' ') {
        Double v = decimal(s, j, close);
        if (v != null) {
          relative = v;
          return close + 2;
        }
      }
      return i;
    }
    int j = skipSpaces(s, i);
    int d = digits(s, j);
    if (d > j && d < n && s.charAt(d) == '.' && d - j < EPOCH_DIGITS) {
      int f = digits(s, d + 1);
      if (f > d + 1 && f < n && s.charAt(f) == ' ') {
        relative = parseLong(s, j, d) + fraction(s, d + 1, f);
        return f + 1;
      }
    }
    if (d > j
        && d - j < EPOCH_DIGITS
        && d + 1 < n
        && s.charAt(d) == ' '
        && startsRecord(s.charAt(d + 1))) {
      relative = (double) parseLong(s, j, d);
      return d + 1;
    }
    return i;
  }

  /** A call's name, {@code <... resumed>}, {@code --- SIGNAL}, {@code +++ exited}. */
  private static boolean startsRecord(char c) {
    return c >= 'a' && c <= 'z' || c == '_' || c == '<' || c == '-' || c == '+';
  }

  /**
   * {@code [ 59] } / {@code [???] } then {@code [00007f91d6323ad7] } / {@code [????????????????] }.
   */
  private int bracketed(String s, int i) {
    int n = s.length();
    if (i < n && s.charAt(i) == '[') {
      int close = s.indexOf(']', i);
      if (close > 0 && close + 1 < n && s.charAt(close + 1) == ' ') {
        String inner = s.substring(i + 1, close);
        String t = inner.strip();
        if (!t.isEmpty()
            && t.chars().allMatch(PrefixScanner::isDigit)
            && inner.length() >= 3
            && !isHexIp(inner)) {
          scno = Integer.parseInt(t);
          i = close + 2;
        } else if (inner.equals("???")) {
          i = close + 2;
        }
      }
    }
    if (i < n && s.charAt(i) == '[') {
      int close = s.indexOf(']', i);
      if (close > 0 && close + 1 < n && s.charAt(close + 1) == ' ') {
        String inner = s.substring(i + 1, close);
        if (isHexIp(inner) || (inner.length() >= 8 && inner.chars().allMatch(c -> c == '?'))) {
          ip = inner;
          i = close + 2;
        }
      }
    }
    return i;
  }

  private static boolean isHexIp(String t) {
    if (t.length() < 8 || t.length() > 16) {
      return false;
    }
    for (int k = 0; k < t.length(); k++) {
      char c = t.charAt(k);
      if (!(isDigit(c) || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static int digits(String s, int i) {
    int n = s.length();
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  static int skipSpaces(String s, int i) {
    int n = s.length();
    while (i < n && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static int skipOneSpace(String s, int i) {
    return i < s.length() && s.charAt(i) == ' ' ? i + 1 : i;
  }

  static int parseInt(String s, int from, int to) {
    return (int) Math.min(Integer.MAX_VALUE, parseLong(s, from, to));
  }

  static long parseLong(String s, int from, int to) {
    long v = 0;
    for (int k = from; k < to && v < Long.MAX_VALUE / 10 - 10; k++) {
      v = v * 10 + (s.charAt(k) - '0');
    }
    return v;
  }

  static double fraction(String s, int from, int to) {
    long v = 0;
    long scale = 1;
    for (int k = from; k < to && k < from + 18; k++) {
      v = v * 10 + (s.charAt(k) - '0');
      scale *= 10;
    }
    return (double) v / scale;
  }

  /** {@code 12.000345} (or {@code 12}) between from and to, or null. */
  static Double decimal(String s, int from, int to) {
    int d = digits(s, from);
    if (d == from) {
      return null;
    }
    if (d == to) {
      return (double) parseLong(s, from, d);
    }
    if (s.charAt(d) != '.') {
      return null;
    }
    int f = digits(s, d + 1);
    if (f != to) {
      return null;
    }
    return parseLong(s, from, d) + fraction(s, d + 1, f);
  }
}
