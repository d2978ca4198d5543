package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.Snapshot;
import dev.memtrace.model.RegionChange;
import dev.memtrace.trace.TraceReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A brk after a snapshot read late, that showed [heap] past the model's break: reduced from a live
 * run (--delay 1) of perl building a big hash. The next brk grew the model's [heap] from its own
 * break and cut the snapshot's [heap] at the new one; the part above was printed as a new [heap]
 * region and the model kept two [heap] pieces. The kernel has one [heap] area, start_brk to the
 * break: after the brk it ends at the new break.
 */
class HeapPieceTest {

  private static Run.Out run(String lastBrk) {
    String log =
        """
        400 execve("/usr/bin/perl", ["perl", "-e", "..."], 0x7ffe0434e380 /* 38 vars */) = 0
        400 brk(NULL) = 0xde4000
        400 brk(0xe05000) = 0xe05000
        400 brk(%s) = %s
        400 brk(0xe47000) = 0xe47000
        """
            .formatted(lastBrk, lastBrk);
    String late = "00de4000-00e68000 rw-p 00000000 00:00 0                          [heap]\n";
    return Run.explain(
        TraceReader.parseAll(log), List.of(new Snapshot(3, 400, late)), Explainer.DEFAULT_WINDOW);
  }

  @Test
  void aBrkGrowingPastTheModelsBreakLeavesOneHeapEndingAtTheNewBreak() {
    Run.Out out = run("0xe26000");
    List<RegionChange> changes = out.at(4).changes();
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).op()).isEqualTo(RegionChange.Op.CHANGED);
    assertThat(changes.get(0).before().end()).isEqualTo(0xe68000L);
    assertThat(changes.get(0).after().start()).isEqualTo(0xde4000L);
    assertThat(changes.get(0).after().end()).isEqualTo(0xe26000L);
    assertThat(out.why(4)).contains("The change shows [heap] shrinking");
    // the next brk grows the one [heap] from the break the trace set
    assertThat(out.at(5).changes()).hasSize(1);
    assertThat(out.at(5).changes().get(0).before().end()).isEqualTo(0xe26000L);
    assertThat(out.at(5).changes().get(0).after().end()).isEqualTo(0xe47000L);
  }

  @Test
  void aBrkShrinkingBelowTheModelsBreakDropsTheSnapshotsPartAboveIt() {
    Run.Out out = run("0xe00000");
    List<RegionChange> changes = out.at(4).changes();
    assertThat(changes).hasSize(1);
    assertThat(changes.get(0).before().end()).isEqualTo(0xe68000L);
    assertThat(changes.get(0).after().end()).isEqualTo(0xe00000L);
  }
}
