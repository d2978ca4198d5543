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

  /**
   * The program as the call names it: execve's path, execveat's path argument (relative to a
   * directory fd the call does not show when it is not absolute); null for fexecve's empty path
   * (AT_EMPTY_PATH: the fd alone names the file).
   */
  public String named() {
    String p = string(name().equals("execve") ? 0 : 1);
    return p == null || p.isEmpty() ? null : p;
  }

  /**
   * Whether path names the calling process's own executable: {@code /proc/self/exe}, {@code
   * /proc/thread-self/exe} or {@code /proc/PID/exe} with the caller's pid (chromium re-executes
   * itself so). The kernel resolves the link to the exec'ing process's mm->exe_file (proc_exe_link,
   * fs/proc/base.c): the program its own execve ran, not a file of that name.
   */
  public static boolean ownExe(String path, int pid) {
    if (path == null || !path.startsWith("/proc/") || !path.endsWith("/exe")) {
      return false;
    }
    String who = path.substring(6, path.length() - 4);
    return who.equals("self")
        || who.equals("thread-self")
        || pid > 0 && who.equals(Integer.toString(pid));
  }
}
