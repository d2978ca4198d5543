package dev.memtrace.cli;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.explain.ExplainStats;
import dev.memtrace.explain.Explainer;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The stages between parsing and rendering, chained: the model (with correlation) and then the
 * explain stage, which reads the model's address space of each pid. Both may hold events back,
 * so each call returns the events that are ready, in order.
 */
final class Annotator {
  private final ModelStage model = new ModelStage(new MemoryModel(), List.of());
  private final Explainer explain =
      new Explainer(Explainer.DEFAULT_WINDOW, pid -> model.model().space(pid));

  List<AnnotatedEvent> accept(TraceEvent e) {
    List<AnnotatedEvent> out = new ArrayList<>();
    for (AnnotatedEvent a : model.accept(e)) {
      out.addAll(explain.accept(a));
    }
    return out;
  }

  List<AnnotatedEvent> finish() {
    List<AnnotatedEvent> out = new ArrayList<>();
    for (AnnotatedEvent a : model.finish()) {
      out.addAll(explain.accept(a));
    }
    out.addAll(explain.finish());
    return out;
  }

  List<SpaceReport> reports() {
    return explain.reports();
  }

  ExplainStats stats() {
    return explain.stats();
  }
}
