package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code fcntl(fd, cmd, arg)}. */
public final class Fcntl extends Call {

  Fcntl(SyscallEvent e) {
    super(e);
  }

  public OptionalLong fd() {
    return num(0);
  }

  /** The F_* command. */
  public OptionalLong cmd() {
    return flags(1, LinuxFlags.FCNTL);
  }

  /** The argument, read with the same table (FD_CLOEXEC for F_SETFD). */
  public OptionalLong arg() {
    return flags(2, LinuxFlags.FCNTL);
  }
}
