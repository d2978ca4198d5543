package dev.memtrace.trace;

import java.util.List;
import java.util.OptionalLong;

/**
 * What follows {@code ") = "}: the return text as printed ({@code "0x7f..."}, {@code "3</etc/x>"},
 * {@code "?"}), its numeric value (empty when it has none: {@code ?}), the errno name and message,
 * the auxiliary string in parentheses, and tampering notes ({@code INJECTED}, {@code DELAYED}).
 */
public record Result(
    String text, OptionalLong value, String errno, String errmsg, String aux, List<String> notes) {

  public Result {
    notes = List.copyOf(notes);
  }

  /** A result from a parser's number, null when the text is none ({@code ?}). */
  public static Result of(
      String text, Long value, String errno, String errmsg, String aux, List<String> notes) {
    return new Result(
        text,
        value == null ? OptionalLong.empty() : OptionalLong.of(value),
        errno,
        errmsg,
        aux,
        notes);
  }

  /**
   * strace made this result itself ({@code -e inject=...:error=} or {@code retval=}): it changed
   * the call's number at entry, so the kernel did not run the call (syscall.c:
   * tamper_with_syscall_entering), and printed {@code (INJECTED)}. {@code (INJECTED: args)} alone
   * only poked the call's memory: the call ran.
   */
  public boolean injected() {
    for (int i = 0, n = notes.size(); i < n; i++) {
      String note = notes.get(i);
      if (note.equals("INJECTED") || note.equals("INJECTED: args, retval")) {
        return true;
      }
    }
    return false;
  }

  public boolean failed() {
    if (errno != null) {
      return true;
    }
    long v = value.orElse(0);
    return v < 0 && v >= -4095 && errmsg != null;
  }
}
