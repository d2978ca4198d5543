package dev.memtrace.render.perfetto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.explain.Explainer;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The region classes the Perfetto renderer keeps while it writes the document. */
class PerfettoClassesTest {

  /** A shell that maps a page, then forks children that each map memory of their own and exit. */
  private static String shellLoop(int rounds) {
    StringBuilder log =
        new StringBuilder(
            "100 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
                + " = 0x7f3000000000\n");
    for (int i = 0; i < rounds; i++) {
      int child = 200 + i;
      log.append("100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID")
          .append("|SIGCHLD, child_tidptr=0x7f0000000a10) = ")
          .append(child)
          .append('\n')
          .append(child)
          .append(" mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)")
          .append(" = 0x7f20000")
          .append(String.format("%02x", i))
          .append("000\n")
          .append(child)
          .append(" exit_group(0) = ?\n")
          .append(child)
          .append(" +++ exited with 0 +++\n");
    }
    return log.toString();
  }

  private static int classesKeptAfter(int rounds) throws IOException {
    ModelStage model = new ModelStage(new MemoryModel(), List.of());
    Explainer ex = new Explainer(Explainer.DEFAULT_WINDOW, model.model(), false);
    PerfettoRenderer r =
        new PerfettoRenderer(new ByteArrayOutputStream(), RegionClassifier.BY_NAME, "loop");
    List<AnnotatedEvent> timeline = new ArrayList<>();
    for (TraceEvent e : TraceReader.parseAll(shellLoop(rounds))) {
      timeline.addAll(ex.accept(model.annotate(e)));
    }
    timeline.addAll(ex.finish());
    for (AnnotatedEvent a : timeline) {
      r.event(a);
    }
    r.finish();
    return r.classesKept();
  }

  @Test
  void theClassesOfAnEndedSpacesRegionsAreLetGo() throws IOException {
    int one = classesKeptAfter(1);
    assertThat(one).isPositive(); // the shell's page, still mapped at the end
    assertThat(classesKeptAfter(40)).isEqualTo(one);
  }
}
