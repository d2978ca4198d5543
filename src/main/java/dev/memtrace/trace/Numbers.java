package dev.memtrace.trace;

/** Numbers as strace prints them: decimal, {@code -1}, {@code 0x7f...} (unsigned 64-bit), octal {@code 0644}. */
final class Numbers {

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

  static Long parse(String s) {
    return parse(s, 0, s.length());
  }
}
