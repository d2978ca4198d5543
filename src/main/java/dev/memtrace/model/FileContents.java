package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.O_CREAT;
import static dev.memtrace.decode.LinuxFlags.O_EXCL;
import static dev.memtrace.decode.LinuxFlags.O_TRUNC;

import dev.memtrace.decode.Call;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the trace shows of regular files' contents: which files an open left empty and nothing has
 * written since ({@link EmptyFile}), by path, so every fd and every process that refers to one sees
 * the same answer. A write-like call through any fd of the file, or a rename over its name, forgets
 * it.
 */
final class FileContents {
  private FileContents() {}

  static void register(Map<String, MemoryModel.Handler> h) {
    for (String write : new String[] {"write", "writev", "pwrite64", "pwritev", "pwritev2"}) {
      h.put(write, (m, t, e, a) -> written(m, t, a.num(0)));
    }
    // the destination: copy_file_range(fd_in, off_in, fd_out, ...), splice(fd_in, off_in,
    // fd_out, ...), sendfile(out_fd, in_fd, ...)
    h.put("copy_file_range", (m, t, e, a) -> written(m, t, a.num(2)));
    h.put("splice", (m, t, e, a) -> written(m, t, a.num(2)));
    h.put("sendfile", (m, t, e, a) -> written(m, t, a.num(0)));
    h.put("sendfile64", (m, t, e, a) -> written(m, t, a.num(0)));
    h.put(
        "ftruncate",
        (m, t, e, a) -> sized(m, pathOf(t, a.num(0)), e.ref(), "ftruncate", a.num(1).orElse(-1)));
    h.put(
        "truncate",
        (m, t, e, a) ->
            sized(
                m,
                FileCalls.openedPath(t, a, -1, 0, false),
                e.ref(),
                "truncate",
                a.num(1).orElse(-1)));
    h.put(
        "fallocate",
        (m, t, e, a) -> {
          String path = pathOf(t, a.num(0));
          EmptyFile f = path == null ? null : m.emptyFiles.get(path);
          if (f == null) {
            return Outcome.NONE;
          }
          // mode 0 extends the size to cover the range; FALLOC_FL_KEEP_SIZE and the other modes
          // keep it (fallocate(2))
          long size =
              "0".equals(a.text(1))
                  ? Math.max(f.size(), a.num(2).orElse(0) + a.num(3).orElse(0))
                  : f.size();
          return sized(m, path, e.ref(), "fallocate", size);
        });
  }

  /**
   * An open that succeeded: the file is empty if its flags made it so; any other open leaves what
   * is known of it as it was.
   */
  static void opened(MemoryModel m, String path, String how, int line) {
    if (how != null && path != null && path.startsWith("/")) {
      m.emptyFiles.put(path, new EmptyFile(line, how));
    }
  }

  /**
   * A mapping of the file at this line, shared and writable: what it writes is not in the trace.
   */
  static void mappedShared(MemoryModel m, OptionalLong fd, Task t, int line) {
    if (m.emptyFiles.isEmpty()) {
      return;
    }
    String path = pathOf(t, fd);
    EmptyFile f = path == null ? null : m.emptyFiles.get(path);
    if (f != null) {
      m.emptyFiles.put(path, f.mappedShared(line));
    }
  }

  /**
   * The file at from now has the name to (rename), or from was unlinked (to ends in " (deleted)").
   */
  static void renamed(MemoryModel m, String from, String to) {
    EmptyFile f = m.emptyFiles.remove(from);
    if (f != null) {
      m.emptyFiles.put(to, f);
    } else {
      m.emptyFiles.remove(to); // the name now refers to a file not known empty
    }
  }

  private static Outcome written(MemoryModel m, Task t, OptionalLong fd) {
    if (!m.emptyFiles.isEmpty()) {
      String path = pathOf(t, fd);
      if (path != null) {
        m.emptyFiles.remove(path);
      }
    }
    return Outcome.NONE;
  }

  private static Outcome sized(MemoryModel m, String path, int line, String call, long size) {
    EmptyFile f = path == null ? null : m.emptyFiles.get(path);
    if (f != null) {
      if (size >= 0) {
        m.emptyFiles.put(path, f.sized(line, call, size));
      } else {
        m.emptyFiles.remove(path); // a size the trace does not show
      }
    }
    return Outcome.NONE;
  }

  private static String pathOf(Task t, OptionalLong fd) {
    OpenFile f = fd.isPresent() ? t.fds.get((int) fd.getAsLong()) : null;
    return f == null ? null : f.path();
  }

  /** The flags of a successful open that left the file empty, or null. */
  static String emptying(Call a, long flags) {
    if (a.name().equals("creat")) {
      return "creat";
    }
    long excl = O_CREAT | O_EXCL;
    if ((flags & excl) == excl) {
      return "O_CREAT|O_EXCL";
    }
    boolean writable = (flags & 3) != 0;
    return writable && (flags & O_TRUNC) != 0 ? "O_TRUNC" : null;
  }
}
