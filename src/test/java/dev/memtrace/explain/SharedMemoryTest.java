package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Shared memory as servers and small C programs make it (strace -f -tt -T, Debian 12, glibc 2.36):
 * a memfd mapped twice and moved by mremap, shared anonymous memory mapped read-only, then fork.
 * What maps shows is said as maps shows it, and a name's " (deleted)" is not part of the name.
 */
class SharedMemoryTest {

  /** A program's startup: ld.so's and libc's brk(NULL), then malloc's first growth of [heap]. */
  private static final String MALLOC_STARTED =
      """
      14861 00:02:25.819700 brk(NULL)         = 0x55c295648000 <0.000040>
      14861 00:02:25.819872 brk(NULL)         = 0x55c295648000 <0.000040>
      14861 00:02:25.819975 brk(0x55c295669000) = 0x55c295669000 <0.000130>
      """;

  @Test
  void sharedAnonymousMemoryIsShownWithThePermissionsItsProtGives() {
    // shmem_zero_setup names it dev/zero; maps prints its vm_flags (calc_vm_prot_bits), so a
    // PROT_READ mapping is r--s, not rw-s
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        14861 00:02:25.828784 mmap(NULL, 4096, PROT_READ, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fe3675f5000 <0.000028>
        14861 00:02:25.828863 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fe3675f1000 <0.000038>
        """);
    assertThat(out.why(4))
        .contains("shown as /dev/zero (deleted) r--s in maps")
        .doesNotContain("rw-s");
    assertThat(out.why(5)).contains("shown as /dev/zero (deleted) rw-s in maps");
  }
}
