package dev.memtrace.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Refuses an output that is one of the inputs: {@code analyze -o t.log t.log} would truncate the
 * log before reading it, and {@code run --save X -o X} would interleave two formats in one file.
 * "The same" is the same file (device and inode, as {@link Files#isSameFile} compares them), so
 * another name or a link for it counts too. As in coreutils' cat, only regular files are compared:
 * {@code /dev/null} or a terminal may well be both.
 */
public final class SameFile {

  private SameFile() {}

  /** The first of {@code inputs} that is the file {@code output}, or null. */
  static Path among(Path output, List<Path> inputs) {
    if (!Files.isRegularFile(output)) {
      return null; // not there yet (nothing to destroy), or a device, a pipe
    }
    for (Path in : inputs) {
      try {
        if (in != null && Files.isRegularFile(in) && Files.isSameFile(output, in)) {
          return in;
        }
      } catch (IOException | SecurityException e) {
        // cannot be compared: the input's own reading will say what is wrong with it
      }
    }
    return null;
  }

  /**
   * Whether two files memtrace will write are one: the same file if they exist, else the same path
   * ({@code run --save X -o X} names one file that neither has made yet).
   */
  public static boolean sameOutput(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
    } catch (IOException | SecurityException e) {
      // cannot be compared: compare the names
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /** The process's standard input, as a path the kernel resolves to its file. */
  static Path standardInput() {
    return Path.of("/proc/self/fd/0");
  }

  /** The process's standard output, as a path the kernel resolves to its file. */
  static Path standardOutput() {
    return Path.of("/proc/self/fd/1");
  }
}
