package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The glibc arithmetic (malloc/malloc.c, malloc/arena.c, nptl/allocatestack.c) against figures
 * measured on real runs.
 */
class GlibcTest {

  @Test
  void request2sizeRoundsToSixteenWithTheHeaderAndNeverBelowMinsize() {
    assertThat(Glibc.request2size(131072).value()).isEqualTo(131088);
    assertThat(Glibc.request2size(1).value()).isEqualTo(32);
    assertThat(Glibc.request2size(24).value()).isEqualTo(32);
    assertThat(Glibc.request2size(25).value()).isEqualTo(48);
  }

  @Test
  void mallocMmapSizesMatchTheVerifiedOnes() {
    assertThat(Glibc.mallocMmap(200000).value()).isEqualTo(200704);
    assertThat(Glibc.mallocMmap(1 << 20).value()).isEqualTo(1052672);
    assertThat(Glibc.mallocMmap(64L << 20).value()).isEqualTo(67112960);
    assertThat(Glibc.mallocMmap(131072).value()).isEqualTo(135168);
  }

  @Test
  void alignedAllocAndOldCoreutilsMallocBothGive139264WithTheirSteps() {
    Calc aligned = Glibc.alignedAllocMmap(4096, 131072);
    assertThat(aligned.value()).isEqualTo(139264);
    assertThat(aligned.steps())
        .contains("131088 + 4096 + 32 = 135216")
        .contains("135232")
        .contains("ALIGN_UP(135240, 4096) = 139264 (34 pages)");
    assertThat(Glibc.mallocMmap(131072 + 4095).value()).isEqualTo(139264);
    assertThat(Glibc.alignedAllocMmap(4096, 1048576).value()).isEqualTo(1056768);
  }

  @Test
  void firstBrkGrowthIs0x21000ForAnyFirstChunkUpTo4064() {
    assertThat(Glibc.brkGrowth(0x290, 0, Glibc.TOP_PAD).value()).isEqualTo(0x21000);
    assertThat(Glibc.brkGrowth(4064, 0, Glibc.TOP_PAD).value()).isEqualTo(0x21000);
    assertThat(Glibc.brkGrowth(4080, 0, Glibc.TOP_PAD).value()).isEqualTo(0x22000);
    assertThat(Glibc.largestChunkForGrowth(0x21000, Glibc.TOP_PAD)).isEqualTo(4064);
  }

  @Test
  void dynamicThresholdFollowsFreesUpTo32MiB() {
    assertThat(Glibc.thresholdAfterFree(131072, 135184).value()).isEqualTo(135184);
    assertThat(Glibc.thresholdAfterFree(131072, 135184).steps()).contains("270368");
    assertThat(Glibc.thresholdAfterFree(135184, 4198400).value()).isEqualTo(4198400);
    assertThat(Glibc.thresholdAfterFree(131072, 67112960).value()).isEqualTo(131072);
    assertThat(Glibc.thresholdAfterFree(200704, 135184).value()).isEqualTo(200704);
  }

  @Test
  void threadStacksComeFromRlimitStackOrTwoMiBWhenUnlimited() {
    assertThat(Glibc.threadStackSize(8192 * 1024).value()).isEqualTo(8388608);
    assertThat(Glibc.threadStackSize(-1).value()).isEqualTo(2097152);
    assertThat(Glibc.threadStackSize(10000).value()).isEqualTo(12288);
    assertThat(Glibc.threadStackMapping(8388608, 4096).value()).isEqualTo(8392704);
  }

  @Test
  void minimalMallocAddsOnePage() {
    assertThat(Glibc.minimalMallocMmap(4296).value()).isEqualTo(12288);
    assertThat(Glibc.minimalMallocMmap(100).value()).isEqualTo(8192);
  }

  @Test
  void humanUnits() {
    assertThat(Human.bytes(4096)).isEqualTo("4 KiB");
    assertThat(Human.bytes(139264)).isEqualTo("136 KiB");
    assertThat(Human.bytes(1974096)).isEqualTo("1.88 MiB");
    assertThat(Human.bytes(512)).isEqualTo("512 B");
    assertThat(Human.bytes(134217728)).isEqualTo("128 MiB");
  }
}
