package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * mmap(MAP_FIXED, PROT_NONE) over memory the program could use frees those pages and keeps the
 * addresses: mozjemalloc decommits so on Linux (pages_decommit in memory/build/mozjemalloc.cpp),
 * then names the range "jemalloc-decommitted". From firefox-esr --headless --screenshot under
 * strace -f -tt -T -y (Firefox 153 ESR, Debian 12), trimmed: a 1 MiB chunk mapped read-write, then
 * its third page and its last page decommitted.
 */
class DecommitTest {

  @Test
  void protNoneOverUsableMemoryFreesItsPagesAndIsNoNewReservation() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/firefox_mozjemalloc_rlbox.log").toURI()));
    // it read "reserves 4096 bytes of address space PROT_NONE: nothing is committed ..."
    assertThat(out.why(13))
        .contains(
            "maps 4096 bytes PROT_NONE with MAP_FIXED over memory the program could use, at offset"
                + " 0x2000 of the 1048576-byte anonymous mapping named \"jemalloc\" made at line 11")
        .contains("those pages are freed and what they held is gone")
        .contains("fits an allocator giving back pages")
        .doesNotContain("reserves");
    assertThat(out.at(13).why().get(0).rule()).isEqualTo("reservation");
    assertThat(out.why(15)).contains("at offset 0xff000 of the 1048576-byte anonymous mapping");
    // a fresh PROT_NONE mapping is still a reservation
    assertThat(out.why(17)).startsWith("reserves 17179869184 bytes of address space PROT_NONE");
  }
}
