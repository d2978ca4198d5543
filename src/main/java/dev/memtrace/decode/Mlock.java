package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code mlock(addr, length)}, mlock2 and munlock. */
public final class Mlock extends Call {

  Mlock(SyscallEvent e) {
    super(e);
  }

  public OptionalLong addr() {
    return num(0);
  }

  public OptionalLong length() {
    return num(1);
  }

  /** Whether the call locks (mlock, mlock2) rather than unlocks. */
  public boolean locks() {
    return !name().equals("munlock");
  }
}
