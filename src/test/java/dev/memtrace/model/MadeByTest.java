package dev.memtrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of an area each call made, kept as values though parts are added in place. */
class MadeByTest {

  /**
   * A fork's copy shares its parent's areas: a part added above the last by one must not show in
   * the other, though the first was written into the shared array's spare room.
   */
  @Test
  void twoValuesGrownFromOneKeepTheirOwnParts() {
    MadeBy heap = MadeBy.whole(1, 0x1000, 0x2000).plus(0x2000, 0x3000, 2);
    MadeBy parent = heap.plus(0x3000, 0x4000, 3);
    MadeBy child = heap.plus(0x3000, 0x5000, 4);
    assertThat(heap.lines()).containsExactly(1, 2);
    assertThat(parent.lines()).containsExactly(1, 2, 3);
    assertThat(child.lines()).containsExactly(1, 2, 4);
    assertThat(List.of(parent.lineAt(0x3800), child.lineAt(0x3800), child.lineAt(0x4800)))
        .containsExactly(3, 4, 4);
    assertThat(heap.lineAt(0x3800)).isZero();
  }

  @Test
  void partsOfOneCallThatMeetAreOneAndACutKeepsWhatIsLeft() {
    MadeBy a = MadeBy.whole(7, 0x1000, 0x2000).join(MadeBy.whole(7, 0x2000, 0x3000));
    assertThat(List.of(a.line(), a.from(), a.to())).containsExactly(7, 0x1000L, 0x3000L);
    MadeBy cut = MadeBy.whole(5, 0x1000, 0x2000).plus(0x2000, 0x3000, 6).clip(0x1800, 0x2800);
    assertThat(List.of(cut.line(), cut.from(), cut.to())).containsExactly(5, 0x1800L, 0x2000L);
    assertThat(cut.lines()).containsExactly(5, 6);
    MadeBy gone = cut.clip(0x2800, 0x3000);
    assertThat(gone.lines()).isEmpty();
    assertThat(gone.line()).isEqualTo(5);
  }

  /** mremap moves an area's parts: each keeps its call and names the mremap that moved it. */
  @Test
  void movedPartsKeepTheirCallAndNameTheMremap() {
    MadeBy grown = MadeBy.whole(4, 0x1000, 0x2000).plus(0x2000, 0x3000, 5);
    MadeBy moved = grown.shift(0x10000, 8).plus(0x13000, 0x14000, 8);
    assertThat(moved.lines()).containsExactly(4, 5, 8);
    assertThat(List.of(moved.movedAt(0x11000), moved.movedAt(0x12800), moved.movedAt(0x13000)))
        .containsExactly(8, 8, 0);
    assertThat(List.of(moved.from(), moved.to())).containsExactly(0x11000L, 0x12000L);
    // a part of the same call moved there is not one with a part made in place
    MadeBy beside =
        MadeBy.whole(7, 0x1000, 0x2000).shift(0, 9).join(MadeBy.whole(7, 0x2000, 0x3000));
    assertThat(List.of(beside.from(), beside.to())).containsExactly(0x1000L, 0x2000L);
    assertThat(beside.clip(0x1800, 0x2800).lines()).containsExactly(7);
    assertThat(beside.clip(0x1800, 0x2800).movedAt(0x2000)).isZero();
  }
}
