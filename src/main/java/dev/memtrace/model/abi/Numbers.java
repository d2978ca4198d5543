package dev.memtrace.model.abi;

import java.util.OptionalLong;

/** C integer literals as strace prints them: {@code 42}, {@code -1}, {@code 0x7f00}, {@code 0644}. */
public final class Numbers {

  private Numbers() {}

  public static OptionalLong parse(String text) {
    boolean minus = text.length() > 1 && text.charAt(0) == '-';
    long plain = plain(text, minus ? 1 : 0);
    if (plain >= 0) {
      return OptionalLong.of(minus ? -plain : plain);
    }
    String t = text.strip();
    if (t.isEmpty()) {
      return OptionalLong.empty();
    }
    boolean negative = t.startsWith("-");
    String digits = negative ? t.substring(1) : t;
    if (digits.isEmpty() || digits.charAt(0) < '0' || digits.charAt(0) > '9') {
      // a name (AT_FDCWD, NULL): told without an exception, which costs microseconds each
      return OptionalLong.empty();
    }
    try {
      long v;
      if (digits.startsWith("0x") || digits.startsWith("0X")) {
        v = Long.parseUnsignedLong(digits.substring(2), 16);
      } else if (digits.length() > 1 && digits.startsWith("0")) {
        v = Long.parseUnsignedLong(digits.substring(1), 8);
      } else {
        v = Long.parseUnsignedLong(digits);
      }
      return OptionalLong.of(negative ? -v : v);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Most numbers of a log, read in place from {@code from}: a decimal without sign or leading
   * zero below 10^18, or {@code 0x} with at most 15 hex digits. -1 for any other text, which
   * {@link #parse} then reads the long way.
   */
  private static long plain(String t, int from) {
    int n = t.length() - from;
    if (n >= 3 && n <= 17 && t.charAt(from) == '0'
        && (t.charAt(from + 1) == 'x' || t.charAt(from + 1) == 'X')) {
      long v = 0;
      for (int i = from + 2; i < t.length(); i++) {
        char c = t.charAt(i);
        int d = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
          return -1;
        }
        v = v << 4 | d;
      }
      return v;
    }
    if (n >= 1 && n <= 18 && (t.charAt(from) != '0' || n == 1)) {
      long v = 0;
      for (int i = from; i < t.length(); i++) {
        char c = t.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        v = v * 10 + (c - '0');
      }
      return v;
    }
    return -1;
  }
}
