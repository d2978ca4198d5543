package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code shmget(key, size, flags)}: the id it returns names a segment of that size. */
public final class Shmget extends Call {

  Shmget(SyscallEvent e) {
    super(e);
  }

  /** IPC_PRIVATE or the key. */
  public OptionalLong key() {
    return flags(0, LinuxFlags.SHM);
  }

  public OptionalLong segmentSize() {
    return num(1);
  }
}
