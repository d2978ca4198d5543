package dev.memtrace.decode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path that names an open descriptor rather than a file: {@code /proc/self/fd/N}, {@code
 * /proc/thread-self/fd/N}, {@code /proc/PID/fd/N}, {@code /dev/fd/N} and {@code /dev/stdin}, {@code
 * /dev/stdout}, {@code /dev/stderr} (udev's links to /proc/self/fd/0, 1, 2). Opening one opens the
 * file that descriptor refers to (proc_fd_link, fs/proc/fd.c), whatever its name.
 *
 * @param pid the process whose fd table holds it; 0 for the opening process itself
 * @param fd the descriptor
 */
public record FdAlias(int pid, int fd) {

  private static final Pattern PROC =
      Pattern.compile("/(?:proc/(self|thread-self|\\d{1,9})|dev)/fd/(\\d{1,9})");

  /** The descriptor path names, or null for a path that is not such an alias. */
  public static FdAlias of(String path) {
    if (path == null || !path.startsWith("/proc/") && !path.startsWith("/dev/")) {
      return null;
    }
    switch (path) {
      case "/dev/stdin" -> {
        return new FdAlias(0, 0);
      }
      case "/dev/stdout" -> {
        return new FdAlias(0, 1);
      }
      case "/dev/stderr" -> {
        return new FdAlias(0, 2);
      }
      default -> {}
    }
    Matcher m = PROC.matcher(path);
    if (!m.matches()) {
      return null;
    }
    String who = m.group(1);
    int pid = who == null || !Character.isDigit(who.charAt(0)) ? 0 : Integer.parseInt(who);
    return new FdAlias(pid, Integer.parseInt(m.group(2)));
  }
}
