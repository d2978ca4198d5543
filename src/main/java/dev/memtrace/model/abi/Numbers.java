package dev.memtrace.model.abi;

import java.util.OptionalLong;

/** C integer literals as strace prints them: {@code 42}, {@code -1}, {@code 0x7f00}, {@code 0644}. */
public final class Numbers {

  private Numbers() {}

  public static OptionalLong parse(String text) {
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
}
