package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;

/** {@code mbind(addr, len, mode, nodemask, maxnode, flags)}: a memory policy for a range. */
public final class Mbind extends Range {

  Mbind(SyscallEvent e) {
    super(e);
  }

  /**
   * The mode as strace printed it ("MPOL_PREFERRED", with "|MPOL_F_..." mode flags), or null.
   * MPOL_DEFAULT (0) removes the range's own policy.
   */
  public String mode() {
    return text(2);
  }

  /** Whether the call removes the range's policy (MPOL_DEFAULT) rather than sets one. */
  public boolean removes() {
    String m = mode();
    return m != null && (m.equals("MPOL_DEFAULT") || m.equals("0"));
  }
}
