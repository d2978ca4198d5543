package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code getrandom(buf, length, flags)}. */
public final class Getrandom extends Call {

  Getrandom(SyscallEvent e) {
    super(e);
  }

  /** How many bytes were asked for. */
  public OptionalLong length() {
    return num(1);
  }

  /** GRND_* bits. */
  public OptionalLong flags() {
    return flags(2, LinuxFlags.GRND);
  }

  /** Whether GRND_NONBLOCK is set (false when the flags could not be read). */
  public boolean nonblocking() {
    OptionalLong f = flags();
    return f.isPresent() && (f.getAsLong() & LinuxFlags.GRND_NONBLOCK) != 0;
  }
}
