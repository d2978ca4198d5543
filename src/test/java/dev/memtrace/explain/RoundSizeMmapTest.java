package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A private anonymous mapping of a whole number of MiB fits glibc malloc's mmap path only for a
 * request just below it (malloc(n) maps ALIGN_UP(n + 8 + 16, 4096)), while code that calls mmap
 * itself asks for round sizes: apt-cache's DynamicMMap maps its package cache of APT::Cache-Start
 * (24 MiB) so, then grows it with mremap by APT::Cache-Grow. Lines of strace -f -tt -T of apt-cache
 * policy bash on Debian 12, cut to the calls that matter.
 */
class RoundSizeMmapTest {

  private static final String APT =
      """
      10155 10:37:37.701100 execve("/usr/bin/apt-cache", ["apt-cache", "policy", "bash"], 0x7ffc7023eaa8 /* 39 vars */) = 0 <0.000431>
      10155 10:37:37.703322 brk(NULL)         = 0x55e341349000 <0.000021>
      10155 10:37:37.703437 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f7203f4d000 <0.000024>
      10155 10:37:37.711210 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f72033f1000 <0.000021>
      10155 10:37:37.711290 arch_prctl(ARCH_SET_FS, 0x7f72033f1740) = 0 <0.000017>
      10155 10:37:37.834361 mmap(NULL, 25165824, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f7201a00000 <0.000106>
      10155 10:37:37.901000 mmap(NULL, 200704, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f7203361000 <0.000021>
      """;

  @Test
  void aRoundSizeIsHedged() {
    Run.Out out = Run.explain(APT);
    assertThat(out.why(6))
        .startsWith("fits glibc malloc's mmap path")
        .contains("fits malloc(n) for n from 25161705 to 25165800")
        .endsWith(
            "It is exactly 24 MiB, a round size: code that calls mmap itself asks for such"
                + " sizes, while malloc maps one only for a request just below it, so this may be"
                + " the program's own mapping; the trace does not tell them apart (inferred from"
                + " the pattern)");
    // 196 KiB is no round size: malloc(n) for n up to 200680 maps it, as before
    assertThat(out.why(7)).startsWith("fits glibc malloc's mmap path").doesNotContain("round size");
  }

  /**
   * Its munmap fits free() of a malloc chunk or the program's own munmap: free() would raise the
   * dynamic threshold to the chunk's size (_int_free's mp_.mmap_threshold = chunksize), munmap does
   * not, so the raise is not taken as fact and the next chunk is told at the old threshold.
   */
  @Test
  void itsMunmapDoesNotRaiseTheThresholdAsFact() {
    Run.Out out =
        Run.explain(
            APT
                + """
                10155 10:37:37.950000 munmap(0x7f7201a00000, 25165824) = 0 <0.000050>
                10155 10:37:37.960000 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f7201a00000 <0.000021>
                """);
    assertThat(out.why(8))
        .startsWith(
            "fits free() giving the 25165824-byte mapping made at line 6 back to the kernel"
                + " (munmap_chunk unmaps a chunk's whole mapping), or the program unmapping a"
                + " mapping of its own: it is exactly 24 MiB, a round size, and the trace does"
                + " not tell them apart. Had malloc made it, glibc's dynamic mmap threshold"
                + " would rise to the freed chunk's size 25165824")
        .contains("had the program, it stays 131072, and the lines below take it so");
    assertThat(out.why(9)).contains("the mmap threshold (131072)");
  }

  @Test
  void aStackThroughMallocNeedsNoHedge() {
    Run.Out out =
        Run.explain(
            APT.replace(
                "= 0x7f7201a00000 <0.000106>\n",
                """
                = 0x7f7201a00000 <0.000106>
                 > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
                 > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_malloc+0x1c9) [0x99c69]
                """));
    assertThat(out.why(6)).startsWith("glibc malloc's mmap path").doesNotContain("round size");
  }

  /**
   * Its growth: apt-cache show bash (apt 2.6.1, Debian 12, no package lists, so the cache is built
   * in memory) grows the 24 MiB mapping by 1 MiB at a time with mremap(MREMAP_MAYMOVE), as
   * DynamicMMap::Grow does. realloc's mremap_chunk would map ALIGN_UP(nb + 8, 4096), a whole MiB
   * only for a request just below it, so the mremap is hedged as the mmap is, not told as realloc
   * first with the program's own mapping as an afterthought. strace -f -tt -T -y apt-cache show
   * bash, cut to the calls that matter.
   */
  @Test
  void itsRoundGrowthIsHedgedToo() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(
                getClass().getResource("/logs-extra/apt_cache_show_dynamicmmap_grow.log").toURI()));
    assertThat(out.why(7)).contains("It is exactly 24 MiB, a round size");
    assertThat(out.why(8))
        .startsWith(
            "fits realloc of an mmapped malloc chunk (mremap_chunk), or the program resizing a"
                + " mapping of its own: grows the 25165824-byte mapping made at line 7 from"
                + " 25165824 to 26214400 bytes, moving it to 0x7f3052100000")
        .contains(
            "Both sizes are whole MiB (24 MiB to 25 MiB): realloc maps such a size only for a"
                + " request just below it")
        .contains("resizes it by a round step")
        .doesNotContain("A program that mapped the memory itself");
    assertThat(out.why(9)).contains("(25 MiB to 26 MiB)");
  }

  /** A realloc-shaped size that is no whole MiB keeps the old wording. */
  @Test
  void aGrowthToAnOddSizeKeepsTheOldWording() {
    Run.Out out =
        Run.explain(
            APT
                + """
                10155 10:37:37.950000 mremap(0x7f7203361000, 200704, 266240, MREMAP_MAYMOVE) = 0x7f7203361000 <0.000050>
                """);
    assertThat(out.why(8))
        .startsWith("fits realloc of an mmapped malloc chunk (mremap_chunk): grows")
        .contains("A program that mapped the memory itself")
        .doesNotContain("whole MiB");
  }

  /** A shrink between whole MiB is hedged the same way and not told as a growth. */
  @Test
  void aRoundShrinkIsNotToldAsGrowth() {
    Run.Out out =
        Run.explain(
            APT
                + """
                10155 10:37:37.950000 mremap(0x7f7201a00000, 25165824, 24117248, MREMAP_MAYMOVE) = 0x7f7201a00000 <0.000050>
                """);
    assertThat(out.why(8))
        .startsWith(
            "fits realloc of an mmapped malloc chunk (mremap_chunk), or the program resizing a"
                + " mapping of its own: shrinks")
        .contains("(24 MiB to 23 MiB)")
        .doesNotContain("grows");
  }
}
