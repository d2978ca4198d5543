package dev.memtrace.render;

import dev.memtrace.trace.RawText;

/**
 * Log text is held one char per byte (ISO-8859-1), so raw bytes survive parsing. For output as
 * Unicode (JSON), the bytes are decoded as UTF-8 where they are valid UTF-8, and each byte of an
 * invalid sequence becomes U+FFFD (a file name: {@code \xHH}). Pure ASCII, by far the common case,
 * passes through untouched. {@link RawText} does it, for every stage that shows such text.
 */
public final class Texts {

  private Texts() {}

  /**
   * What a call strace detached from during its run ({@code <detached ...>}) shows where its return
   * value would be, in the text timeline and in Perfetto.
   */
  public static final String DETACHED = "detached: strace let go of the task";

  public static String unicode(String raw) {
    return RawText.unicode(raw);
  }

  /** A file name: UTF-8 where valid, {@code \xHH} for each other byte ({@link RawText#name}). */
  public static String name(String raw) {
    return RawText.name(raw);
  }

  /** Log text made safe for a terminal ({@link RawText#terminal}). */
  public static String terminal(String raw) {
    return RawText.terminal(raw);
  }

  /** A file name made safe for a terminal ({@link RawText#terminalName}). */
  public static String terminalName(String raw) {
    return RawText.terminalName(raw);
  }

  /** Unicode text (explanations, which may quote the log) made safe for a terminal. */
  public static String controls(String s) {
    return RawText.controls(s);
  }

  /**
   * Seconds as a JSON number with up to 9 decimals and no exponent ({@code 0.000007}, not {@code
   * 7.0E-6}); strace prints at most nanoseconds, and this avoids the slow double printing.
   */
  static String seconds(double s) {
    char[] buf = new char[32];
    return new String(buf, 0, seconds(s, buf));
  }

  /**
   * Writes {@link #seconds(double)} into {@code buf} (32 chars are enough) and returns its length.
   */
  static int seconds(double s, char[] buf) {
    long nanos = Math.round(s * 1e9);
    int n = 0;
    if (nanos < 0) {
      buf[n++] = '-';
      nanos = -nanos;
    }
    // the whole seconds, digit by digit (no String per call)
    long whole = nanos / 1_000_000_000L;
    int digits = 1;
    for (long w = whole; w >= 10; w /= 10) {
      digits++;
    }
    for (int k = n + digits - 1; k >= n; k--) {
      buf[k] = (char) ('0' + whole % 10);
      whole /= 10;
    }
    n += digits;
    long frac = nanos % 1_000_000_000L;
    if (frac == 0) {
      return n;
    }
    buf[n] = '.';
    for (int k = 9; k >= 1; k--) {
      buf[n + k] = (char) ('0' + frac % 10);
      frac /= 10;
    }
    n += 10;
    while (buf[n - 1] == '0') {
      n--;
    }
    return n;
  }
}
