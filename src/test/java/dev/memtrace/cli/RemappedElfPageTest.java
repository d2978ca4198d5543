package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maps --explain} of the anonymous rest of a reservation after a page of an ELF file mapped
 * into it: node's V8 maps the middle of node's own text into its PROT_NONE code range (RemapPages),
 * and the rest of the range read "image: bss, 184 KiB; holds .text". A C program does the same with
 * one page of an executable's data segment (mmap(res, 4096, PROT_READ|PROT_WRITE,
 * MAP_PRIVATE|MAP_FIXED, fd, 0x2000)); the old listing said "image: bss, 1020 KiB; holds .got.plt
 * .data .bss". Lines of strace -f -tt -T -y ./remap /tmp/me/ef/pd2; the file is elf/bss_mprotect,
 * copied under a --root. A .bss starts at the page after its segment's last file byte, and only
 * there.
 */
class RemappedElfPageTest {

  @TempDir Path root;

  @Test
  void theRestOfAReservationAfterARemappedPageIsNoBss() throws Exception {
    Path file = root.resolve("tmp/me/ef/pd2");
    Files.createDirectories(file.getParent());
    Files.copy(Path.of(getClass().getResource("/elf/bss_mprotect").toURI()), file);
    String log =
        Path.of(
                getClass()
                    .getResource("/logs-extra/elf_page_remapped_into_reservation.log")
                    .toURI())
            .toString();
    Cli r = Cli.run("maps", "--explain", "--root", root.toString(), log);
    assertThat(r.status()).as(r.err()).isZero();
    String out = r.out();
    int at = out.indexOf("7fa05afe9000-7fa05b0e8000 ---p");
    assertThat(at).as(out).isNotNegative();
    String region = out.substring(at, out.indexOf("\n", out.indexOf("\n", at) + 1));
    assertThat(region).contains("reserved (PROT_NONE), 1020 KiB").doesNotContain("bss");
  }
}
