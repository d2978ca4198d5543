package dev.memtrace.model;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Path text as the model stores it: joined to a directory when relative, normalised. */
final class Paths {

  private Paths() {}

  /** dir + "/" + path, normalised; path as given when it is relative and dir is unknown. */
  static String resolve(String dir, String path) {
    if (path.startsWith("/")) {
      return normalise(path);
    }
    if (dir == null) {
      return path;
    }
    return normalise(dir + "/" + path);
  }

  static String normalise(String path) {
    if (!path.contains("/.") && !path.contains("//")) {
      return path;
    }
    try {
      return Path.of(path).normalize().toString();
    } catch (InvalidPathException e) {
      return path; // a NUL byte: not a path the file system could hold, kept as the trace said it
    }
  }
}
