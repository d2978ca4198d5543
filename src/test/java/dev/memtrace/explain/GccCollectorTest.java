package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * GCC 12's cc1 (Debian 12) maps its garbage collector's pages itself (ggc-page.cc: init_ggc's first
 * page, alloc_page's 2 MiB group of GGC_QUIRE_SIZE 512 pages, and a mapping of exactly its whole
 * pages for an entry bigger than a page), which strace -k shows as ggc_internal_alloc calling mmap.
 * Without -k the 2 MiB group read "fits glibc malloc's mmap path", and the small ones "likely the
 * program or a library asked the kernel for it itself": now each fits the collector, told as
 * likely, the trace alone not deciding. cc1's lines of strace -f -tt -T -y gcc -c nf.c, from its
 * execve to its first mappings.
 */
class GccCollectorTest {

  private Run.Out cc1() throws Exception {
    return Run.explain(Path.of(getClass().getResource("/logs-extra/cc1_ggc_pages.log").toURI()));
  }

  @Test
  void theTwoMebibyteGroupFitsTheCollectorNotMalloc() throws Exception {
    Run.Out out = cc1();
    assertThat(out.at(135).why().get(0).rule()).isEqualTo("gcc-ggc-pages");
    assertThat(out.why(135))
        .startsWith("fits GCC's garbage collector: this process is cc1, a GCC compiler proper")
        .contains("GGC_QUIRE_SIZE 512 pages of 4 KiB, 2 MiB, at once")
        .contains("so this likely is a group of the collector's pages")
        .doesNotContain("fits glibc malloc's mmap path");
  }

  @Test
  void theFirstPageAndTheMultiPageEntriesFitItToo() throws Exception {
    Run.Out out = cc1();
    assertThat(out.why(132)).contains("init_ggc maps one page before anything else");
    assertThat(out.why(136))
        .contains("a page entry whose objects need more than a page gets a mapping of exactly")
        .contains("8192 bytes");
    assertThat(out.why(139)).contains("16384 bytes");
    // a mapping of malloc's shape stays malloc's
    assertThat(out.at(133).why().get(0).rule()).isEqualTo("malloc-mmap");
  }
}
