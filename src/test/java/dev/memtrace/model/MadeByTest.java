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
}
