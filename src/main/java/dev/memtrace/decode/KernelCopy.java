package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/**
 * A copy the kernel makes between two fds itself: {@code copy_file_range(fd_in, off_in, fd_out,
 * off_out, len, flags)}, {@code splice(fd_in, off_in, fd_out, off_out, len, flags)} and {@code
 * sendfile(out_fd, in_fd, offset, count)} (and sendfile64).
 */
public final class KernelCopy extends Call {

  KernelCopy(SyscallEvent e) {
    super(e);
  }

  private boolean sendfile() {
    return name().startsWith("sendfile");
  }

  /** The argument position of the fd copied from. */
  private int in() {
    return sendfile() ? 1 : 0;
  }

  /** The argument position of the fd copied to. */
  private int out() {
    return sendfile() ? 0 : 2;
  }

  public OptionalLong fromFd() {
    return num(in());
  }

  public OptionalLong toFd() {
    return num(out());
  }

  /** The fd copied from as strace printed it. */
  public String fromText() {
    return text(in());
  }

  public String toText() {
    return text(out());
  }

  /** The path strace printed for the fd copied from under -y, or null. */
  public String fromPath() {
    return fdPath(in());
  }

  public String toPath() {
    return fdPath(out());
  }
}
