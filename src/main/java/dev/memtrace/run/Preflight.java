package dev.memtrace.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The checks made before strace starts, so that the common failures get memtrace's own one-line
 * message and exit status instead of strace's: strace missing (125), a command that is not found
 * (127) or not executable (126), a pid that does not exist (125). COMMAND is looked up the way
 * strace and execvp do: as given when it contains a slash, else along $PATH.
 */
public final class Preflight {

  private Preflight() {}

  /** The strace binary on $PATH ($MEMTRACE_STRACE overrides it). */
  public static String strace(Map<String, String> env) throws RunFailure {
    String override = env.get("MEMTRACE_STRACE");
    if (override != null && !override.isEmpty()) {
      if (Files.isExecutable(Path.of(override))) {
        return override;
      }
      throw new RunFailure(
          ExitCode.FAILED, "MEMTRACE_STRACE=" + override + " is not an executable file");
    }
    Path found = onPath("strace", env.get("PATH"));
    if (found == null) {
      throw new RunFailure(
          ExitCode.FAILED, "strace is not installed (on Debian or Ubuntu: apt-get install strace)");
    }
    return found.toString();
  }

  /** Fails with 127 or 126 unless {@code name} names an executable file. */
  public static void command(String name, String path) throws RunFailure {
    if (name.isEmpty()) {
      throw new RunFailure(ExitCode.NOT_FOUND, "'': command not found");
    }
    if (name.contains("/")) {
      Path p = Path.of(name);
      if (!Files.exists(p)) {
        throw new RunFailure(ExitCode.NOT_FOUND, name + ": No such file or directory");
      }
      if (Files.isDirectory(p)) {
        throw new RunFailure(ExitCode.NOT_EXECUTABLE, name + ": Is a directory");
      }
      if (!Files.isExecutable(p)) {
        throw new RunFailure(ExitCode.NOT_EXECUTABLE, name + ": Permission denied");
      }
      return;
    }
    if (onPath(name, path) != null) {
      return;
    }
    for (String dir : dirs(path)) {
      if (Files.isRegularFile(Path.of(dir, name))) {
        throw new RunFailure(ExitCode.NOT_EXECUTABLE, name + ": Permission denied");
      }
    }
    throw new RunFailure(ExitCode.NOT_FOUND, name + ": command not found");
  }

  /** Fails with 125 unless a process {@code pid} exists. */
  public static void pid(int pid) throws RunFailure {
    if (pid <= 0 || !Files.isDirectory(Path.of("/proc", Integer.toString(pid)))) {
      throw new RunFailure(ExitCode.FAILED, "no process with pid " + pid);
    }
    if (pid == ProcessHandle.current().pid()) {
      throw new RunFailure(ExitCode.FAILED, "pid " + pid + " is memtrace itself");
    }
  }

  /** The first executable regular file named {@code name} in {@code path}, or null. */
  public static Path onPath(String name, String path) {
    for (String dir : dirs(path)) {
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static String[] dirs(String path) {
    String p = path == null || path.isEmpty() ? "/usr/local/bin:/usr/bin:/bin" : path;
    return p.replace("::", ":.:").split(":");
  }
}
