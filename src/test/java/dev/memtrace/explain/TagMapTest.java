package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.RegionClass;
import org.junit.jupiter.api.Test;

class TagMapTest {
  private static Tag tag(String what) {
    return new Tag(RegionClass.ANON, what, null, 1);
  }

  @Test
  void putReplacesOverlapsAndRemovePunchesHolesKeepingTheTotal() {
    TagMap m = new TagMap();
    m.put(0x1000, 0x9000, tag("a"));
    m.put(0x3000, 0x4000, tag("b"));
    assertThat(m.all()).hasSize(3);
    assertThat(m.at(0x3800).tag().what()).isEqualTo("b");
    assertThat(m.at(0x2fff).tag().what()).isEqualTo("a");
    assertThat(m.at(0x4000).tag().what()).isEqualTo("a");
    assertThat(m.total()).isEqualTo(0x8000);
    m.remove(0x2000, 0x5000);
    assertThat(m.at(0x3000)).isNull();
    assertThat(m.total()).isEqualTo(0x5000);
    assertThat(m.below(0x3000).end()).isEqualTo(0x2000);
    assertThat(m.above(0x3000).start()).isEqualTo(0x5000);
    assertThat(m.overlapping(0x1800, 0x6000)).hasSize(2);
  }

  @Test
  void aCopyIsIndependent() {
    TagMap m = new TagMap();
    m.put(0x1000, 0x2000, tag("a"));
    TagMap c = m.copy();
    c.remove(0x1000, 0x2000);
    assertThat(m.at(0x1000)).isNotNull();
    assertThat(c.at(0x1000)).isNull();
  }
}
