package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code mprotect(addr, length, prot)}, and pkey_mprotect (whose fourth argument is the key). */
public final class Mprotect extends Call {

  Mprotect(SyscallEvent e) {
    super(e);
  }

  public OptionalLong addr() {
    return num(0);
  }

  public OptionalLong length() {
    return num(1);
  }

  /** PROT_* bits. */
  public OptionalLong prot() {
    return flags(2, LinuxFlags.PROT);
  }
}
