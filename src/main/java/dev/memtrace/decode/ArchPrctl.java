package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code arch_prctl(code, addr)}. */
public final class ArchPrctl extends Call {

  /** asm/prctl.h, for logs that print it as a number (-X raw). */
  static final long ARCH_SET_FS = 0x1002;

  ArchPrctl(SyscallEvent e) {
    super(e);
  }

  /** Whether the call sets the FS base (ARCH_SET_FS, printed by name or number). */
  public boolean setsFs() {
    String t = text(0);
    if (t == null) {
      return false;
    }
    OptionalLong code = num(0);
    return t.contains("ARCH_SET_FS") || code.isPresent() && code.getAsLong() == ARCH_SET_FS;
  }

  public OptionalLong addr() {
    return num(1);
  }
}
