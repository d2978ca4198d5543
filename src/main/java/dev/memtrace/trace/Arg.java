package dev.memtrace.trace;

import java.util.List;
import java.util.OptionalLong;

/**
 * One decoded argument value, as a small typed tree. Every node keeps the text strace printed for
 * it, so nothing is lost when a consumer only wants the text.
 */
public sealed interface Arg {

  /** The text as printed. */
  String text();

  /** The numeric value when this is (or decorates, or comments) a number. */
  default OptionalLong asLong() {
    return OptionalLong.empty();
  }

  /** {@code 42}, {@code 0x7f00}, {@code 0644}, {@code -1}. */
  record Num(String text, long value) implements Arg {
    @Override
    public OptionalLong asLong() {
      return OptionalLong.of(value);
    }
  }

  /** A quoted string with its escapes decoded to bytes; truncated when strace printed "...". */
  record Str(String text, byte[] bytes, boolean truncated) implements Arg {}

  /** A bare symbol: {@code NULL}, {@code AT_FDCWD}, {@code SEEK_SET}, {@code ...}. */
  record Sym(String text) implements Arg {
    @Override
    public OptionalLong asLong() {
      return "NULL".equals(text) ? OptionalLong.of(0) : OptionalLong.empty();
    }
  }

  /** {@code A|B|0x100}: the parts in order. */
  record Flags(String text, List<Arg> parts) implements Arg {
    public Flags {
      parts = List.copyOf(parts);
    }
  }

  /** {@code {name=value, ...}}; an elided tail shows as a field with a null name and Sym "...". */
  record Struct(String text, List<Field> fields) implements Arg {
    public Struct {
      fields = List.copyOf(fields);
    }

    public Arg get(String name) {
      for (Field f : fields) {
        if (name.equals(f.name())) {
          return f.value();
        }
      }
      return null;
    }
  }

  /** A struct member; name is null for positional elements such as {@code ...}. */
  record Field(String name, Arg value) {}

  /** {@code [a, b]}, also a pointer to one value ({@code [16]}) and indexed arrays. */
  record Array(String text, List<Arg> items) implements Arg {
    public Array {
      items = List.copyOf(items);
    }
  }

  /** {@code [USR1 TERM]} or {@code ~[KILL STOP]}. */
  record BitSet(String text, boolean complement, List<String> members) implements Arg {
    public BitSet {
      members = List.copyOf(members);
    }
  }

  /** An fd with a {@code -y} decoration: {@code 3</etc/passwd>}, {@code 4<pipe:[1]>}. */
  record Fd(String text, Arg fd, String path, boolean deleted) implements Arg {
    @Override
    public OptionalLong asLong() {
      return fd.asLong();
    }
  }

  /** {@code makedev(0x1, 0x3)}, {@code htons(80)}, {@code inet_addr("127.0.0.1")}. */
  record Call(String text, String function, List<Arg> args) implements Arg {
    public Call {
      args = List.copyOf(args);
    }
  }

  /** {@code value /* comment *&#47;}: -X verbose constants, {@code /* 2 vars *&#47;}. */
  record Commented(String text, Arg value, String comment) implements Arg {
    @Override
    public OptionalLong asLong() {
      return value.asLong();
    }
  }

  /** {@code before => after}: a value changed between entry and exit. */
  record Changed(String text, Arg before, Arg after) implements Arg {
    @Override
    public OptionalLong asLong() {
      return after.asLong();
    }
  }

  /** A named top-level argument: {@code flags=CLONE_VM|SIGCHLD} in clone. */
  record Named(String text, String name, Arg value) implements Arg {
    @Override
    public OptionalLong asLong() {
      return value.asLong();
    }
  }

  /** Anything else, kept as text: {@code 8192*1024}, {@code WIFEXITED(s) && ...}. */
  record Other(String text) implements Arg {}
}
