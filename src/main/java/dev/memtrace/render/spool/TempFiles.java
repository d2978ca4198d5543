package dev.memtrace.render.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The temporary files a renderer spools to while the timeline is incomplete, deleted together by
 * {@link #close} (at the end of the output, or when it fails) and, should the JVM end first, when
 * it exits.
 */
public final class TempFiles implements AutoCloseable {

  private final String prefix;
  private final List<Path> files = new ArrayList<>();

  /**
   * @param prefix starts each file's name ({@code "memtrace-html-"})
   */
  public TempFiles(String prefix) {
    this.prefix = prefix;
  }

  /** A new empty file, named for what it holds. */
  public Path create(String name) throws IOException {
    Path f = Files.createTempFile(prefix, "-" + name);
    f.toFile().deleteOnExit();
    files.add(f);
    return f;
  }

  /** The files made so far (deleted or not). */
  public List<Path> files() {
    return List.copyOf(files);
  }

  /** Deletes every file; the first failure is thrown once all were tried. */
  @Override
  public void close() throws IOException {
    IOException failed = null;
    for (Path f : files) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    files.clear();
    if (failed != null) {
      throw failed;
    }
  }
}
