package dev.memtrace.model;

import dev.memtrace.model.abi.FlagTable;
import dev.memtrace.model.abi.LinuxFlags;
import dev.memtrace.model.abi.Numbers;
import dev.memtrace.trace.Arg;
import dev.memtrace.trace.SyscallEvent;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Reads a call's arguments the way the model needs them, whatever strace's {@code -X} and
 * {@code -y} options were: numbers, flag sets decoded through a {@link FlagTable}, fd paths from
 * decorations, strings, {@code name=value} arguments (clone) and struct fields (clone3).
 */
final class CallArgs {

  private final SyscallEvent e;

  CallArgs(SyscallEvent e) {
    this.e = e;
  }

  int size() {
    return e.args().size();
  }

  Arg arg(int i) {
    if (i >= size()) {
      return null;
    }
    Arg a = e.args().get(i);
    return a instanceof Arg.Changed c ? c.before() : a;
  }

  /** A plain number (an address, a length, an fd); NULL is 0; AT_FDCWD is -100. */
  OptionalLong num(int i) {
    Arg a = arg(i);
    if (a == null) {
      return OptionalLong.empty();
    }
    OptionalLong v = a.asLong();
    if (v.isPresent()) {
      return v;
    }
    Arg inner = a instanceof Arg.Fd fd ? fd.fd() : a;
    OptionalLong sym = LinuxFlags.FD.decode(inner);
    return sym.isPresent() ? sym : Numbers.parse(inner.text());
  }

  OptionalLong flags(int i, FlagTable table) {
    Arg a = arg(i);
    return a == null ? OptionalLong.empty() : table.decode(a);
  }

  /** The path strace printed for an fd argument under -y, with " (deleted)" as maps shows it. */
  String fdPath(int i) {
    Arg a = arg(i);
    if (a instanceof Arg.Fd fd && fd.path() != null) {
      return Paths.undecorate(fd.path()) + (fd.deleted() ? " (deleted)" : "");
    }
    return null;
  }

  String string(int i) {
    Arg a = arg(i);
    if (a instanceof Arg.Str s) {
      return new String(s.bytes(), StandardCharsets.UTF_8);
    }
    return null;
  }

  /** A {@code name=value} argument's value text (clone prints its arguments so). */
  String named(String name) {
    String prefix = name + "=";
    for (String t : e.args().texts()) {
      if (t.startsWith(prefix)) {
        return t.substring(prefix.length());
      }
    }
    return null;
  }

  /** A field of a struct argument (clone3's {flags=...}). */
  Arg field(int i, String name) {
    Arg a = arg(i);
    return a instanceof Arg.Struct s ? s.get(name) : null;
  }

  long result() {
    Long v = e.result().value();
    if (v != null) {
      return v;
    }
    return Numbers.parse(e.result().text()).orElse(-1);
  }

  /** The path in a decorated return value ({@code 3</etc/passwd>}), or null. */
  String resultPath() {
    String t = e.result().text();
    int lt = t.indexOf('<');
    if (lt < 0 || !t.endsWith(">")) {
      return null;
    }
    return Paths.undecorate(t.substring(lt + 1, t.length() - 1));
  }
}
