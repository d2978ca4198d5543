package dev.memtrace.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path through argument text: quoted strings, balanced {@code () [] {}}, {@code -y}
 * decorations and comments are skipped as units, so that the {@code )} closing an argument list and
 * the {@code , } between top-level arguments are found without building any tree. Strings may
 * contain {@code ") = "}, decorations may contain {@code (}, {@code [} and a raw {@code ->}, so a
 * regex over the line would not do.
 */
final class ArgScanner {

  private ArgScanner() {}

  /** The characters the scans stop at; any other is passed by with one table look-up. */
  private static final boolean[] STOP = new boolean[128];

  static {
    for (char c : "\"()[]{}</,".toCharArray()) {
      STOP[c] = true;
    }
  }

  /** Whether the scans must look at {@code c}: most characters of an argument list are plain. */
  private static boolean stop(char c) {
    return c < 128 && STOP[c];
  }

  /**
   * Index of the {@code )} that closes a list opened just before {@code from}, or -1 when the text
   * ends first (an entry half, a cut-off line, a spliced stderr line), or -2 when a bracket closes
   * that was never opened.
   */
  static int closeParen(String s, int from, int to) {
    return closeParen(s, from, to, null);
  }

  /**
   * As {@link #closeParen(String, int, int)}, also recording the depth-0 commas when {@code commas}
   * is given.
   */
  static int closeParen(String s, int from, int to, Commas commas) {
    int depth = 0;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (!stop(c)) {
        i++;
        continue;
      }
      switch (c) {
        case '(', '[', '{' -> {
          depth++;
          i++;
        }
        case ')', ']', '}' -> {
          if (depth == 0) {
            return c == ')' ? i : -2;
          }
          depth--;
          i++;
        }
        case ',' -> {
          if (depth == 0 && commas != null) {
            commas.add(i);
          }
          i++;
        }
        default -> i = pastUnit(s, i, to, c);
      }
    }
    return -1;
  }

  /**
   * Where both scans go on after {@code c}, the character at {@code i}, when it is neither a
   * bracket nor a comma: past a string, a {@code -y} decoration or a comment as a whole, else to
   * the next character.
   */
  private static int pastUnit(String s, int i, int to, char c) {
    return switch (c) {
      case '"' -> skipString(s, i, to);
      case '<' -> isDecorationStart(s, i, to) ? skipDecoration(s, i, to) : i + 1;
      case '/' -> i + 1 < to && s.charAt(i + 1) == '*' ? skipComment(s, i, to) : i + 1;
      default -> i + 1;
    };
  }

  /** A reusable list of comma positions, so the scan that finds the ')' also splits. */
  static final class Commas {
    int[] at = new int[16];
    int size;

    void clear() {
      size = 0;
    }

    void add(int i) {
      if (size == at.length) {
        at = Arrays.copyOf(at, size * 2);
      }
      at[size++] = i;
    }
  }

  /** Splits argument text at depth-0 commas; each piece loses the one space after its comma. */
  static List<String> split(String s, int from, int to) {
    List<String> out = new ArrayList<>(6);
    if (from >= to) {
      return out;
    }
    int depth = 0;
    int start = from;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (!stop(c)) {
        i++;
        continue;
      }
      switch (c) {
        case '(', '[', '{' -> {
          depth++;
          i++;
        }
        case ')', ']', '}' -> {
          depth = Math.max(0, depth - 1);
          i++;
        }
        case ',' -> {
          if (depth == 0) {
            out.add(s.substring(start, i));
            i++;
            if (i < to && s.charAt(i) == ' ') {
              i++;
            }
            start = i;
          } else {
            i++;
          }
        }
        default -> i = pastUnit(s, i, to, c);
      }
    }
    if (start < to) {
      out.add(s.substring(start, to));
    }
    return out;
  }

  /**
   * Index just after the closing quote (or {@code to} when the string is cut off). Strings are the
   * longest stretches of a line (buffers under {@code -s 4096}), so the search for the next quote
   * is left to the intrinsic {@link String#indexOf(int, int)}; a quote is escaped when an odd
   * number of backslashes precedes it.
   */
  static int skipString(String s, int i, int to) {
    int q = i;
    while (true) {
      q = s.indexOf('"', q + 1);
      if (q < 0 || q >= to) {
        return to;
      }
      int b = q - 1;
      while (b > i && s.charAt(b) == '\\') {
        b--;
      }
      if (((q - 1 - b) & 1) == 0) {
        return q + 1;
      }
    }
  }

  /**
   * A {@code -y} decoration follows an fd number or {@code AT_FDCWD} directly: {@code 3</x>},
   * {@code AT_FDCWD</home>}; {@code 1<<20} is a shift and {@code (<... resuming ...>)} has no
   * brackets to confuse the count.
   */
  static boolean isDecorationStart(String s, int i, int to) {
    if (i == 0 || i + 1 >= to || s.charAt(i + 1) == '<') {
      return false;
    }
    char p = s.charAt(i - 1);
    return (p >= '0' && p <= '9') || (p >= 'A' && p <= 'Z') || (p >= 'a' && p <= 'z') || p == '>';
  }

  /**
   * Index after a decoration that starts at {@code i} (a {@code <}), including a trailing {@code
   * (deleted)}. Nested {@code <char 1:3>} is counted; a {@code ->} followed by an address or inode
   * ({@code TCP:[1.2.3.4:5->6.7.8.9:10]}) is an arrow, not the end; {@code <} and {@code >} in
   * paths are escaped by strace, so any other {@code >} closes.
   */
  static int skipDecoration(String s, int i, int to) {
    int depth = 0;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '<') {
        depth++;
      } else if (c == '>') {
        boolean arrow = s.charAt(i - 1) == '-' && i + 1 < to && isArrowTarget(s.charAt(i + 1));
        if (!arrow && --depth == 0) {
          i++;
          if (s.startsWith("(deleted)", i)) {
            i += 9;
          }
          return Math.min(i, to);
        }
      }
      i++;
    }
    return to;
  }

  private static boolean isArrowTarget(char c) {
    return (c >= '0' && c <= '9') || c == '[' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static int skipComment(String s, int i, int to) {
    int e = s.indexOf("*/", i + 2);
    return e < 0 || e + 2 > to ? to : e + 2;
  }
}
