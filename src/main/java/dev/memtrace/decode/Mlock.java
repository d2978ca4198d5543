package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;

/** {@code mlock(addr, length)}, mlock2 and munlock. */
public final class Mlock extends Range {

  Mlock(SyscallEvent e) {
    super(e);
  }

  /** Whether the call locks (mlock, mlock2) rather than unlocks. */
  public boolean locks() {
    return !name().equals("munlock");
  }
}
