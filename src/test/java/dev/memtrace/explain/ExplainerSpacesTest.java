package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The explain stage's address spaces over the tasks of a log: who shares what, and when they end.
 */
class ExplainerSpacesTest {

  /** Process 100 maps 8 KiB and exits; then 101, never seen starting, maps 16 KiB and exits. */
  private static final String TWO_LIVES =
      """
      100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
      100 exit_group(0)                     = ?
      100 +++ exited with 0 +++
      101 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1000000000
      101 exit_group(0)                     = ?
      101 +++ exited with 0 +++
      """;

  private static List<SpaceReport> reports(String log, boolean keepReports) {
    ModelStage model = new ModelStage(new MemoryModel(), List.of());
    Explainer ex = new Explainer(Explainer.DEFAULT_WINDOW, model.model(), keepReports);
    for (TraceEvent e : TraceReader.parseAll(log)) {
      ex.accept(model.annotate(e));
    }
    ex.finish();
    return ex.reports();
  }

  @Test
  void aTaskFirstSeenAfterTheLastOneExitedDoesNotJoinTheDeadOnesSpace() {
    List<SpaceReport> r = reports(TWO_LIVES, true);
    assertThat(r).extracting(SpaceReport::pids).containsExactly(List.of(100), List.of(101));
    assertThat(r).extracting(s -> s.end().total()).containsExactly(8192L, 16384L);
  }

  @Test
  void withoutReportsWantedTheSpacesOfExitedProcessesAreLetGo() {
    assertThat(reports(TWO_LIVES, false)).isEmpty();
    String alive =
        TWO_LIVES.lines().filter(l -> !l.startsWith("101 +++")).toList().stream()
            .reduce("", (a, b) -> a + b + "\n");
    assertThat(reports(alive, false)).extracting(SpaceReport::pids).containsExactly(List.of(101));
  }
}
