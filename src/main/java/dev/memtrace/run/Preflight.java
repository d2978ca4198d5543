package dev.memtrace.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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

  /**
   * Why an execve of {@code name}, a file that exists, failed with ENOENT: the interpreter it names
   * is missing (a script's {@code #!} line, or an ELF program's PT_INTERP, the dynamic loader, as
   * in a program built for another libc), as load_script and load_elf_binary open it; null when the
   * file does not show that.
   */
  static String missingInterpreter(String name, String path) {
    Path file = name.contains("/") ? Path.of(name) : onPath(name, path);
    byte[] head;
    try (var in = file == null ? null : Files.newInputStream(file)) {
      if (in == null) {
        return null;
      }
      head = in.readNBytes(4096);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    String interp = null;
    String what = null;
    if (head.length > 2 && head[0] == '#' && head[1] == '!') {
      String line = new String(head, 2, head.length - 2, StandardCharsets.ISO_8859_1);
      String[] words = line.split("\n", 2)[0].trim().split("[ \t]+", 2);
      interp = words[0];
      what = "its #! interpreter %s does not exist";
    } else if (head.length >= 64
        && head[0] == 0x7f
        && head[1] == 'E'
        && head[2] == 'L'
        && head[3] == 'F'
        && head[4] == 2 // ELFCLASS64
        && head[5] == 1) { // little-endian
      ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
      long phoff = b.getLong(32);
      int phentsize = Short.toUnsignedInt(b.getShort(54));
      int phnum = Short.toUnsignedInt(b.getShort(56));
      for (int i = 0; i < phnum && phoff + (long) (i + 1) * phentsize <= head.length; i++) {
        int ph = (int) (phoff + (long) i * phentsize);
        if (b.getInt(ph) == 3) { // PT_INTERP
          long off = b.getLong(ph + 8);
          long size = b.getLong(ph + 32);
          if (off >= 0 && size > 1 && off + size <= head.length) {
            interp = new String(head, (int) off, (int) size, StandardCharsets.ISO_8859_1);
            interp = interp.substring(0, Math.max(0, interp.indexOf('\0'))); // a C string
            what = "the dynamic loader it was linked for, %s (its PT_INTERP), does not exist";
          }
        }
      }
    }
    try {
      if (interp == null || interp.isEmpty() || Files.exists(Path.of(interp))) {
        return null;
      }
    } catch (InvalidPathException e) {
      return null;
    }
    return String.format(what, interp);
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
