package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code close(fd)}. */
public final class Close extends Call {

  Close(SyscallEvent e) {
    super(e);
  }

  public OptionalLong fd() {
    return num(0);
  }
}
