package dev.memtrace.decode;

import dev.memtrace.trace.Numbers;
import dev.memtrace.trace.Strings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads one argument's text as strace printed it, whatever its {@code -X} and {@code -y} options
 * were: a number (the literal itself read by {@link Numbers}), a {@code -y} decoration, a quoted
 * string, a struct field, the items of an array. It works on the texts the parser already split,
 * never on typed trees: the model looks at every memory and fd call of a log, and building trees
 * for them would cost more than the model itself. "No number" is an empty {@link OptionalLong},
 * here and in every reader built on this one.
 */
public final class ArgText {

  private ArgText() {}

  /** The value at entry of an argument that changed ({@code a => b} gives {@code a}). */
  public static String entry(String t) {
    int changed = t.indexOf(" => ");
    return changed > 0 ? t.substring(0, changed) : t;
  }

  /**
   * A number: decimal, hex, octal; {@code NULL} is 0; an fd decorated by {@code -y} ({@code
   * 3</etc/passwd>}); a {@code -X verbose} constant ({@code 0x3 /* PROT_READ *&#47;}); a product
   * ({@code 8192*1024}); {@code AT_FDCWD} is -100. Empty for anything else, and for null.
   */
  public static OptionalLong number(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    String t = bare(entry(text));
    if ("NULL".equals(t)) {
      return OptionalLong.of(0);
    }
    int star = t.indexOf('*');
    if (star > 0) {
      OptionalLong a = number(t.substring(0, star));
      OptionalLong b = number(t.substring(star + 1));
      return a.isPresent() && b.isPresent()
          ? OptionalLong.of(a.getAsLong() * b.getAsLong())
          : OptionalLong.empty();
    }
    OptionalLong v = Numbers.parse(t);
    return v.isPresent() ? v : LinuxFlags.FD.value(t);
  }

  /** {@code 3</x>} → {@code 3}; {@code 0x3 /* ... *&#47;} → {@code 0x3}. */
  public static String bare(String t) {
    int lt = t.indexOf('<');
    if (lt > 0) {
      t = t.substring(0, lt);
    }
    int comment = t.indexOf("/*");
    return (comment > 0 ? t.substring(0, comment) : t).strip();
  }

  /**
   * The -y decoration of a value ({@code 3</dev/null<char 1:3>>} → {@code /dev/null}), or null. A
   * file with no name left, which strace 6 prints as {@code 3</tmp/x>(deleted)}, keeps the mark as
   * /proc/PID/maps shows it: {@code /tmp/x (deleted)}.
   */
  public static String decoration(String t) {
    if (t == null) {
      return null;
    }
    if (t.endsWith(">(deleted)")) {
      String path = decoration(t.substring(0, t.length() - "(deleted)".length()));
      return path == null ? null : path + " (deleted)";
    }
    int lt = t.indexOf('<');
    if (lt <= 0 || !t.endsWith(">")) {
      return null;
    }
    // strace escapes the path as a C string (\303\251, \", \74 for '<'): decoded to its bytes
    // after the device note is cut off, so that it equals the name /proc/PID/maps shows
    String path = undecorate(t.substring(lt + 1, t.length() - 1));
    return path.indexOf('\\') < 0
        ? path
        : new String(Strings.decode(path, 0, path.length()), StandardCharsets.ISO_8859_1);
  }

  /** {@code /dev/null<char 1:3>} (the -yy device note) to {@code /dev/null}. */
  static String undecorate(String path) {
    if (path.endsWith(">")) {
      int lt = path.lastIndexOf('<');
      if (lt > 0) {
        return path.substring(0, lt);
      }
    }
    return path;
  }

  /** A top-level field of a struct ({@code {flags=A|B, ...}}), as text; or null. */
  public static String field(String t, String name) {
    if (t == null || !t.startsWith("{")) {
      return null;
    }
    int from = -1;
    int depth = 0;
    boolean quoted = false;
    for (int i = 1; i < t.length() && from < 0; i++) {
      char c = t.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '{' || c == '[' || c == '(') {
        depth++;
      } else if (c == '}' || c == ']' || c == ')') {
        if (depth-- == 0) {
          return null;
        }
      } else if (depth == 0
          && (i == 1 || c == ' ' && t.charAt(i - 1) == ',')
          && t.startsWith(name, i == 1 ? 1 : i + 1)) {
        int eq = (i == 1 ? 1 : i + 1) + name.length();
        if (eq < t.length() && t.charAt(eq) == '=') {
          from = eq + 1;
        }
      }
    }
    if (from < 0) {
      return null;
    }
    int end = from;
    depth = 0;
    while (end < t.length()) {
      char c = t.charAt(end);
      if (c == '{' || c == '[' || c == '(') {
        depth++;
      } else if (c == '}' || c == ']' || c == ')') {
        if (depth-- == 0) {
          break;
        }
      } else if (c == ',' && depth == 0) {
        break;
      }
      end++;
    }
    return t.substring(from, end);
  }

  /** The items of an array ({@code [3, 4]}, {@code [3<pipe:[1]>, 4<pipe:[1]>]}). */
  public static List<String> items(String t) {
    List<String> out = new ArrayList<>();
    if (t == null || !t.startsWith("[") || !t.endsWith("]") || t.length() == 2) {
      return out;
    }
    for (String item : t.substring(1, t.length() - 1).split(", ")) {
      out.add(item);
    }
    return out;
  }

  /**
   * What a string strace cut ({@code -s N}, default 32; a path longer than PATH_MAX) keeps after
   * its decoded bytes: strace prints {@code "mymemfdl"...}, and the string is not whole. Plain
   * ASCII, so it passes through every stage as the name's bytes do, and says the name is cut
   * wherever the name is shown (a maps path, a sentence, a summary row).
   */
  public static final String CUT = "... (cut by strace -s)";

  /** Whether a string {@link #unquote} gave is one strace cut. */
  public static boolean cut(String s) {
    return s != null && s.endsWith(CUT);
  }

  /**
   * A quoted string, its C escapes as strace writes them (\" \\ \n \t \r \v \f, octal, \xHH under
   * -x) decoded to bytes, a char each, and {@link #CUT} after them when strace cut it ({@code
   * "abc"...}); null when the text is not a string.
   */
  public static String unquote(String t) {
    if (t == null || !t.startsWith("\"")) {
      return null;
    }
    int close = t.indexOf('"', 1);
    if (close > 0 && t.indexOf('\\') < 0) {
      // the usual path: nothing escaped
      return t.startsWith("...", close + 1) ? t.substring(1, close) + CUT : t.substring(1, close);
    }
    // the closing quote: the first one no backslash escapes
    int end = 1;
    while (end < t.length() && t.charAt(end) != '"') {
      end += t.charAt(end) == '\\' ? 2 : 1;
    }
    end = Math.min(end, t.length());
    boolean cut = end < t.length() && t.startsWith("...", end + 1);
    // one char per byte, as log text; the escapes as trace.Strings decodes every string argument
    String bytes = new String(Strings.decode(t, 1, end), StandardCharsets.ISO_8859_1);
    return cut ? bytes + CUT : bytes;
  }
}
