package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary's end table left out the regions the model laid out from ELF headers, while its peak
 * table counted the ranges the trace's calls tagged, among them ld.so's RELRO mprotect of the
 * executable and of itself: perl -e 1 read "image: relro 24 KiB at the end, 96 KiB at the peak", as
 * if RELRO had been unmapped (chromium: 1.17 MiB against 12.5 MiB). Both now count what a call in
 * the trace told. The log and executable are ModelRegionBasisTest's (a small C program, Debian 12),
 * read under a --root that holds the executable and this machine's ld.so (skipped where it is not
 * that build).
 */
class SummaryRelroTest {

  @TempDir Path root;

  @Test
  void theEndAndThePeakCountTheSameRelro() throws Exception {
    Path ldso = Path.of("/lib64/ld-linux-x86-64.so.2");
    assumeTrue(Files.isReadable(ldso) && Files.size(ldso) == 215000);
    Path exe = root.resolve("tmp/me/ef/pd");
    Files.createDirectories(exe.getParent());
    Files.copy(Path.of(getClass().getResource("/elf/bss_mprotect").toURI()), exe);
    Files.createDirectories(root.resolve("lib64"));
    Files.copy(ldso, root.resolve("lib64/ld-linux-x86-64.so.2"));
    String log = SummaryProcessesTest.log("bss_mprotect_unaligned.log");
    Cli summary = Cli.run("analyze", "--summary", "--root", root.toString(), log);
    assertThat(summary.status()).as(summary.err()).isZero();
    // libc's 16 KiB, the executable's 4 KiB and ld.so's 8 KiB, at the end as at the peak
    assertThat(summary.out())
        .contains(
            "  image: relro                       28 KiB       3     16 KiB       28 KiB       3"
                + "     16 KiB\n")
        // the object rows too: those RELRO ranges name no object at the peak, nor at the end
        .doesNotContain("  /tmp/me/ef/pd ")
        .doesNotContain("  ld-linux-x86-64.so.2 ");
  }
}
