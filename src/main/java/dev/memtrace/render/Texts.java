package dev.memtrace.render;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Log text is held one char per byte (ISO-8859-1), so raw bytes survive parsing. For output as
 * Unicode (JSON), the bytes are decoded as UTF-8 where they are valid UTF-8, and each byte of an
 * invalid sequence becomes U+FFFD. Pure ASCII, by far the common case, passes through untouched.
 */
public final class Texts {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Texts() {}

  public static String unicode(String raw) {
    int n = raw.length();
    int i = 0;
    while (i < n && raw.charAt(i) < 0x80) {
      i++;
    }
    if (i == n) {
      return raw;
    }
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return d.decode(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1))).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE never throws", e);
    }
  }

  /**
   * Text from the log made safe for a terminal: decoded as by {@link #unicode}, then every
   * control character that a terminal would act on (C0 but newline, DEL, C1, so ESC and CSI
   * sequences among them) written as a visible {@code \xHH}. A traced program's bytes can then
   * never move the cursor, retitle the window or recolour the screen.
   */
  public static String terminal(String raw) {
    return controls(unicode(raw == null ? "" : raw));
  }

  /**
   * Text that is already Unicode (explanations, which may quote the log) made safe for a
   * terminal the same way: control characters become {@code \xHH}; nothing is decoded.
   */
  public static String controls(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f);
      if (control && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (control) {
          b.append("\\x").append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * Seconds as a JSON number with up to 9 decimals and no exponent ({@code 0.000007}, not
   * {@code 7.0E-6}); strace prints at most nanoseconds, and this avoids the slow double printing.
   */
  static String seconds(double s) {
    char[] buf = new char[32];
    return new String(buf, 0, seconds(s, buf));
  }

  /** Writes {@link #seconds(double)} into {@code buf} (32 chars are enough) and returns its length. */
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

  /** {@code 8192} as "8 KiB", {@code 139264} as "136 KiB", {@code 1400832} as "1.3 MiB". */
  static String size(long bytes) {
    if (bytes < 0) { // unsigned: 2^63 bytes or more
      return String.format("%.1f GiB", (bytes >>> 1) * 2.0 / (1L << 30));
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : String.format("%.1f KiB", bytes / 1024.0);
    }
    long mib = 1024 * 1024;
    if (bytes < 1024 * mib) {
      return bytes % mib == 0 ? bytes / mib + " MiB" : String.format("%.1f MiB", bytes / (double) mib);
    }
    return String.format("%.1f GiB", bytes / (1024.0 * mib));
  }
}
