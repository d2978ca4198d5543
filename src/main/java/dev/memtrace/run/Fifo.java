package dev.memtrace.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A named pipe in a private temporary directory (mode 700), for strace's {@code -o}.
 *
 * <p>Opening a FIFO blocks until the other end opens it. If strace dies before it opens its end (a
 * bad option, ptrace refused), the reader would wait forever: {@link #release()} opens the write
 * end once, which lets the reader's open return and then see end-of-file. The reader marks, under
 * the same lock, when it is done, so release never opens a FIFO nobody reads (that would block).
 */
public final class Fifo implements AutoCloseable {

  private final Path dir;
  private final Path path;
  private final Object lock = new Object();
  private boolean readerDone;

  private Fifo(Path dir, Path path) {
    this.dir = dir;
    this.path = path;
  }

  public static Fifo create() throws IOException {
    Path dir =
        Files.createTempDirectory(
            "memtrace-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path path = dir.resolve("strace.log");
    Process mk = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).inheritIO().start();
    try {
      if (!mk.waitFor(10, TimeUnit.SECONDS) || mk.exitValue() != 0) {
        throw new IOException("mkfifo " + path + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating the FIFO", e);
    }
    return new Fifo(dir, path);
  }

  public Path path() {
    return path;
  }

  /** Opens the read end; blocks until a writer opens the other end (or {@link #release()}). */
  InputStream openForReading() throws IOException {
    return Files.newInputStream(path);
  }

  /** Called by the reader at end-of-file, before it closes its end. */
  void readerDone() {
    synchronized (lock) {
      readerDone = true;
    }
  }

  /** After strace has exited: make sure a reader still waiting in open() gets end-of-file. */
  void release() {
    synchronized (lock) {
      if (!readerDone) {
        // The reader is in open() or still reading; either way its end is open, so this does
        // not block, and closing at once adds no data.
        try (FileOutputStream ignored = new FileOutputStream(path.toFile())) {
          // nothing to write
        } catch (IOException e) {
          // the FIFO is gone: nobody waits on it
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
