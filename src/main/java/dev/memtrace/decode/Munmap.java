package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;

/** {@code munmap(addr, length)}. */
public final class Munmap extends Range {

  Munmap(SyscallEvent e) {
    super(e);
  }
}
