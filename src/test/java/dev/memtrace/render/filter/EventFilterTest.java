package dev.memtrace.render.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.Renderer;
import dev.memtrace.render.Synthetic;
import dev.memtrace.timeline.AnnotatedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterTest {

  static List<Integer> lines(EventFilter.Options o) {
    EventFilter f = new EventFilter(o, RegionClassifier.BY_NAME);
    return Synthetic.process(true).stream().filter(f::test).map(a -> a.event().line()).toList();
  }

  static EventFilter.Options opts(
      Set<Integer> pids,
      Set<String> calls,
      Set<String> classes,
      boolean mem,
      String since,
      String until) {
    return new EventFilter.Options(
        pids,
        calls,
        classes,
        mem,
        since == null ? null : Bound.parse(since),
        until == null ? null : Bound.parse(until));
  }

  @Test
  void noOptionsKeepEverything() {
    assertThat(lines(EventFilter.Options.NONE)).hasSize(13);
  }

  @Test
  void pidOfAProcessKeepsItsThreadsAndTidKeepsOnlyTheThread() {
    assertThat(lines(opts(Set.of(100), Set.of(), Set.of(), false, null, null))).hasSize(13);
    assertThat(lines(opts(Set.of(101), Set.of(), Set.of(), false, null, null))).containsExactly(11);
  }

  @Test
  void syscallClassAndMemoryOnly() {
    assertThat(lines(opts(Set.of(), Set.of("mmap", "munmap"), Set.of(), false, null, null)))
        .containsExactly(5, 7, 9, 12);
    assertThat(lines(opts(Set.of(), Set.of(), Set.of("heap"), false, null, null)))
        .containsExactly(3, 8, 11);
    assertThat(lines(opts(Set.of(), Set.of(), Set.of(), true, null, null)))
        .containsExactly(1, 2, 3, 5, 7, 8, 9, 11, 12);
  }

  @Test
  void sinceAndUntilByLineAndByTime() {
    assertThat(lines(opts(Set.of(), Set.of(), Set.of(), false, "4", "6"))).containsExactly(4, 5, 6);
    // events are 125 µs apart: from 0.0005 s after the first (line 5) to 0.00075 s (line 7)
    assertThat(lines(opts(Set.of(), Set.of(), Set.of(), false, "0.0005s", "+0.00075")))
        .containsExactly(5, 6, 7);
    // the synthetic clock starts at 1000.000125 s: an absolute -ttt style bound
    assertThat(lines(opts(Set.of(), Set.of(), Set.of(), false, "1000.0016", null)))
        .containsExactly(13);
    // a time of day: 1000 s after midnight is 00:16:40
    assertThat(lines(opts(Set.of(), Set.of(), Set.of(), false, null, "00:16:40.0003")))
        .containsExactly(1, 2);
  }

  @Test
  void aBoundThatIsNeitherLineNorTimeIsRefusedWithTheSpellings() {
    assertThatThrownBy(() -> Bound.parse("yesterday"))
        .hasMessageContaining("2.5s")
        .hasMessageContaining("10:31:02.25");
  }

  @Test
  void filteringRendererPassesOnlyAcceptedEvents() throws Exception {
    List<Integer> seen = new ArrayList<>();
    var sink =
        new Renderer() {
          @Override
          public void event(AnnotatedEvent e) {
            seen.add(e.event().line());
          }

          @Override
          public void finish() {
            seen.add(-1);
          }
        };
    FilteringRenderer r =
        new FilteringRenderer(
            new EventFilter(
                opts(Set.of(101), Set.of(), Set.of(), false, null, null), RegionClassifier.BY_NAME),
            sink);
    for (AnnotatedEvent e : Synthetic.process(false)) {
      r.event(e);
    }
    r.finish();
    assertThat(seen).containsExactly(11, -1);
  }
}
