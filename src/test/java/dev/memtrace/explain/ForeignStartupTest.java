package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Stack sizes read from the trace where glibc's defaults are not what made them. The lines are from
 * {@code strace -f -tt -T} of {@code valgrind --tool=none ls} (3.19), whose tool is a static binary
 * without glibc.
 */
class ForeignStartupTest {

  private static final String VALGRIND_TOOL =
      """
      1558  10:30:58.037351 execve("/usr/libexec/valgrind/none-amd64-linux", ["/usr/bin/valgrind.bin", "--tool=none", "ls", "/tmp/rust"], 0x55d83ae49590 /* 43 vars */) = 0 <0.008845>
      1558  10:30:58.049725 open("/proc/self/maps", O_RDONLY) = 3 <0.000089>
      1558  10:30:58.050054 close(3)          = 0 <0.000018>
      1558  10:30:58.050268 mmap(0x1002001000, 4194304, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, 0, 0) = 0x1002001000 <0.000044>
      1558  10:30:58.051480 prlimit64(0, RLIMIT_DATA, NULL, {rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY}) = 0 <0.000058>
      1558  10:30:58.051608 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0 <0.000012>
      """;

  @Test
  void valgrindsToolReadsRlimitStackForItselfNotAsGlibc() {
    Run.Out out = Run.explain(VALGRIND_TOOL);
    assertThat(out.why(6))
        .contains("none-amd64-linux reads RLIMIT_STACK (8388608) for itself")
        .contains("not as glibc's start-up does")
        .contains("no brk since its execve")
        .contains("valgrind_main")
        .doesNotContain("libc start-up reads RLIMIT_STACK")
        .doesNotContain("threads made later");
  }
}
