package dev.memtrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.explain.AnnotatedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpaceTrackerTest {

  @Test
  void threadsShareTheirProcessSpaceForkCopiesExecveStartsAfresh() {
    List<AnnotatedEvent> t = new Synthetic(false)
        .call(10, "clone3", "{flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND, stack=0x7f00}, 88", "11", List.of())
        .call(11, "brk", "NULL", "0x1000", List.of())
        .call(10, "clone", "child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD", "12", List.of())
        .call(12, "brk", "NULL", "0x1000", List.of())
        .call(12, "execve", "\"/bin/true\", [\"true\"], 0x7ffe", "0", List.of())
        .events();
    SpaceTracker s = new SpaceTracker(t);
    int main = s.enter(t.get(0).event());
    assertThat(s.enter(t.get(1).event())).isEqualTo(main);
    assertThat(s.process(11)).isEqualTo(10);
    s.enter(t.get(2).event());
    int child = s.enter(t.get(3).event());
    assertThat(child).isNotEqualTo(main);
    assertThat(s.copiedFrom()).isEqualTo(main);
    assertThat(s.process(12)).isEqualTo(12);
    int exec = s.enter(t.get(4).event());
    assertThat(exec).isNotIn(main, child);
    assertThat(s.copiedFrom()).isEqualTo(-1);
  }

  @Test
  void aLoopOfBirthsFromReusedPidsEnds() {
    List<AnnotatedEvent> t = new Synthetic(false)
        .call(20, "clone", "flags=CLONE_VM|CLONE_THREAD", "21", List.of())
        .call(21, "clone", "flags=CLONE_VM|CLONE_THREAD", "20", List.of())
        .events();
    SpaceTracker s = new SpaceTracker(t);
    assertThat(s.process(20)).isIn(20, 21);
    assertThat(s.enter(t.get(1).event())).isGreaterThanOrEqualTo(0);
  }
}
