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
      int d = Character.digit(s.charAt(k), radix);
      if (d < 0) {
        return null;
      }
      v = v * radix + d;
    }
    return neg ? -v : v;
  }

  static Long parse(String s) {
    return parse(s, 0, s.length());
  }
}
