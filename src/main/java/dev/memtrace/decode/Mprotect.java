package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;
import java.util.Set;

/** {@code mprotect(addr, length, prot)}, and pkey_mprotect (whose fourth argument is the key). */
public final class Mprotect extends Range {

  Mprotect(SyscallEvent e) {
    super(e);
  }

  /** PROT_* bits. */
  public OptionalLong prot() {
    return flags(2, LinuxFlags.PROT);
  }

  /** The PROT_* names set (none: PROT_NONE). */
  public Set<String> protNames() {
    return names(2, LinuxFlags.PROT, true);
  }
}
