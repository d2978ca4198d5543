package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation.Basis;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An mremap that grows a mapping where it is, without MREMAP_MAYMOVE, and fails with ENOMEM: PHP
 * 8.2's Zend memory manager grows a huge block so (zend_mm_chunk_extend calls mremap(addr, old,
 * new, 0) to keep the block's 2 MiB alignment) and maps a new one when that fails. The kernel grows
 * a mapping in place only into free pages (vma_expandable, mm/mremap.c); an old range that is not
 * mapped is EFAULT (vma_lookup), never ENOMEM. The lines are from {@code strace -f -tt -T -y php
 * p1.php data.txt} (PHP 8.2 on Debian 12, a script that appends 200000 lines to a string), cut to
 * the two Zend chunks and the block's growth.
 */
class MremapGrowthTest {

  private static String log() throws Exception {
    return Files.readString(
        Path.of(
            MremapGrowthTest.class.getResource("/logs-extra/php_huge_block_mremap.log").toURI()));
  }

  @Test
  void aGrowthInPlaceBlockedByTheNextMappingNamesIt() throws Exception {
    // it read "no room: the address range is not mapped (munmap/mprotect/madvise), the mapping
    // cannot grow there (mremap without MREMAP_MAYMOVE), or the commit limit or the map count
    // (vm.max_map_count) would be exceeded", as a pattern: the model holds the chunk mapped at
    // line 3 right after the one line 7 grows
    Run.Out out = Run.explain(log());
    assertThat(out.why(7))
        .startsWith("mremap failed with ENOMEM: it asked to grow the mapping at 0x7f1f3c200000")
        .contains("from 2097152 to 2101248 bytes where it is, without MREMAP_MAYMOVE")
        .contains("0x7f1f3c400000 is in the 2097152-byte anonymous mapping named \"zend_alloc\"")
        .contains("made at line 3")
        .contains("vma_expandable")
        .doesNotContain("not mapped");
    assertThat(out.at(7).why().get(0).basis()).isEqualTo(Basis.ARITHMETIC);
  }

  @Test
  void withNothingInTheWayTheCausesAreMremapsOwnAndAnUnmappedRangeIsNotOne() throws Exception {
    // without the chunk after it (lines 3 and 4 cut), the model shows nothing in the way: the
    // causes are the ones mremap's ENOMEM has, as a pattern
    String cut =
        String.join(
            "\n",
            log()
                .lines()
                .filter(l -> !l.contains("0x7f1f3c400000") || l.contains("mremap"))
                .toList());
    Run.Out out = Run.explain(cut);
    assertThat(out.why(5))
        .startsWith("mremap failed with ENOMEM: no room: it could not grow the mapping in place")
        .contains("MREMAP_MAYMOVE")
        .contains("an old range that is not mapped fails with EFAULT instead")
        .doesNotContain("is in the");
    assertThat(out.at(5).why().get(0).basis()).isEqualTo(Basis.PATTERN);
  }
}
