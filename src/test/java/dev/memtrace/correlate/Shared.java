package dev.memtrace.correlate;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared corpus is: {@code -DMEMTRACE_SHARED=DIR} or {@code $MEMTRACE_SHARED}, else
 * {@code ../shared} beside the project (CI clones the project next to it).
 */
public final class Shared {

  private Shared() {}

  public static Path dir() {
    String p = System.getProperty("MEMTRACE_SHARED", System.getenv("MEMTRACE_SHARED"));
    Path base = p != null ? Path.of(p) : Path.of(System.getProperty("user.dir")).resolve("../shared");
    return base.normalize();
  }

  public static Path mapsCorpus() {
    Path d = dir().resolve("corpus/maps");
    if (!Files.isDirectory(d)) {
      throw new IllegalStateException("the shared corpus is missing: " + d
          + " (set MEMTRACE_SHARED to the shared directory)");
    }
    return d;
  }
}
