package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code maps --explain} and {@code where} on a malloc chunk realloc grew with mremap: perl 5.36
 * appends to a string, glibc's realloc grows its mmapped chunk with mremap (mremap_chunk), twice
 * moving it (lines 71 and 74) and three times growing it in place. The kernel grows the one area
 * (vma_expandable, move_vma): no neighbour was merged into it, yet the listing said so; and the
 * pages the mmap at line 69 made lie where the mremap at line 74 moved them, not where that mmap
 * put them. Memory calls of strace -f -tt -T -y perl -e 'my $s = ""; my $t = "y" x 140000; $s .=
 * "x" x 4000 for 1..100; print length($s), "\n"' (Debian 12) up to the last mremap.
 */
class MremapGrownRegionTest {

  static String log() throws Exception {
    return Path.of(
            MremapGrownRegionTest.class
                .getResource("/logs-extra/perl_string_mremap_grow.log")
                .toURI())
        .toString();
  }

  @Test
  void aChunkMremapGrewIsOneAreaNotAMerge() throws Exception {
    Cli r = Cli.run("maps", "--explain", "--at", "75", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "made by line 69: 9171  00:36:40.865430 mmap(NULL, 167936, PROT_READ|PROT_WRITE,"
                + " MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f992c...; that made 164 KiB of it"
                + " (0x7f992c240000-0x7f992c269000, pages the mremap at line 74 put here) and"
                + " lines 71, 72, 73 and 2 more calls the rest, next to it: the kernel keeps them"
                + " in one area (an mremap that grows a mapping grows its one area:"
                + " vma_expandable, move_vma)")
        .doesNotContain("vma_merge)\n    last changed by line 75")
        // line 75 grew the chunk in place: it did not make the mapping, its explanation retold it
        .contains("malloc mmap chunk (as explained at line 75), 476 KiB")
        .doesNotContain("the mapping made at line 75");
  }

  @Test
  void whereSaysTheSame() throws Exception {
    Cli r = Cli.run("where", "0x7f992c250000", "--at", "75", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("pages the mremap at line 74 put here")
        .contains("an mremap that grows a mapping grows its one area")
        .doesNotContain("merged into it: vma_merge");
    // 0x7f992c26a000 is in what the mremap at line 71 added before line 74 moved it
    Cli in = Cli.run("where", "0x7f992c26a000", "--at", "75", log());
    assertThat(in.out())
        .contains("the address is in the part line 71 made: ")
        .contains("; the mremap at line 74 put its pages here");
  }
}
