package dev.memtrace.trace;

/**
 * {@code -k} frame text after {@code " > "} (unwind.c). Paths are printed raw and C++ symbols carry
 * parameter lists, so the line is read from the right: {@code [0x...]}, then {@code +0x...)}, then
 * the {@code (} that balances the symbol's parentheses.
 */
final class Frames {

  private Frames() {}

  static StackFrame parse(String t) {
    Long offset = null;
    String rest = t;
    int br = t.lastIndexOf(" [0x");
    if (br >= 0 && t.endsWith("]")) {
      offset = Numbers.parse(t, br + 2, t.length() - 1);
      if (offset != null) {
        rest = t.substring(0, br);
      }
    }
    if (rest.endsWith("()")) {
      return new StackFrame(rest.substring(0, rest.length() - 2), null, null, offset);
    }
    if (rest.endsWith(")")) {
      int plus = rest.lastIndexOf("+0x");
      if (plus > 0) {
        Long symOff = Numbers.parse(rest, plus + 1, rest.length() - 1);
        int depth = 0;
        for (int k = plus - 1; k >= 0 && symOff != null; k--) {
          char c = rest.charAt(k);
          if (c == ')') {
            depth++;
          } else if (c == '(') {
            if (depth == 0) {
              return new StackFrame(
                  rest.substring(0, k), rest.substring(k + 1, plus), symOff, offset);
            }
            depth--;
          }
        }
      }
    }
    return new StackFrame(rest, null, null, offset);
  }
}
