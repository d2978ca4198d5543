package dev.memtrace.explain;

import dev.memtrace.trace.Numbers;
import dev.memtrace.trace.Strings;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Reads a number out of an argument or return text as strace prints it (the literal itself is read
 * by {@link Numbers}): decimal, hex, octal, {@code NULL}, an fd decorated by {@code -y} ({@code
 * 3</etc/passwd>}), a {@code -X verbose} constant ({@code 0x3 /* PROT_READ *&#47;}), or a product
 * ({@code 8192*1024}).
 */
final class Num {

  /** Returned when the text holds no number. */
  static final long NONE = Long.MIN_VALUE;

  private Num() {}

  static long parse(String text) {
    if (text == null) {
      return NONE;
    }
    String t = text.trim();
    int lt = t.indexOf('<');
    if (lt > 0) {
      t = t.substring(0, lt);
    }
    int c = t.indexOf("/*");
    if (c > 0) {
      t = t.substring(0, c).trim();
    }
    if (t.equals("NULL")) {
      return 0;
    }
    int star = t.indexOf('*');
    if (star > 0) {
      long a = parse(t.substring(0, star));
      long b = parse(t.substring(star + 1));
      return a == NONE || b == NONE ? NONE : a * b;
    }
    if (t.isEmpty() || (t.charAt(0) < '0' || t.charAt(0) > '9') && t.charAt(0) != '-') {
      return NONE; // a name, told before any parsing
    }
    OptionalLong v = Numbers.parse(t);
    return v.isPresent() ? v.getAsLong() : NONE;
  }

  /** The path of a {@code -y} decoration ({@code 3</usr/lib/libc.so.6>}), or null. */
  static String decoration(String text) {
    if (text == null) {
      return null;
    }
    int lt = text.indexOf('<');
    int gt = text.lastIndexOf('>');
    if (lt <= 0 || gt < lt) {
      return null;
    }
    String p = text.substring(lt + 1, gt);
    int inner = p.indexOf('<');
    p = inner >= 0 ? p.substring(0, inner) : p;
    // strace's C escapes decoded to the bytes, as the model holds the name (RawText shows it)
    return p.indexOf('\\') < 0
        ? p
        : new String(Strings.decode(p, 0, p.length()), StandardCharsets.ISO_8859_1);
  }
}
