package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A child whose lines strace -f prints before its parent's clone returns in the log: while one
 * clone-family call is in flight, a pid no clone has returned yet is its child (reduced from a C
 * program that forks in a loop, the child calling mprotect and munmap at once, and from chromium's
 * thread pool).
 */
class ChildBeforeCloneTest {

  private static final String START =
      """
      100 execve("/bin/f", ["f"], 0x7ffc00000000 /* 1 var */) = 0
      100 mmap(NULL, 32768, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
      """;

  /** The fork's child mprotects and munmaps the parent's mapping before the fork returns. */
  @Test
  void aForkedChildMetBeforeTheForkReturnsHasACopyOfItsParentsSpace() {
    Run.Out out =
        Run.explain(
            START
                + """
                100 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>
                101 mprotect(0x7f0000000000, 4096, PROT_READ) = 0
                101 munmap(0x7f0000001000, 4096) = 0
                100 <... clone resumed>) = 101
                100 munmap(0x7f0000000000, 32768) = 0
                """);
    assertThat(out.why(4))
        .contains("at offset 0x0 of the ld.so minimal-malloc pages made at line 2");
    assertThat(out.at(4).checks()).isEmpty();
    assertThat(out.why(5))
        // a munmap shows the mapping was not ld.so's minimal malloc's, which never unmaps
        .contains("unmaps 4096 bytes of the 32768-byte mapping made at line 2");
    assertThat(out.at(5).checks()).isEmpty();
    // the child's munmap was in its copy: the parent still has all 32 KiB to unmap
    assertThat(out.at(7).changes()).hasSize(1);
    assertThat(out.at(7).changes().get(0).before().size()).isEqualTo(32768);
  }

  /** The same, the flags printed raw (strace -X raw). */
  @Test
  void rawFlagsNameAForkToo() {
    Run.Out out =
        Run.explain(
            START
                + """
                100 clone(0, 0x11, 0, 0 <unfinished ...>
                101 mprotect(0x7f0000000000, 0x1000, 0x1) = 0
                100 <... clone resumed>, 0) = 0x65
                """);
    assertThat(out.why(4)).contains("made at line 2");
    assertThat(out.at(4).checks()).isEmpty();
  }

  /** A thread pool: a thread's clone is in flight, and its new thread commits stack memory. */
  @Test
  void aThreadMetBeforeItsCloneReturnsSharesTheSpace() {
    Run.Out out =
        Run.explain(
            START
                + """
                100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f0000000990, parent_tid=0x7f0000000990, exit_signal=0, stack=0x7f0000000000, stack_size=0x7ff3c0, tls=0x7f00000006c0} <unfinished ...>
                101 munmap(0x7f0000004000, 16384) = 0
                100 <... clone3 resumed> => {parent_tid=[101]}, 88) = 101
                100 munmap(0x7f0000000000, 16384) = 0
                """);
    assertThat(out.why(4)).contains("unmaps 16384 bytes of the 32768-byte mapping made at line 2");
    assertThat(out.at(4).checks()).isEmpty();
    // shared: the parent's space lost those 16 KiB with the thread's munmap
    assertThat(out.at(6).why()).isNotEmpty();
    assertThat(out.at(6).changes().get(0).before().size()).isEqualTo(16384);
  }

  /**
   * Two processes fork at once: whose child the new pid is the log does not tell, so the model
   * keeps it a task met midway.
   */
  @Test
  void twoForksOfDifferentProcessesInFlightLeaveTheChildAStranger() {
    Run.Out out =
        Run.explain(
            START
                + """
                100 clone(child_stack=NULL, flags=SIGCHLD) = 200
                200 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1000000000
                100 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>
                200 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>
                300 mprotect(0x7f0000000000, 4096, PROT_READ) = 0
                100 <... clone resumed>) = 300
                200 <... clone resumed>) = 301
                """);
    assertThat(out.at(7).checks()).anyMatch(s -> s.contains("pid 300 was not seen starting"));
  }

  /** Threads of one process cloning threads at once: either way the new one shares that space. */
  @Test
  void twoThreadClonesOfOneProcessInFlightAgree() {
    String thread =
        "clone(child_stack=0x7f0000008000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND"
            + "|CLONE_THREAD|CLONE_SYSVSEM";
    Run.Out out =
        Run.explain(
            START
                + "100 "
                + thread
                + ") = 101\n"
                + "100 "
                + thread
                + " <unfinished ...>\n"
                + "101 "
                + thread
                + " <unfinished ...>\n"
                + "102 mprotect(0x7f0000000000, 4096, PROT_READ) = 0\n"
                + "100 <... clone resumed>) = 102\n"
                + "101 <... clone resumed>) = 103\n");
    assertThat(out.why(6)).contains("made at line 2");
    assertThat(out.at(6).checks()).isEmpty();
  }
}
