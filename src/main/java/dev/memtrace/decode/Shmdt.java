package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code shmdt(addr)}. */
public final class Shmdt extends Call {

  Shmdt(SyscallEvent e) {
    super(e);
  }

  public OptionalLong addr() {
    return num(0);
  }
}
