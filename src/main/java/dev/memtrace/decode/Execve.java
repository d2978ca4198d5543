package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;

/** {@code execve(path, argv, envp)} and {@code execveat(dirfd, path, argv, envp, flags)}. */
public final class Execve extends Call {

  Execve(SyscallEvent e) {
    super(e);
  }

  /**
   * The program run: execve's path; execveat's when it is absolute (a relative one is read from a
   * directory fd the call does not show), else null.
   */
  public String path() {
    if (name().equals("execve")) {
      return string(0);
    }
    String p = string(1);
    return p != null && p.startsWith("/") ? p : null;
  }
}
