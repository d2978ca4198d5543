package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/**
 * {@code dup(old)}, {@code dup2(old, new)}, {@code dup3(old, new, flags)}: the new fd is the
 * result.
 */
public final class Dup extends Call {

  Dup(SyscallEvent e) {
    super(e);
  }

  public OptionalLong oldFd() {
    return num(0);
  }

  /** The old fd's path under -y, or null. */
  public String oldPath() {
    return fdPath(0);
  }

  /** O_CLOEXEC for dup3; 0 for the others. */
  public OptionalLong flags() {
    return name().equals("dup3") ? flags(2, LinuxFlags.OPEN) : OptionalLong.of(0);
  }
}
