package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code openat(dirfd, path, flags)}, {@code open(path, flags)} and {@code creat(path, mode)}. */
public final class Open extends Call {

  Open(SyscallEvent e) {
    super(e);
  }

  private boolean at() {
    return name().equals("openat");
  }

  /** The directory fd a relative path is read from: AT_FDCWD (-100) for open and creat. */
  public OptionalLong dirfd() {
    return at() ? num(0) : OptionalLong.of(LinuxFlags.AT_FDCWD);
  }

  /** The directory fd's path under -y, or null. */
  public String dirPath() {
    return at() ? fdPath(0) : null;
  }

  /** The path asked for, escapes decoded; null when strace printed no string. */
  public String path() {
    return string(at() ? 1 : 0);
  }

  /** O_* bits (creat has none: 0). */
  public OptionalLong flags() {
    return name().equals("creat") ? OptionalLong.of(0) : flags(at() ? 2 : 1, LinuxFlags.OPEN);
  }
}
