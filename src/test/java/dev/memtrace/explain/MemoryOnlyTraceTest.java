package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A log made with {@code strace -f -e trace=%memory} (python3 starting a thread; Debian 12, glibc
 * 2.36) shows no clone, fork or execve: each process is met midway, and none shares what another
 * mapped.
 */
class MemoryOnlyTraceTest {

  @Test
  void aProcessNoCloneInFlightCanHaveMadeIsNotToldWithTheLastProcesssRegions() {
    // 15187's first lines; its mprotect of its executable's RELRO read "changes 4096 bytes at
    // offset 0xba46a9f000 of the [heap] made at line 2", 15178's [heap]
    Run.Out out =
        Run.explain(
            """
            15178 brk(NULL)                         = 0x5578568e2000
            15178 brk(0x557856903000)               = 0x557856903000
            15187 brk(NULL)                         = 0x5632c4701000
            15187 mprotect(0x56329d381000, 4096, PROT_READ) = 0
            """);
    assertThat(out.why(3))
        .startsWith("the first brk(0) the trace shows")
        .doesNotContain("libc keeps its own copy");
    assertThat(out.why(4)).doesNotContain("[heap]").startsWith("RELRO: after relocating");
  }
}
