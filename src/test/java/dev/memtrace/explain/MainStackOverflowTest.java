package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A main thread that recursed until its stack could grow no more (./so: a 4 KiB frame per call,
 * strace -f -tt -T -y, Debian 12, x86-64). The kernel maps [stack] at execve, which no syscall
 * shows, so a trace read without snapshots does not know it; in the default top-down layout it is
 * the only mapping above the mmap area, and a SEGV_MAPERR above everything the trace shows fits it.
 */
class MainStackOverflowTest {

  private static final String START =
      """
      16797 20:02:50.080681 execve("./so", ["./so"], 0x7ffff6ab2950 /* 35 vars */) = 0 <0.000113>
      16797 20:02:50.080882 brk(NULL)         = 0x562efb048000 <0.000003>
      16797 20:02:50.081431 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1f733fe000 <0.000019>
      """;

  private static final String SEGV =
      """
      16797 20:02:50.089824 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x7ffe3220659c} ---
      16797 20:02:50.090193 +++ killed by SIGSEGV +++
      """;

  @Test
  void aFaultAboveEveryMappingTheTraceShowsFitsTheMainStackOverflowing() {
    Run.Out out =
        Run.explain(
            START
                + """
                16797 20:02:50.085794 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0 <0.000004>
                """
                + SEGV);
    assertThat(out.why(5))
        .contains("in unmapped space")
        .contains(
            "no mapping the trace shows lies above it, and in the default (top-down) layout only"
                + " the main thread's stack sits above the mmap area")
        .contains(
            "this likely is the main stack overflowing, its growth stopped by RLIMIT_STACK"
                + " (8388608 bytes)");
  }

  @Test
  void withAnUnlimitedStackTheLayoutIsLegacyAndNothingIsSaidOfTheStack() {
    // mmap_is_legacy: RLIMIT_STACK infinity puts the mmap area at the bottom, under the stack's
    // growth no longer
    Run.Out out =
        Run.explain(
            START
                + """
                16797 20:02:50.085794 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY}) = 0 <0.000004>
                """
                + SEGV);
    assertThat(out.why(5)).contains("in unmapped space").doesNotContain("main stack");
  }
}
