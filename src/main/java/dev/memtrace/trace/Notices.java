package dev.memtrace.trace;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * strace's own messages (error_prints.c). They start with strace's argv[0] as typed, so {@code
 * strace: } or {@code /usr/bin/strace: }; in stderr-mode logs they sit among the records.
 */
final class Notices {

  /** A notice spliced into the end of a record line in stderr mode (strace-format.md section 8). */
  static final Pattern SPLICED =
      Pattern.compile("(\\S*/)?strace: Process \\d+ attached(?: with \\d+ threads)?$");

  private static final Pattern PROCESS =
      Pattern.compile("Process (\\d+) (attached|detached)(?: with \\d+ threads)?.*");

  private Notices() {}

  /** A notice event, or null when the line does not start with {@code strace: }. */
  static NoticeEvent parse(Source src, String line) {
    int colon = line.indexOf("strace: ");
    if (colon < 0) {
      return null;
    }
    for (int k = 0; k < colon; k++) {
      if (line.charAt(k) == ' ') {
        return null;
      }
    }
    if (colon > 0 && line.charAt(colon - 1) != '/') {
      return null;
    }
    String text = line.substring(colon + 8);
    Matcher m = PROCESS.matcher(text);
    NoticeEvent.Kind kind = NoticeEvent.Kind.STRACE_MESSAGE;
    Prefix p = Prefix.NONE;
    if (m.matches()) {
      kind = m.group(2).equals("attached") ? NoticeEvent.Kind.ATTACHED : NoticeEvent.Kind.DETACHED;
      p = Prefix.NONE.withPid(PrefixScanner.parseInt(m.group(1), 0, m.group(1).length()));
    }
    return new NoticeEvent(src, p, kind, line);
  }
}
