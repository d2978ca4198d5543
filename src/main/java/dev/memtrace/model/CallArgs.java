package dev.memtrace.model;

import dev.memtrace.model.abi.FlagTable;
import dev.memtrace.model.abi.LinuxFlags;
import dev.memtrace.trace.Numbers;
import dev.memtrace.trace.Strings;
import dev.memtrace.trace.SyscallEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads a call's arguments the way the model needs them, whatever strace's {@code -X} and {@code
 * -y} options were: numbers, flag sets decoded through a {@link FlagTable}, fd paths from
 * decorations, strings, {@code name=value} arguments (clone) and struct fields (clone3). It works
 * on the argument texts the parser already split, never on typed trees: the model looks at every
 * memory and fd call of a log, and building trees for them would cost more than the model itself.
 */
final class CallArgs {

  private final SyscallEvent e;
  private final List<String> texts;

  CallArgs(SyscallEvent e) {
    this.e = e;
    this.texts = e.args().texts();
  }

  int size() {
    return texts.size();
  }

  /** Argument i as printed; for a value that changed ({@code a => b}), the value at entry. */
  String text(int i) {
    if (i >= texts.size()) {
      return "";
    }
    String t = texts.get(i);
    int changed = t.indexOf(" => ");
    return changed > 0 ? t.substring(0, changed) : t;
  }

  /** A plain number (an address, a length, an fd); NULL is 0; AT_FDCWD is -100. */
  OptionalLong num(int i) {
    if (i >= texts.size()) {
      return OptionalLong.empty();
    }
    String t = bare(text(i));
    if ("NULL".equals(t)) {
      return OptionalLong.of(0);
    }
    OptionalLong v = Numbers.parse(t);
    return v.isPresent() ? v : LinuxFlags.FD.value(t);
  }

  OptionalLong flags(int i, FlagTable table) {
    return i >= texts.size() ? OptionalLong.empty() : table.decodeText(text(i));
  }

  /** The path strace printed for an fd argument under -y ({@code 3</etc/x>}), or null. */
  String fdPath(int i) {
    return i >= texts.size() ? null : decoration(text(i));
  }

  /**
   * A quoted string argument, its escapes decoded to bytes (a char each); null when it is not a
   * string.
   */
  String string(int i) {
    return i >= texts.size() ? null : unquote(text(i));
  }

  /** A {@code name=value} argument's value text (clone prints its arguments so). */
  String named(String name) {
    int n = name.length();
    for (String t : texts) {
      if (t.length() > n && t.charAt(n) == '=' && t.startsWith(name)) {
        return t.substring(n + 1);
      }
    }
    return null;
  }

  /** A top-level field of a struct argument ({@code {flags=A|B, ...}}), as text; or null. */
  String field(int i, String name) {
    String t = text(i);
    if (!t.startsWith("{")) {
      return null;
    }
    String key = name + "=";
    int at = t.startsWith(key, 1) ? 1 : t.indexOf(", " + key);
    if (at < 0) {
      return null;
    }
    int from = at + (at == 1 ? 0 : 2) + key.length();
    int end = from;
    int depth = 0;
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

  /** The items of an array argument ({@code [3, 4]}, {@code [3<pipe:[1]>, 4<pipe:[1]>]}). */
  List<String> items(int i) {
    String t = text(i);
    List<String> out = new ArrayList<>();
    if (!t.startsWith("[") || !t.endsWith("]") || t.length() == 2) {
      return out;
    }
    for (String item : t.substring(1, t.length() - 1).split(", ")) {
      out.add(item);
    }
    return out;
  }

  long result() {
    Long v = e.result().value();
    if (v != null) {
      return v;
    }
    return Numbers.parse(bare(e.result().text())).orElse(-1);
  }

  /** The path in a decorated return value ({@code 3</etc/passwd>}), or null. */
  String resultPath() {
    return decoration(e.result().text());
  }

  /** {@code 3</x>} → {@code 3}; {@code 0x3 /* ... *&#47;} → {@code 0x3}. */
  static String bare(String t) {
    int lt = t.indexOf('<');
    if (lt > 0) {
      t = t.substring(0, lt);
    }
    int comment = t.indexOf(" /*");
    return (comment > 0 ? t.substring(0, comment) : t).strip();
  }

  /** The -y decoration of a value ({@code 3</dev/null<char 1:3>>} → {@code /dev/null}), or null. */
  static String decoration(String t) {
    int lt = t.indexOf('<');
    if (lt <= 0 || !t.endsWith(">")) {
      return null;
    }
    // strace escapes the path as a C string (\303\251, \", \74 for '<'): decoded to its bytes
    // after the device note is cut off, so that it equals the name /proc/PID/maps shows
    String path = Paths.undecorate(t.substring(lt + 1, t.length() - 1));
    return path.indexOf('\\') < 0
        ? path
        : new String(Strings.decode(path, 0, path.length()), StandardCharsets.ISO_8859_1);
  }

  /** C string escapes as strace writes them: \" \\ \n \t \r \v \f, octal, and \xHH under -x. */
  static String unquote(String t) {
    if (!t.startsWith("\"")) {
      return null;
    }
    int close = t.indexOf('"', 1);
    if (close > 0 && t.indexOf('\\') < 0) {
      return t.substring(1, close); // the usual path: nothing escaped
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream(t.length());
    for (int i = 1; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '"') {
        break;
      }
      if (c != '\\' || i + 1 >= t.length()) {
        b.write(c);
        continue;
      }
      char n = t.charAt(++i);
      switch (n) {
        case 'n' -> b.write('\n');
        case 't' -> b.write('\t');
        case 'r' -> b.write('\r');
        case 'v' -> b.write(0x0b);
        case 'f' -> b.write('\f');
        case 'x' -> {
          int end = Math.min(i + 3, t.length());
          b.write(Integer.parseInt(t.substring(i + 1, end), 16));
          i = end - 1;
        }
        default -> {
          if (n >= '0' && n <= '7') {
            int end = i;
            while (end < t.length()
                && end < i + 3
                && t.charAt(end) >= '0'
                && t.charAt(end) <= '7') {
              end++;
            }
            b.write(Integer.parseInt(t.substring(i, end), 8));
            i = end - 1;
          } else {
            b.write(n);
          }
        }
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1); // one char per byte, as log text is held
  }
}
