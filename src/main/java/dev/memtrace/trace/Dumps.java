package dev.memtrace.trace;

/**
 * The lines of strace's {@code -e read=}/{@code -e write=} data dumps (strace util.c,
 * dumpstr/dumpiov): {@code " | 00000 30 31 32 0a 012. |"} (offset, up to 16 bytes in hex with an
 * extra space after the eighth, the same bytes as characters) and, before each buffer of a vector
 * call, {@code " * 5 bytes in buffer 0"}.
 */
final class Dumps {

  /** Where the hex of byte 0 starts: after {@code " | "}, five offset digits and two spaces. */
  private static final int FIRST = 10;

  private Dumps() {}

  /**
   * The bytes a dump line shows as hex digits ("" for a buffer header), or null if it is not one.
   */
  static String hex(String line) {
    if (line.startsWith(" * ")) {
      int b = PrefixScanner.digits(line, 3);
      return b > 3
              && line.startsWith(" bytes in buffer ", b)
              && PrefixScanner.digits(line, b + 17) == line.length()
              && line.length() > b + 17
          ? ""
          : null;
    }
    if (line.length() < FIRST + 2 || !line.endsWith(" |")) {
      return null;
    }
    for (int k = 3; k < 8; k++) {
      if (hexDigit(line.charAt(k)) < 0) {
        return null;
      }
    }
    if (line.charAt(8) != ' ' || line.charAt(9) != ' ') {
      return null;
    }
    StringBuilder out = new StringBuilder(32);
    for (int k = 0; k < 16; k++) {
      int at = FIRST + 3 * k + (k >= 8 ? 1 : 0);
      if (at + 2 > line.length()
          || hexDigit(line.charAt(at)) < 0
          || hexDigit(line.charAt(at + 1)) < 0
          || line.charAt(at + 2) != ' ') {
        break;
      }
      out.append(line, at, at + 2);
    }
    return out.isEmpty() ? null : out.toString();
  }

  private static int hexDigit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }
}
