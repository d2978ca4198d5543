package dev.memtrace.model;

import dev.memtrace.decode.Call;
import dev.memtrace.trace.Numbers;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The sizes the trace shows of regular files: {@code stat}, {@code fstat}, {@code newfstatat} and
 * {@code statx} print {@code st_size} (a shell's search of PATH before execve, ld.so's fstat of
 * each library it opens). {@link ExecImages} compares them with the size of the file whose ELF
 * headers it would lay out, so a file on this machine that is not the one the trace ran is not
 * shown as if it were. Read only when the model reads files; a call that follows symbolic links
 * only, or names no file the model knows, tells nothing.
 */
final class StatCalls {

  private StatCalls() {}

  /** AT_SYMLINK_NOFOLLOW: the size is the link's, not the file's. */
  private static final String NOFOLLOW = "AT_SYMLINK_NOFOLLOW";

  private static final String EMPTY_PATH = "AT_EMPTY_PATH";

  static void register(Map<String, MemoryModel.Handler> h) {
    h.put("stat", (m, t, e, a) -> seen(m, t, a, pathed(t, a, -1, 0), 1, "st_size"));
    h.put("fstat", (m, t, e, a) -> seen(m, t, a, fdPath(t, a, 0), 1, "st_size"));
    h.put("newfstatat", (m, t, e, a) -> at(m, t, a, 2, 3, "st_size"));
    h.put("statx", (m, t, e, a) -> at(m, t, a, 4, 2, "stx_size"));
  }

  /** A call naming (dirfd, path) with flags: the fd itself under AT_EMPTY_PATH and "". */
  private static Outcome at(MemoryModel m, Task t, Call a, int buf, int flagsArg, String field) {
    if (m.elfFiles() == null) {
      return Outcome.NONE;
    }
    String flags = a.text(flagsArg);
    if (flags != null && flags.contains(NOFOLLOW)) {
      return Outcome.NONE;
    }
    String p = a.string(1);
    String path =
        p != null && p.isEmpty() && flags != null && flags.contains(EMPTY_PATH)
            ? fdPath(t, a, 0)
            : pathed(t, a, 0, 1);
    return seen(m, t, a, path, buf, field);
  }

  private static Outcome seen(MemoryModel m, Task t, Call a, String path, int buf, String field) {
    if (m.elfFiles() == null) {
      return Outcome.NONE;
    }
    if (path == null || !path.startsWith("/")) {
      return Outcome.NONE;
    }
    String mode = a.field(buf, field.equals("stx_size") ? "stx_mode" : "st_mode");
    if (mode == null
        || !mode.startsWith("S_IFREG|")
        || !(executable(mode) || path.contains(".so"))) {
      return Outcome.NONE;
    }
    String size = a.field(buf, field);
    OptionalLong n = size == null ? OptionalLong.empty() : Numbers.parse(size);
    if (n.isPresent()) {
      m.elfFiles().traceShowsSize(path, n.getAsLong());
      String kernel = m.kernelPath(path);
      if (!kernel.equals(path)) {
        m.elfFiles().traceShowsSize(kernel, n.getAsLong());
      }
    }
    return Outcome.NONE;
  }

  /**
   * Whether a mode ({@code S_IFREG|0755}) lets someone execute the file: a program's, not a data
   * file's, whose size is not kept (a log of {@code find} or {@code du} stats many of them).
   */
  private static boolean executable(String mode) {
    String bits = mode.substring(mode.lastIndexOf('|') + 1);
    OptionalLong n = Numbers.parse(bits.startsWith("0") ? bits : "0" + bits);
    return n.isPresent() && (n.getAsLong() & 0111) != 0;
  }

  /** The file an fd argument names: -y's decoration, else what the model knows of the fd. */
  private static String fdPath(Task t, Call a, int i) {
    String decorated = a.fdPath(i);
    if (decorated != null) {
      return decorated;
    }
    OptionalLong fd = a.num(i);
    if (fd.isEmpty()) {
      return null;
    }
    OpenFile f = t.fds.get((int) fd.getAsLong());
    return f == null ? null : f.knownPath();
  }

  /** A path argument joined to its directory (dirArg -1: the cwd); null for an empty one. */
  private static String pathed(Task t, Call a, int dirArg, int pathArg) {
    String p = a.string(pathArg);
    return p == null || p.isEmpty() ? null : FileCalls.openedPath(t, a, dirArg, pathArg, false);
  }
}
