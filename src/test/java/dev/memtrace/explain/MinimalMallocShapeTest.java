package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * ld.so's minimal malloc maps ALIGN_UP(n, pagesize) + pagesize (__minimal_malloc in
 * elf/dl-minimal-malloc.c): whole pages, from ld.so. From {@code strace -f -k -tt -T -y -e
 * trace=%memory,clone,clone3,execve,prctl firefox-esr --headless --screenshot} (Firefox 153 ESR,
 * Debian 12), trimmed: the filter hides the arch_prctl that sets the thread pointer, and
 * mozjemalloc never starts glibc's malloc, so the trace shows no end of ld.so's startup; a thread
 * then maps 47808 bytes from firefox-esr's own code, and that read "ld.so's minimal malloc ... maps
 * ALIGN_UP(request, 4096) plus one extra page: a request of at most 43712 bytes", its munmap "it
 * was not ld.so's minimal malloc's, as it looked".
 */
class MinimalMallocShapeTest {

  @Test
  void aMappingNotOfWholePagesOrFromOutsideLdSoIsNotItsMinimalMallocs() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(
                getClass()
                    .getResource("/logs-extra/firefox_thread_mmap_trace_memory_k.log")
                    .toURI()));
    // ld.so's own, the -k frames in ld-linux-x86-64.so.2
    assertThat(out.at(8).why().get(0).rule()).isEqualTo("ldso-minimal-malloc");
    assertThat(out.at(19).why()).noneMatch(e -> e.rule().startsWith("ldso-minimal"));
    assertThat(out.at(19).why().get(0).rule()).isEqualTo("anon-direct");
    assertThat(out.why(19))
        .contains("a direct anonymous mmap of 47808 bytes")
        .contains("rounds up to 49152 bytes")
        .doesNotContain("minimal malloc");
    assertThat(out.why(22))
        .contains("the 47808-byte anonymous mapping made at line 19")
        .doesNotContain("minimal malloc");
  }
}
