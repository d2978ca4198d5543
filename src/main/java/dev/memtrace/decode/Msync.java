package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;

/** {@code msync(addr, length, flags)}: writes a shared file mapping's dirty pages back. */
public final class Msync extends Range {

  Msync(SyscallEvent e) {
    super(e);
  }
}
