package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.model.RegionChange;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An mbind on an anonymous mapping whose size fits glibc malloc's mmap path: malloc calls no mbind,
 * so the mapping is the program's or a library's own. OpenBLAS 0.3.21 maps its 128 MiB buffers so
 * (alloc_mmap in driver/others/memory.c: mmap of BUFFER_SIZE, 32 << 22 on x86-64, then my_mbind
 * MPOL_PREFERRED). The mbind gives the area a policy of its own, and vma_merge joins areas only
 * with equal policies, so malloc's chunk mapped right below it stays a separate area (checked in
 * /proc/self/maps with a C program doing the same). Lines of strace -f -tt -T -y of octave-cli
 * --eval 'a=rand(300);b=a*a;disp(size(b))' with Debian 12's libopenblas0-pthread, cut to the
 * loading of libopenblasp-r0.3.21.so, the start of malloc and the main thread's buffer.
 */
class MemoryPolicyTest {

  private static Run.Out out() throws Exception {
    return Run.explain(
        Path.of(
            MemoryPolicyTest.class.getResource("/logs-extra/octave_openblas_mbind.log").toURI()));
  }

  @Test
  void anMbindMappingIsNotAMallocChunk() throws Exception {
    Run.Out out = out();
    assertThat(out.why(24))
        .startsWith("a direct anonymous mmap of 134217728 bytes")
        .contains(
            "the mbind at line 25 sets a memory policy on it, which glibc's malloc never does")
        .contains("OpenBLAS, which this process loaded, maps its buffers so")
        .doesNotContain("fits malloc(n)");
    assertThat(out.at(24).why().get(0).rule()).isEqualTo("anon-direct");
    assertThat(out.at(25).why().get(0).rule()).isEqualTo("mbind");
    assertThat(out.why(25))
        .startsWith("sets the memory policy MPOL_PREFERRED on 134217728 bytes")
        .contains("with no nodemask: pages come preferably from the node of the CPU")
        .contains("it applies to pages faulted in from now on")
        .contains("the range stays apart from neighbours that have none");
  }

  @Test
  void anAreaWithAPolicyDoesNotMergeWithANeighbourWithout() throws Exception {
    Run.Out out = out();
    assertThat(out.at(26).changes())
        .singleElement()
        .satisfies(
            ch -> {
              assertThat(ch.op()).isEqualTo(RegionChange.Op.ADDED);
              assertThat(ch.after().start()).isEqualTo(0x7f0e3417f000L);
              assertThat(ch.after().end()).isEqualTo(0x7f0e34200000L);
            });
    assertThat(out.at(27).changes())
        .singleElement()
        .satisfies(ch -> assertThat(ch.op()).isEqualTo(RegionChange.Op.REMOVED));
  }
}
