package dev.memtrace.render;

import static dev.memtrace.render.Synthetic.region;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class SpaceStateTest {

  @Test
  void anAddedRegionCutsWhatItCoversAsMapFixedDoesAndTheDeltaSaysSo() {
    SpaceState s = new SpaceState();
    Region big = region(0x10000, 0x20000, "rw-p", "");
    s.apply(List.of(RegionChange.added(big)));
    Region fixed = region(0x14000, 0x15000, "r-xp", "");
    SpaceState.Delta d = s.apply(List.of(RegionChange.added(fixed)));
    assertThat(d.removed()).containsExactly(big);
    assertThat(d.added())
        .extracting(Region::start, Region::end)
        .containsExactlyInAnyOrder(
            Tuple.tuple(0x10000L, 0x14000L),
            Tuple.tuple(0x15000L, 0x20000L),
            Tuple.tuple(0x14000L, 0x15000L));
    assertThat(s.regions()).hasSize(3);
    assertThat(s.regionAt(0x14800)).isEqualTo(fixed);
    assertThat(s.regionAt(0x20000)).isNull();
  }

  @Test
  void aChangeReplacesTheRegionAndARemovalOfSomethingUnknownChangesNothing() {
    SpaceState s = new SpaceState();
    Region heap = region(0x5000, 0x6000, "rw-p", "[heap]");
    Region grown = region(0x5000, 0x9000, "rw-p", "[heap]");
    s.apply(List.of(RegionChange.added(heap)));
    SpaceState.Delta d = s.apply(List.of(RegionChange.changed(heap, grown)));
    assertThat(d.removed()).containsExactly(heap);
    assertThat(d.added()).containsExactly(grown);
    assertThat(
            s.apply(List.of(RegionChange.removed(region(0x100000, 0x101000, "r--p", ""))))
                .isEmpty())
        .isTrue();
    assertThat(s.bytesByClass(RegionClassifier.BY_NAME)).containsEntry("heap (brk)", 0x4000L);
  }
}
