package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code madvise(addr, length, advice)}. */
public final class Madvise extends Call {

  Madvise(SyscallEvent e) {
    super(e);
  }

  public OptionalLong addr() {
    return num(0);
  }

  public OptionalLong length() {
    return num(1);
  }

  /** The MADV_* value. */
  public OptionalLong advice() {
    return flags(2, LinuxFlags.MADVISE);
  }
}
