package dev.memtrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Who;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpaceTrackerTest {

  private static List<AnnotatedEvent> timeline(String log) {
    ModelStage model = new ModelStage(new MemoryModel(), List.of());
    List<AnnotatedEvent> out = new ArrayList<>();
    for (TraceEvent e : TraceReader.parseAll(log)) {
      out.add(model.annotate(e));
    }
    return out;
  }

  @Test
  void threadsShareTheirProcessSpaceForkCopiesExecveStartsAfresh() {
    List<AnnotatedEvent> t =
        timeline(
            """
        10 clone3({flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND, stack=0x7f00}, 88) = 11
        11 brk(NULL) = 0x1000
        10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD) = 12
        12 brk(NULL) = 0x1000
        12 execve("/bin/true", ["true"], 0x7ffe) = 0
        """);
    SpaceTracker s = tracker(t);
    int main = s.enter(t.get(0));
    assertThat(s.enter(t.get(1))).isEqualTo(main);
    assertThat(SpaceTracker.process(t.get(1))).isEqualTo(10);
    s.enter(t.get(2));
    int child = s.enter(t.get(3));
    assertThat(child).isNotEqualTo(main);
    assertThat(s.copiedFrom()).isEqualTo(main);
    assertThat(SpaceTracker.process(t.get(3))).isEqualTo(12);
    int exec = s.enter(t.get(4));
    assertThat(exec).isNotIn(main, child);
    assertThat(s.copiedFrom()).isEqualTo(-1);
  }

  @Test
  void withRawFlagsAThreadIsInItsProcessAndItsSpace() {
    List<AnnotatedEvent> t =
        timeline(
            """
        10 clone3({flags=0x3d0f00, child_tid=0x7f10, stack=0x7f00, stack_size=0x7fff80}, 88) = 11
        11 brk(NULL) = 0x1000
        """);
    SpaceTracker s = tracker(t);
    assertThat(s.enter(t.get(1))).isEqualTo(s.enter(t.get(0)));
    assertThat(SpaceTracker.process(t.get(1))).isEqualTo(10);
  }

  @Test
  void aThreadMetBeforeItsCloneReturnedIsDrawnInItsProcessSpace() {
    List<AnnotatedEvent> t =
        timeline(
            """
        10 brk(NULL) = 0x1000
        11 brk(NULL) = 0x1000
        10 clone3({flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND, stack=0x7f00}, 88) = 11
        """);
    SpaceTracker s = tracker(t);
    assertThat(s.enter(t.get(1))).isEqualTo(s.enter(t.get(0)));
    assertThat(SpaceTracker.process(t.get(1))).isEqualTo(10);
  }

  @Test
  void aSpaceThatEndedLeavesNoEntryBehind() {
    SpaceTracker s = new SpaceTracker(Map.of(7, 3));
    s.enter(3);
    assertThat(s.kept()).isEqualTo(2);
    assertThat(s.enter(7)).isEqualTo(7);
    assertThat(s.copiedFrom()).isEqualTo(3);
    s.ended(3);
    s.ended(7);
    assertThat(s.kept()).isZero();
    // met again, a space is new to the tracker (renderers end a space after its last event only)
    s.enter(7);
    assertThat(s.copiedFrom()).isEqualTo(-1);
  }

  /** A tracker given the forks of the whole timeline, as a renderer reads them. */
  private static SpaceTracker tracker(List<AnnotatedEvent> timeline) {
    Map<Integer, Integer> copies = new HashMap<>();
    for (AnnotatedEvent a : timeline) {
      Who w = a.who();
      if (w != null && w.made() != null && w.made().kind() == Who.Kind.PROCESS) {
        copies.putIfAbsent(w.made().space().number(), w.space().number());
      }
    }
    return new SpaceTracker(copies);
  }
}
