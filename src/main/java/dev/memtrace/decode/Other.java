package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;

/** A call memtrace reads no typed field of: its arguments by position only. */
public final class Other extends Call {

  Other(SyscallEvent e) {
    super(e);
  }
}
