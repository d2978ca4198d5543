package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code shmat(id, addr, flags)}. */
public final class Shmat extends Call {

  Shmat(SyscallEvent e) {
    super(e);
  }

  public OptionalLong id() {
    return num(0);
  }

  /** SHM_* bits. */
  public OptionalLong flags() {
    return flags(2, LinuxFlags.SHM);
  }
}
