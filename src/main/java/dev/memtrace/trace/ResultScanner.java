package dev.memtrace.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what follows the {@code )} of a call: padding, {@code = }, the return value (a number,
 * possibly with a {@code -y} decoration, or {@code ?}), then in strace's order an errno name and
 * message or {@code (errno N)}, an auxiliary string in parentheses, tampering notes ({@code
 * (INJECTED...)}, {@code (DELAYED)}) and the {@code -T} time {@code <secs>} last
 * (syscall.c:syscall_exiting_trace, print_err_ret, print_injected_note).
 */
final class ResultScanner {

  Result result;
  Double duration;
  String error;

  /**
   * Scans {@code s} from just after the closing parenthesis; false (with {@link #error}) if no
   * result fits.
   */
  boolean scan(String s, int i) {
    result = null;
    duration = null;
    error = null;
    int n = s.length();
    i = PrefixScanner.skipSpaces(s, i);
    if (i >= n || s.charAt(i) != '=' || i + 1 >= n || s.charAt(i + 1) != ' ') {
      error = "expected ' = ' after the argument list";
      return false;
    }
    i += 2;
    int start = i;
    Long value = null;
    if (i < n && s.charAt(i) == '?') {
      i++;
    } else {
      int e = i < n && s.charAt(i) == '-' ? i + 1 : i;
      while (e < n && isValueChar(s.charAt(e))) {
        e++;
      }
      if (e == i || (e == i + 1 && s.charAt(i) == '-')) {
        error = "no return value after '='";
        return false;
      }
      value = Numbers.parse(s, i, e);
      if (value == null) {
        error = "return value is not a number";
        return false;
      }
      i = e;
      if (i < n && s.charAt(i) == '<') {
        i = ArgScanner.skipDecoration(s, i, n);
      }
    }
    String text = s.substring(start, i);
    if (i == n) {
      result = Result.of(text, value, null, null, null, List.of());
      return true;
    }
    // The common suffix, " <0.000037>" alone, is read here; the rest in tail(), which is big
    // and rare enough that the JIT should compile it apart instead of inlining it.
    if (s.charAt(i) == ' ' && s.charAt(i + 1 < n ? i + 1 : i) == '<' && s.charAt(n - 1) == '>') {
      Double d = PrefixScanner.decimal(s, i + 2, n - 1);
      if (d != null) {
        duration = d;
        result = Result.of(text, value, null, null, null, List.of());
        return true;
      }
    }
    return tail(s, i, text, value);
  }

  private boolean tail(String s, int i, String text, Long value) {
    int n = s.length();
    String errno = null;
    String errmsg = null;
    String aux = null;
    List<String> notes = List.of();
    while (i < n) {
      if (s.charAt(i) != ' ') {
        error = "unexpected text after the return value";
        return false;
      }
      i++;
      if (i >= n) {
        break;
      }
      char c = s.charAt(i);
      if (c == 'E' && errno == null && aux == null) {
        int e = i + 1;
        while (e < n && isErrnoChar(s.charAt(e))) {
          e++;
        }
        errno = s.substring(i, e);
        i = e;
        if (s.startsWith(" (", i)) {
          int close = closeGroup(s, i + 1);
          if (close < 0) {
            error = "unterminated error message";
            return false;
          }
          errmsg = s.substring(i + 2, close - 1);
          i = close;
        }
      } else if (c == '(') {
        int close = closeGroup(s, i);
        if (close < 0) {
          error = "unterminated '(' after the return value";
          return false;
        }
        String group = s.substring(i + 1, close - 1);
        if (group.equals("DELAYED") || group.startsWith("INJECTED")) {
          if (notes.isEmpty()) {
            notes = new ArrayList<>(2);
          }
          notes.add(group);
        } else if (errno == null && errmsg == null && aux == null && group.startsWith("errno ")) {
          errmsg = group;
        } else if (aux == null) {
          aux = group;
        } else {
          aux = aux + " (" + group + ")";
        }
        i = close;
      } else if (c == '<') {
        int close = s.indexOf('>', i);
        if (close < 0) {
          error = "unterminated <...> after the return value";
          return false;
        }
        Double d = PrefixScanner.decimal(s, i + 1, close);
        if (d == null && !s.startsWith("unavailable", i + 1)) {
          error = "bad -T time";
          return false;
        }
        duration = d;
        i = close + 1;
      } else if (c == '/' && s.startsWith("/*", i)) {
        int e = ArgScanner.skipComment(s, i, n);
        aux = aux == null ? s.substring(i, e) : aux + " " + s.substring(i, e);
        i = e;
      } else {
        error = "unexpected text after the return value";
        return false;
      }
    }
    result = Result.of(text, value, errno, errmsg, aux, notes);
    return true;
  }

  private static boolean isErrnoChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isValueChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == 'x';
  }

  /**
   * Index after the parenthesis that balances the one at {@code i}, or -1 (strings and brackets
   * skipped).
   */
  private static int closeGroup(String s, int i) {
    int close = ArgScanner.closeParen(s, i + 1, s.length());
    return close < 0 ? -1 : close + 1;
  }
}
