package dev.memtrace.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * When a region of the model and a line of {@code /proc/PID/maps} describe the same thing: same
 * start, end and permissions, and the same backing. For a file that means the same offset and the
 * same file, where a path the trace gave differently from the kernel's (a symlink such as {@code
 * /lib} → {@code /usr/lib}, a relative path) still counts as the same file when the file name
 * agrees, or when both paths lead to one file on this machine: the model keeps the path the trace
 * used until a snapshot tells it the kernel's. Device and inode are not compared: the trace never
 * tells them.
 */
public final class Agreement {

  private Agreement() {}

  public static boolean same(Region model, Region kernel) {
    return model.start() == kernel.start()
        && model.end() == kernel.end()
        && model.perms().equals(kernel.perms())
        && model.offset() == kernel.offset()
        && samePath(model.path(), kernel.path());
  }

  public static boolean samePath(String model, String kernel) {
    if (model.equals(kernel)) {
      return true;
    }
    if (model.isEmpty() || model.startsWith("[") || !kernel.startsWith("/")) {
      return false;
    }
    if (!model.startsWith("/")) {
      return kernel.endsWith("/" + model);
    }
    return baseName(model).equals(baseName(kernel)) || sameLocalFile(model, kernel);
  }

  /** Both paths name one file on this machine (a live run: the symlinks the trace did not show). */
  private static boolean sameLocalFile(String model, String kernel) {
    try {
      return Files.isSameFile(Path.of(model), Path.of(kernel));
    } catch (IOException | InvalidPathException e) {
      return false; // one of them does not exist here, or is no path here: not shown to be one file
    }
  }

  private static String baseName(String p) {
    return p.substring(p.lastIndexOf('/') + 1);
  }
}
