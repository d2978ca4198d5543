package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code brk(addr)}: the break asked for (0 asks where it is). */
public final class Brk extends Call {

  Brk(SyscallEvent e) {
    super(e);
  }

  public OptionalLong addr() {
    return num(0);
  }
}
