package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.List;
import java.util.OptionalLong;

/** {@code pipe([rfd, wfd])} and {@code pipe2([rfd, wfd], flags)}. */
public final class Pipe extends Call {

  Pipe(SyscallEvent e) {
    super(e);
  }

  /** The two fds the call returned, as printed ({@code 3<pipe:[1]>} under -y). */
  public List<String> fds() {
    return items(0);
  }

  /** O_* bits; 0 for pipe. */
  public OptionalLong flags() {
    return name().equals("pipe2") ? flags(1, LinuxFlags.OPEN) : OptionalLong.of(0);
  }
}
