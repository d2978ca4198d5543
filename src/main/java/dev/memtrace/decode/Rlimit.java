package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/**
 * {@code getrlimit(resource, {rlim_cur, rlim_max})}, {@code setrlimit(resource, {...})} and {@code
 * prlimit64(pid, resource, new, old)}.
 */
public final class Rlimit extends Call {

  /** asm-generic/resource.h, for logs that print it as a number (-X raw). */
  static final long RLIMIT_STACK = 3;

  Rlimit(SyscallEvent e) {
    super(e);
  }

  private int resourceArg() {
    return name().equals("prlimit64") ? 1 : 0;
  }

  /** asm-generic/resource.h, for logs that print it as a number (-X raw). */
  static final long RLIMIT_AS = 9;

  /** Whether the limit is RLIMIT_AS, printed by name or number. */
  public boolean isAddressSpace() {
    return is("RLIMIT_AS", RLIMIT_AS);
  }

  /** Whether the limit is RLIMIT_STACK, printed by name or number. */
  public boolean isStack() {
    return is("RLIMIT_STACK", RLIMIT_STACK);
  }

  /** Whether the resource argument is this one, printed by name or (-X raw) by number. */
  private boolean is(String name, long number) {
    String t = text(resourceArg());
    if (t == null) {
      return false;
    }
    OptionalLong r = num(resourceArg());
    return t.contains(name) || r.isPresent() && r.getAsLong() == number;
  }

  /**
   * The first rlim_cur printed (the new limit when one is set, else the old one): -1 for
   * RLIM64_INFINITY, by name or as the number; empty when none is printed or it is no number.
   */
  public OptionalLong current() {
    for (int i = resourceArg() + 1; i < size(); i++) {
      String cur = field(i, "rlim_cur");
      if (cur != null) {
        String t = cur.trim();
        return t.contains("INFINITY") ? OptionalLong.of(-1) : ArgText.number(t);
      }
    }
    return OptionalLong.empty();
  }
}
