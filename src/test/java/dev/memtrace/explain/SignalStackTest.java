package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An alternate signal stack is not a thread stack. The lines are from {@code strace -f -tt -T} of a
 * Rust program (rustc 1.7x, std threads): its std maps a MAP_STACK area of SIGSTKSZ plus a page for
 * each thread, makes the lowest page PROT_NONE and hands the rest to sigaltstack, and unmaps it all
 * when the thread is done.
 */
class SignalStackTest {

  private static final String RUST_MAIN_THREAD =
      """
      22074 05:04:58.697184 execve("./rs.bin", ["./rs.bin"], 0x7ffd707d3c78 /* 35 vars */) = 0 <0.000214>
      22074 05:04:58.697513 brk(NULL)         = 0x555cf2f82000 <0.000008>
      22074 05:04:58.699486 sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0 <0.000007>
      22074 05:04:58.699512 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7ff03bac5000 <0.000011>
      22074 05:04:58.699541 mprotect(0x7ff03bac5000, 4096, PROT_NONE) = 0 <0.000010>
      22074 05:04:58.699566 sigaltstack({ss_sp=0x7ff03bac6000, ss_flags=0, ss_size=8192}, NULL) = 0 <0.000007>
      22074 05:04:58.703749 write(1, "104857600 29999700000\\n", 22) = 22 <0.000009>
      22074 05:04:58.703779 sigaltstack({ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=8192}, NULL) = 0 <0.000010>
      22074 05:04:58.703819 munmap(0x7ff03bac5000, 12288) = 0 <0.000014>
      22074 05:04:58.703868 exit_group(0)     = ?
      """;

  @Test
  void aMappingHandedToSigaltstackIsASignalStackNotAThreadStack() {
    Run.Out out = Run.explain(RUST_MAIN_THREAD);
    assertThat(out.why(4))
        .contains("an alternate signal stack, not a thread stack")
        .contains("the sigaltstack at line 6")
        .contains("8192 bytes from 0x7ff03bac6000")
        .doesNotContain("a thread stack of 12288 bytes");
    assertThat(out.why(5))
        .contains("the guard page below the alternate signal stack")
        .doesNotContain("of the thread stack made at line 4");
    assertThat(out.why(6))
        .contains("8192 bytes at 0x7ff03bac6000, the top of the mapping made at line 4");
  }

  @Test
  void itsUnmapIsNotACachedThreadStackReleased() {
    Run.Out out = Run.explain(RUST_MAIN_THREAD);
    assertThat(out.why(9))
        .contains(
            "unmaps the alternate signal stack made at line 4 with its guard page (12288 bytes)")
        .doesNotContain("cached thread stack");
  }

  /**
   * The same on a CPU whose AT_MINSIGSTKSZ makes the signal stack 11952 bytes (rustc 1.95, Debian
   * 12): std maps 16048 bytes, which the kernel rounds up to 16384, so the stack ends 336 bytes
   * before the mapping does. The mapping read as memory for a stack whose owner the trace does not
   * show, and the sigaltstack was silent. Lines 53 to 56 of strace -f -tt -T -y of a Rust program
   * with two std threads.
   */
  @Test
  void aSignalStackThatEndsInTheMappingsLastPageIsOneToo() throws Exception {
    Run.Out out =
        Run.explain(
            java.nio.file.Path.of(
                getClass().getResource("/logs-extra/rust_sigaltstack_unaligned.log").toURI()));
    assertThat(out.why(2))
        .startsWith(
            "an alternate signal stack, not a thread stack: the sigaltstack at line 4 gives its"
                + " thread the 11952 bytes from 0x7f1a6d6d1000 up to 0x7f1a6d6d3eb0, in the last"
                + " page of this mapping, above its lowest 4096 bytes, made PROT_NONE as a guard");
    assertThat(out.why(3)).contains("the guard page below the alternate signal stack");
    assertThat(out.why(4))
        .startsWith(
            "sets this thread's alternate signal stack: 11952 bytes at 0x7f1a6d6d1000, at the top of"
                + " the mapping made at line 2");
  }

  /** A size past 64 bits (a damaged line, as the fuzzer made one) places no stack. */
  @Test
  void aSizeNoLongHoldsIsNoSignalStack() {
    Run.Out out =
        Run.explain(
            RUST_MAIN_THREAD.replace(
                "ss_flags=0, ss_size=8192}", "ss_flags=0, ss_size=99999999999999999999999}"));
    assertThat(out.why(6)).doesNotContain("alternate signal stack");
  }
}
