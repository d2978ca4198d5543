package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;
import java.util.Set;

/** {@code madvise(addr, length, advice)}. */
public final class Madvise extends Range {

  Madvise(SyscallEvent e) {
    super(e);
  }

  /** The MADV_* value. */
  public OptionalLong advice() {
    return flags(2, LinuxFlags.MADVISE);
  }

  /** The MADV_* name of the advice (a value, not bits). */
  public Set<String> adviceNames() {
    return names(2, LinuxFlags.MADVISE, false);
  }
}
