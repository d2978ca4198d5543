package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/**
 * {@code prctl(option, ...)}: read only for {@code PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len,
 * "name"}, with which a program names an anonymous range ({@code [anon:name]} in /proc/PID/maps,
 * Linux 5.17 and later with CONFIG_ANON_VMA_NAME; kernel/sys.c {@code prctl_set_vma}).
 */
public final class Prctl extends Call {

  /** linux/prctl.h, for logs that print them as numbers (-X raw). */
  static final long PR_SET_VMA = 0x53564d41;

  static final long PR_SET_VMA_ANON_NAME = 0;

  Prctl(SyscallEvent e) {
    super(e);
  }

  /** Whether the call names an anonymous range (PR_SET_VMA, PR_SET_VMA_ANON_NAME). */
  public boolean namesAnonRange() {
    String option = text(0);
    String sub = text(1);
    if (option == null || sub == null) {
      return false;
    }
    OptionalLong o = num(0);
    OptionalLong s = num(1);
    boolean vma = option.equals("PR_SET_VMA") || o.isPresent() && o.getAsLong() == PR_SET_VMA;
    boolean anonName =
        sub.equals("PR_SET_VMA_ANON_NAME")
            || s.isPresent() && s.getAsLong() == PR_SET_VMA_ANON_NAME;
    return vma && anonName;
  }

  public OptionalLong addr() {
    return num(2);
  }

  public OptionalLong length() {
    return num(3);
  }

  /** The name given, or null (NULL clears a name). */
  public String anonName() {
    String t = text(4);
    return t == null || !t.startsWith("\"") ? null : string(4);
  }
}
