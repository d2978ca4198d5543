package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.elf.ElfFiles;
import dev.memtrace.timeline.Explanation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An mprotect of memory no tag names, told from the region the model holds: a C program (gcc -O1
 * -s, Debian 12) makes part of its own page-aligned .bss array read-only with mprotect(table, 4110,
 * PROT_READ), then part of a page-aligned .data array with mprotect(data, 100, PROT_READ). The
 * sentence rested on "snapshot" where no snapshot was taken (the model laid the regions out from
 * the executable's ELF program headers), said "changes 4110 bytes" where the kernel changes 8192
 * (do_mprotect_pkey takes PAGE_ALIGN(len)), and named the data segment "file mapping (private)".
 * The executable, 26 KiB, is kept in elf/bss_mprotect (the log is strace -f -tt -T -y of
 * /tmp/me/ef/pd) and read under a --root.
 */
class ModelRegionBasisTest {

  @TempDir Path root;

  @Test
  void anMprotectOfTheImageRestsOnItsElfHeadersAndSaysWholePages() throws Exception {
    Path exe = root.resolve("tmp/me/ef/pd");
    Files.createDirectories(exe.getParent());
    Files.copy(Path.of(getClass().getResource("/elf/bss_mprotect").toURI()), exe);
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/bss_mprotect_unaligned.log").toURI()));
    Run.Out out = Run.explain(log, ElfFiles.under(root));
    Explanation e = out.at(30).why().get(0);
    assertThat(e.rule()).isEqualTo("mprotect-model");
    assertThat(e.basis()).isEqualTo(Explanation.Basis.ELF);
    assertThat(e.text())
        .startsWith(
            "changes 4110 bytes (8192: the kernel widens the range to whole pages) of an"
                + " anonymous region (image: bss, 0x555b26249000-0x555b2624d000) to PROT_READ");
    Explanation data = out.at(31).why().get(0);
    assertThat(data.basis()).isEqualTo(Explanation.Basis.ELF);
    assertThat(data.text())
        .startsWith(
            "changes 100 bytes (4096: the kernel widens the range to whole pages) of /tmp/me/ef/pd"
                + " (image: data, 0x555b26246000-0x555b26249000) to PROT_READ");
  }
}
