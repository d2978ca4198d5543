package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code mmap(addr, length, prot, flags, fd, offset)} (and mmap2). */
public final class Mmap extends Call {

  Mmap(SyscallEvent e) {
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

  /** MAP_* bits. */
  public OptionalLong flags() {
    return flags(3, LinuxFlags.MAP);
  }

  public OptionalLong fd() {
    return num(4);
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
