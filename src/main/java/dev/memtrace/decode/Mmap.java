package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;
import java.util.Set;

/** {@code mmap(addr, length, prot, flags, fd, offset)} (and mmap2). */
public final class Mmap extends Range {

  Mmap(SyscallEvent e) {
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

  /** MAP_* bits. */
  public OptionalLong flags() {
    return flags(3, LinuxFlags.MAP);
  }

  public OptionalLong fd() {
    return num(4);
  }

  /** The path strace printed for the fd under -y, or null. */
  public String fdPath() {
    return fdPath(4);
  }

  /** The MAP_* names set. */
  public Set<String> flagNames() {
    return names(3, LinuxFlags.MAP, true);
  }

  public OptionalLong offset() {
    return num(5);
  }

  /** Whether MAP_ANONYMOUS is set (false when the flags could not be read). */
  public boolean anonymous() {
    OptionalLong f = flags();
    return f.isPresent() && (f.getAsLong() & LinuxFlags.MAP_ANONYMOUS) != 0;
  }
}
