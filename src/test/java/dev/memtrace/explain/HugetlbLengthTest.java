package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.model.Region;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An anonymous MAP_HUGETLB mmap of a length that is not whole huge pages, and its munmap of the
 * same length: a C program maps 3 MiB with MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB (vm.nr_hugepages
 * 8, Debian 12), and its own /proc/self/maps shows 7fa0faa00000-7fa0fae00000, 4 MiB:
 * ksys_mmap_pgoff rounds the length up to the huge page size. The model made it 3 MiB. The munmap
 * of 3 MiB fails with EINVAL, since it would split the hugetlb area off a huge page boundary
 * (hugetlb_vm_op_split); it read as the generic "an address or length not page-aligned". Lines 30
 * and 41 of strace -f -tt -T -y ./huge.
 */
class HugetlbLengthTest {

  @Test
  void theMappingIsWholeHugePagesAndTheUnalignedMunmapIsToldWhy() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/hugetlb_unaligned_length.log").toURI()));
    Region made = out.at(1).changes().get(0).after();
    assertThat(made.start()).isEqualTo(0x7fa0faa00000L);
    assertThat(made.end()).isEqualTo(0x7fa0fae00000L);
    assertThat(out.why(1))
        .contains(
            "with MAP_HUGETLB, to back it with hugetlbfs huge pages; the kernel maps the length"
                + " rounded up to whole huge pages, 4194304 bytes (ksys_mmap_pgoff), with the"
                + " default huge page size taken as x86-64's 2 MiB (Hugepagesize in"
                + " /proc/meminfo), which the trace does not show");
    assertThat(out.why(2))
        .startsWith(
            "munmap failed with EINVAL: it would split the hugetlb mapping"
                + " 0x7fa0faa00000-0x7fa0fae00000 at 0x7fa0fad00000, which is not on a huge page"
                + " boundary")
        .doesNotContain("not page-aligned");
  }
}
