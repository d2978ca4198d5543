package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code munmap(addr, length)}. */
public final class Munmap extends Call {

  Munmap(SyscallEvent e) {
    super(e);
  }

  public OptionalLong addr() {
    return num(0);
  }

  public OptionalLong length() {
    return num(1);
  }
}
