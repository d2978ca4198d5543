package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.model.Region;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sentence that says which call made a region, for maps --explain and where. */
class RegionOriginTest {

  static final String MMAP = "mmap(NULL, 25169920, PROT_READ|PROT_WRITE, ...) = 0x7fab327fe000";

  static Region anon(String path, long madeFrom, long madeTo) {
    return new Region(
        0x7fab327fe000L,
        0x7fab38000000L,
        "rw-p",
        0,
        "00:00",
        0,
        path,
        9592,
        Region.Learnt.TRACE,
        madeFrom,
        madeTo);
  }

  @Test
  void aRegionOneCallMadeIsThatCalls() {
    assertThat(RegionOrigin.made(anon("", 0x7fab327fe000L, 0x7fab38000000L), MMAP))
        .isEqualTo("made by line 9592: " + MMAP);
  }

  /** xz -T2: four 24 MiB buffers, one area; the line names the call that made its lowest part. */
  @Test
  void aMergedRegionSaysHowMuchOfItTheCallMade() {
    assertThat(RegionOrigin.made(anon("", 0x7fab327fe000L, 0x7fab33fff000L), MMAP))
        .isEqualTo(
            "made by line 9592: "
                + MMAP
                + "; that made 24.0 MiB of it (0x7fab327fe000-0x7fab33fff000) and other calls the"
                + " rest, next to it: the kernel keeps them in one area (an adjacent mapping of the"
                + " same kind is merged into it: vma_merge)");
  }

  @Test
  void theOtherCallsAreNamedByLineWhenTheModelKnowsThem() {
    Region r = anon("", 0x7fab327fe000L, 0x7fab33fff000L);
    assertThat(RegionOrigin.made(r, MMAP, List.of(9592, 3794)))
        .contains("of it (0x7fab327fe000-0x7fab33fff000) and line 3794 the rest, next to it");
    assertThat(RegionOrigin.made(r, MMAP, List.of(9592, 3794, 3750, 3744)))
        .contains(" and lines 3794, 3750 and 3744 the rest");
    assertThat(RegionOrigin.made(r, MMAP, List.of(9592, 3794, 3750, 3744, 3291)))
        .contains(" and lines 3794, 3750, 3744 and 1 more call the rest");
    assertThat(RegionOrigin.made(r, MMAP, List.of(9592, 3794, 3750, 3744, 3291, 12)))
        .contains(" and lines 3794, 3750, 3744 and 2 more calls the rest");
  }

  @Test
  void aMergedRegionWhosePartIsGoneDoesNotClaimIt() {
    assertThat(RegionOrigin.made(anon("", 0x7fab327fe000L, 0x7fab327fe000L), MMAP))
        .contains("; what that made has been split off or unmapped since, and what is left other")
        .doesNotContain("that made 0");
  }

  @Test
  void aSnapshotsRegionAnotherCallJoinedDoesNotSayNoCallMadeIt() {
    Region r =
        new Region(
            0x1000, 0x4000, "rw-p", 0, "00:00", 0, "", 0, Region.Learnt.SNAPSHOT, 0x1000, 0x2000);
    assertThat(RegionOrigin.made(r, null))
        .startsWith("learnt from a /proc/PID/maps snapshot, which showed 4 KiB of it")
        .contains("the trace's calls the rest")
        .doesNotContain("no call");
    Region whole = new Region(0x1000, 0x4000, "rw-p", 0, "00:00", 0, "", 0);
    assertThat(RegionOrigin.made(whole, null))
        .isEqualTo(
            "learnt from a /proc/PID/maps snapshot: no call in the trace up to here made it (a"
                + " snapshot read late can already show what a later call maps)");
  }

  @Test
  void aGrownHeapNamesBrk() {
    assertThat(RegionOrigin.made(anon("[heap]", 0x7fab327fe000L, 0x7fab327ff000L), "brk(...)"))
        .contains("that made 4 KiB of it")
        .endsWith("the kernel keeps them in one area (brk grows [heap] in place)");
  }
}
