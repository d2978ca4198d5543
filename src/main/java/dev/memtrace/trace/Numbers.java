package dev.memtrace.trace;

import java.util.OptionalLong;

/**
 * Numbers as strace prints them (C integer literals): decimal, {@code -1}, {@code 0x7f...}
 * (unsigned 64-bit), octal {@code 0644}. The one reader of numbers: the parser reads results in
 * place ({@link #parse(String, int, int)}); later stages read an argument's text with {@link
 * #parse(String)}, which tells "no number" as an empty OptionalLong.
 */
public final class Numbers {

  private Numbers() {}

  /** The value of the whole range, or null when it is not one number. */
  static Long parse(String s, int from, int to) {
    if (from >= to) {
      return null;
    }
    boolean neg = s.charAt(from) == '-';
    int i = neg ? from + 1 : from;
    if (i >= to) {
      return null;
    }
    int radix = 10;
    if (s.charAt(i) == '0' && i + 1 < to) {
      if (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') {
        radix = 16;
        i += 2;
      } else {
        radix = 8;
        i += 1;
      }
    }
    if (i >= to || to - i > (radix == 16 ? 16 : radix == 8 ? 22 : 20)) {
      return null;
    }
    long v = 0;
    for (int k = i; k < to; k++) {
      int d = digit(s.charAt(k));
      if (d < 0 || d >= radix) {
        return null;
      }
      v = v * radix + d;
    }
    return neg ? -v : v;
  }

  /** 0-15 for an ASCII hex digit, else -1 (not Character.digit: it is big, and this is hot). */
  static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** The whole text as one number, or null (the parser's records hold a Long). */
  static Long literal(String s) {
    return parse(s, 0, s.length());
  }

  /** A whole text as one number, or empty when it is not one (a name such as AT_FDCWD or NULL). */
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
   * Most numbers of a log, read in place from {@code from}: a decimal without sign or leading zero
   * below 10^18, or {@code 0x} with at most 15 hex digits. -1 for any other text, which {@link
   * #parse} then reads the long way.
   */
  private static long plain(String t, int from) {
    int n = t.length() - from;
    if (n >= 3
        && n <= 17
        && t.charAt(from) == '0'
        && (t.charAt(from + 1) == 'x' || t.charAt(from + 1) == 'X')) {
      long v = 0;
      for (int i = from + 2; i < t.length(); i++) {
        char c = t.charAt(i);
        int d =
            c >= '0' && c <= '9'
                ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
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
