package dev.memtrace.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@code -o} file of a format that is one whole document (html, perfetto): written beside the
 * file under a temporary name and renamed over it only when complete, so a failure leaves the file
 * as it was (or absent), never empty or cut. Only for a regular file or a new one: a device or a
 * FIFO ({@code -o /dev/stdout}) is written directly.
 */
final class WholeFile {

  private static final AtomicInteger COUNT = new AtomicInteger();

  private final Path target;
  private final Path temp;
  private final OutputStream out;
  private boolean done;

  /** True when {@code path} names a regular file or nothing yet, so a rename can replace it. */
  static boolean fits(Path path) {
    return !Files.exists(path) || Files.isRegularFile(path);
  }

  WholeFile(Path path) throws IOException {
    // through a symbolic link: the file it names is replaced, not the link
    target = Files.exists(path) ? path.toRealPath() : path.toAbsolutePath();
    temp =
        target.resolveSibling(
            "."
                + target.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "."
                + COUNT.incrementAndGet()
                + ".tmp");
    try {
      out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (AccessDeniedException e) {
      throw new IOException("Permission denied");
    } catch (NoSuchFileException e) {
      throw new IOException("No such file or directory");
    }
  }

  OutputStream stream() {
    return out;
  }

  /** Puts the finished document in place, keeping the permissions of the file it replaces. */
  void commit() throws IOException {
    out.close();
    if (Files.isRegularFile(target)) {
      try {
        Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
      } catch (IOException | UnsupportedOperationException e) {
        // the new file keeps the umask's permissions
      }
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    done = true;
  }

  /** Removes the temporary file unless {@link #commit} put it in place. */
  void discard() {
    if (done) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      // the file is removed anyway
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // nothing more can be done; the first error is the one reported
    }
  }
}
