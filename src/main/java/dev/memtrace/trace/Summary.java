package dev.memtrace.trace;

import java.util.Set;

/**
 * Lines of a {@code -c}/{@code -C}/{@code -w} table (count.c): the header, the dashed rules, the
 * rows (numbers, an errors cell that may be blank, the syscall name last; the last row is {@code
 * total}) and the per-personality title. Columns change with {@code -S}/{@code -U}, so a row is
 * recognised by its kinds of cells, not by position.
 */
final class Summary {

  private static final Set<String> HEADER_WORDS =
      Set.of("%", "time", "seconds", "usecs/call", "calls", "errors", "syscall", "total", "min",
          "max", "avg", "usecs", "name", "time(s)");

  private Summary() {}

  /** A summary notice, or null when the line is not part of a table. */
  static NoticeEvent parse(Source src, String line) {
    String t = line.strip();
    if (t.isEmpty()) {
      return null;
    }
    boolean match;
    if (t.startsWith("System call usage summary for ") && t.endsWith(":")) {
      match = true;
    } else if (t.startsWith("---")) {
      match = t.chars().allMatch(c -> c == '-' || c == ' ');
    } else if (t.startsWith("%")) {
      match = allWords(t, true);
    } else {
      match = allWords(t, false);
    }
    return match ? new NoticeEvent(src, Prefix.NONE, NoticeEvent.Kind.SUMMARY, line) : null;
  }

  private static boolean allWords(String t, boolean header) {
    String[] cells = t.split(" +");
    if (cells.length < 2) {
      return false;
    }
    for (int k = 0; k < cells.length; k++) {
      String c = cells[k];
      boolean ok;
      if (header) {
        ok = HEADER_WORDS.contains(c);
      } else if (k == cells.length - 1) {
        ok = !c.isEmpty() && c.chars().allMatch(LineParser::isNameCharInt);
      } else {
        ok = !c.isEmpty() && c.chars().allMatch(ch -> PrefixScanner.isDigit(ch) || ch == '.');
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
