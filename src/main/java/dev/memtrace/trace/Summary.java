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
      Set.of(
          "%",
          "time",
          "seconds",
          "usecs/call",
          "calls",
          "errors",
          "syscall",
          "total",
          "min",
          "max",
          "avg",
          "usecs",
          "name",
          "time(s)",
          "longest",
          "shortest");

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
    } else {
      match = allWords(t, true) || allWords(t, false);
    }
    return match ? new NoticeEvent(src, Prefix.NONE, NoticeEvent.Kind.SUMMARY, line) : null;
  }

  /** A header (every cell a column title) or a row (numbers and exactly one syscall name). */
  private static boolean allWords(String t, boolean header) {
    String[] cells = t.split(" +");
    if (cells.length < 2) {
      return false;
    }
    int names = 0;
    for (String c : cells) {
      if (header) {
        if (!HEADER_WORDS.contains(c)) {
          return false;
        }
      } else if (c.chars().allMatch(ch -> PrefixScanner.isDigit(ch) || ch == '.')) {
        continue;
      } else if (c.chars().allMatch(LineParser::isNameCharInt)) {
        names++;
      } else {
        return false;
      }
    }
    return header || names == 1;
  }
}
