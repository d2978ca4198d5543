package dev.memtrace.trace;

import java.util.List;

/**
 * What follows {@code ") = "}: the return text as printed ({@code "0x7f..."}, {@code "3</etc/x>"},
 * {@code "?"}), its numeric value when it has one, the errno name and message, the auxiliary string
 * in parentheses, and tampering notes ({@code INJECTED}, {@code DELAYED}).
 */
public record Result(
    String text, Long value, String errno, String errmsg, String aux, List<String> notes) {

  public Result {
    notes = List.copyOf(notes);
  }

  public boolean failed() {
    return errno != null || (value != null && value < 0 && value >= -4095 && errmsg != null);
  }
}
