package dev.memtrace.explain;

import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;
import java.util.Objects;

/**
 * glibc's fatal-error path: __libc_message (sysdeps/posix/libc_fatal.c) writes its message to
 * stderr with one writev, __assert_fail_base (assert/assert.c) with one write, and, to abort, each
 * maps ALIGN_UP(total + 1, page) bytes anonymous and copies the message there for __abort_msg, so
 * that a core dump holds it; abort() follows. malloc_printerr, __fortify_fail and __libc_fatal end
 * in __libc_message.
 */
final class FatalRules {
  private FatalRules() {}

  /** How malloc_printerr's messages begin (malloc/malloc.c, glibc 2.36), as strace prints them. */
  private static final List<String> MALLOC_MESSAGES =
      List.of(
          "\"free(): ",
          "\"malloc(): ",
          "\"realloc(): ",
          "\"calloc(): ",
          "\"munmap_chunk(): ",
          "\"double free or corruption",
          "\"corrupted ",
          "\"malloc_consolidate(): ",
          "\"_int_malloc(): ",
          "\"tcache_thread_shutdown(): ",
          "\"malloc_check_",
          "\"mremap_chunk(): ",
          "\"aligned_alloc(): ",
          "\"posix_memalign(): ",
          "\"memalign(): ",
          "\"pvalloc(): ",
          "\"valloc(): ",
          "\"malloc: top chunk is corrupt",
          "\"free(): invalid pointer");

  static List<Rule> rules() {
    return List.of(
        Rule.on("libc-fatal-message", "mmap")
            .when(ok(), anon(), addrNull(), prot("PROT_READ", "PROT_WRITE"), FatalRules::fits)
            .frames("__libc_message", "malloc_printerr", "__fortify_fail", "__libc_fatal")
            .says(FatalRules::message));
  }

  /**
   * The mapping is the size __libc_message maps for the message the same task wrote to stderr just
   * before, no memory call between, and the message is one of glibc's fatal ones ({@link #cause}):
   * a program's own warning followed by a small mapping of its own fits the sizes as well.
   */
  private static boolean fits(Ctx c) {
    Space.StderrWrite w = c.sp.stderrWrite;
    return w != null
        && Objects.equals(w.pid(), c.ev.pid())
        && w.memoryEvents() == c.sp.memoryEvents
        && c.length() == Glibc.alignUp(w.bytes() + 1, Glibc.PAGE)
        && cause(w.pieces()) != null;
  }

  /**
   * Whose fatal message strace printed (the pieces of a write or writev: {@link
   * dev.memtrace.decode.Transfer#pieces}), as the end of a sentence; null for one glibc's fatal
   * paths do not write.
   */
  private static String cause(List<String> pieces) {
    if (pieces.isEmpty()) {
      return null;
    }
    String first = pieces.get(0);
    if (MALLOC_MESSAGES.stream().anyMatch(first::startsWith)) {
      return "The message, "
          + first
          + ", is malloc_printerr's: glibc's malloc found its chunk bookkeeping inconsistent and"
          + " stops the process, which a double free, a write past a chunk's end or a use after"
          + " free in the program causes";
    }
    if (pieces.contains("\"buffer overflow detected\"")) {
      return "The message is __fortify_fail's (\"buffer overflow detected\"): a check"
          + " _FORTIFY_SOURCE compiled into the program found a copy about to overrun a buffer"
          + " whose size the compiler knew";
    }
    if (pieces.contains("\"stack smashing detected\"")) {
      return "The message is __stack_chk_fail's (\"stack smashing detected\"): the canary"
          + " -fstack-protector puts in a stack frame was overwritten before the function"
          + " returned";
    }
    if (pieces.stream().anyMatch(p -> p.contains("Assertion `"))) {
      return "The message is assert()'s (__assert_fail): a condition the program asserted was"
          + " false";
    }
    if (first.startsWith("\"Fatal glibc error") || first.startsWith("\"Fatal error: ")) {
      return "The message is __libc_fatal's: glibc found a state it cannot go on from";
    }
    return null;
  }

  private static Said message(Ctx c) {
    Space.StderrWrite w = c.sp.stderrWrite;
    return Said.of(
            "fits glibc's fatal-error path: __libc_message (or, for a failed assert,"
                + " __assert_fail_base) wrote its message to stderr at line "
                + w.line()
                + " ("
                + w.bytes()
                + " bytes) and, as it aborts, copies it into a mapping of its own,"
                + " ALIGN_UP("
                + w.bytes()
                + " + 1, 4096) = "
                + c.length()
                + " bytes, which __abort_msg points to so that a core dump holds the message;"
                + " abort() follows. "
                + cause(w.pieces()),
            Basis.PATTERN,
            "a write to fd 2 of " + w.bytes() + " bytes at line " + w.line(),
            "ALIGN_UP(" + w.bytes() + " + 1, 4096) = " + c.length())
        .tag(RegionClass.ANON, "glibc's copy of its fatal message (__abort_msg)");
  }
}
