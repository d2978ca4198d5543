package dev.memtrace.explain;

import dev.memtrace.decode.KernelCopy;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.trace.Result;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * copy_file_range, sendfile and splice: the kernel copies between two file descriptors itself, so
 * the data never passes through a buffer in the program's memory (copy_file_range(2), sendfile(2),
 * splice(2)). That is why a program that copies this way maps no I/O buffer.
 */
final class KernelCopies {
  private KernelCopies() {}

  static final Set<String> CALLS = Set.of("copy_file_range", "sendfile", "sendfile64", "splice");

  /** The call's explanation, or null when it is not one of {@link #CALLS}. */
  static Explanation explain(Ctx c) {
    if (!(c.call instanceof KernelCopy k)) {
      return null;
    }
    String name = c.name();
    String man = (name.equals("sendfile64") ? "sendfile" : name) + "(2)";
    Result r = c.ev.result();
    if (r == null || r.value().isEmpty()) {
      return null; // unfinished: nothing known yet
    }
    String from = fd(c, k.fromFd(), k.fromText(), k.fromPath());
    String to = fd(c, k.toFd(), k.toText(), k.toPath());
    if (r.failed()) {
      return new Explanation(
          "kernel-copy",
          name
              + " failed ("
              + r.errno()
              + "): nothing was copied"
              + " from "
              + from
              + " to "
              + to
              + " ("
              + man
              + ")",
          Basis.ARITHMETIC,
          List.of(name + " returned " + r.text()));
    }
    long n = r.value().getAsLong();
    if (n == 0) {
      return new Explanation(
          "kernel-copy",
          name + " returned 0: nothing left to copy from " + from + " (" + man + ")",
          Basis.ARITHMETIC,
          List.of(name + " returned 0"));
    }
    StringBuilder b =
        new StringBuilder(
            "the kernel copied "
                + n
                + " bytes from "
                + from
                + " to "
                + to
                + " itself: no user-space buffer, the data never passes through the program's memory ("
                + man
                + ")");
    if (name.equals("copy_file_range") && c.sp.runs().equals("cat")) {
      b.append(
          ". It fits coreutils' cat (9.1 and later; copy_cat in src/cat.c), which copies this"
              + " way when its input and its output are both regular files and no option formats"
              + " the text, and then maps no I/O buffer; to a pipe or a terminal it reads and"
              + " writes through its I/O buffer instead (io_blksize: 131072 bytes on most"
              + " filesystems)");
    }
    return new Explanation(
        "kernel-copy", b.toString(), Basis.ARITHMETIC, List.of(name + " returned " + n));
  }

  /** "fd 3 (/etc/passwd)" when the trace names the file, else "fd 3". */
  private static String fd(Ctx c, OptionalLong fd, String text, String decoration) {
    String path = c.fdPath(fd, decoration);
    String num = fd.isPresent() ? "fd " + fd.getAsLong() : text;
    return path == null || path.isEmpty() ? num : num + " (" + path + ")";
  }
}
