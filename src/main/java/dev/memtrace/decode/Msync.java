package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code msync(addr, length, flags)}: writes a shared file mapping's dirty pages back. */
public final class Msync extends Range {

  Msync(SyscallEvent e) {
    super(e);
  }

  /**
   * The MS_* flags, whatever the -X spelling (empty when strace printed a name it does not know).
   */
  public OptionalLong flags() {
    return flags(2, LinuxFlags.MSYNC);
  }
}
