package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Faults in memory the trace saw given back (strace -f -tt -T -y of small C programs, Debian 12,
 * glibc 2.36): ./uaf mallocs 1 MiB (its own mapping), frees it (munmap_chunk) and reads p[100].
 */
class UnmappedAccessTest {

  private static final String HEAP =
      """
      24440 20:05:53.046279 brk(NULL)         = 0x559cdd1e5000 <0.000003>
      24440 20:05:53.046280 brk(NULL)         = 0x559cdd1e5000 <0.000003>
      24440 20:05:53.046289 brk(0x559cdd206000) = 0x559cdd206000 <0.000005>
      """;

  @Test
  void aFaultWhereAFreedChunkLayIsToldAsAnAccessAfterItWasUnmapped() {
    Run.Out out =
        Run.explain(
            HEAP
                + """
                24440 20:05:53.046305 mmap(NULL, 1052672, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3b948d8000 <0.000006>
                24440 20:05:53.072957 munmap(0x7f3b948d8000, 1052672) = 0 <0.024833>
                24440 20:05:53.097868 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x7f3b948d8074} ---
                24440 20:05:53.098080 +++ killed by SIGSEGV +++
                """);
    // it read "41.6 TiB beyond the end of the [heap] made at line 3 (past the program break: the
    // heap ends there)"
    assertThat(out.why(6))
        .startsWith(
            "SIGSEGV at 0x7f3b948d8074: in unmapped space, 116 bytes into where the 1052672-byte"
                + " malloc chunk made at line 4 lay until the munmap at line 5 gave it back: an"
                + " access to memory already unmapped (that munmap fits free() of the chunk, so"
                + " this fits a use after free)")
        .doesNotContain("[heap]");
  }

  @Test
  void onlyAFaultNearTheBreakIsToldAsPastTheHeap() {
    String segv =
        "24440 20:05:53.097868 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=";
    Run.Out near = Run.explain(HEAP + segv + "0x559cdd206010} ---\n");
    assertThat(near.why(4))
        .contains(
            "16 bytes (16 B) beyond the end of the [heap] made at line 3"
                + " (past the program break: the heap ends there)");
    Run.Out far =
        Run.explain(
            HEAP
                + "24440 20:05:53.046305 mmap(NULL, 8192, PROT_READ|PROT_WRITE,"
                + " MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3b948d8000 <0.000006>\n"
                + segv
                + "0x7f3b948d0000} ---\n");
    assertThat(far.why(5)).doesNotContain("past the program break");
  }
}
