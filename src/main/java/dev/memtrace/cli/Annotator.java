package dev.memtrace.cli;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.correlate.Snapshot;
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
  private final ModelStage model;
  private final Explainer explain;

  /**
   * @param stages how far to go, for benchmarks: {@code parse} (events pass bare), {@code model}
   *     (no explanations), anything else: everything
   */
  Annotator(List<Snapshot> snapshots, String stages) {
    boolean withModel = !"parse".equals(stages);
    this.model = withModel ? new ModelStage(new MemoryModel(), snapshots) : null;
    this.explainOn = withModel && !"model".equals(stages);
    this.explain = new Explainer(explainOn ? Explainer.DEFAULT_WINDOW : 0,
        pid -> model == null ? null : model.model().space(pid));
  }

  private final boolean explainOn;

  List<AnnotatedEvent> accept(TraceEvent e) {
    if (model == null) {
      return List.of(AnnotatedEvent.bare(e));
    }
    List<AnnotatedEvent> out = new ArrayList<>();
    for (AnnotatedEvent a : model.accept(e)) {
      if (explainOn) {
        out.addAll(explain.accept(a));
      } else {
        out.add(a);
      }
    }
    return out;
  }

  List<AnnotatedEvent> finish() {
    if (model == null) {
      return List.of();
    }
    List<AnnotatedEvent> out = new ArrayList<>();
    for (AnnotatedEvent a : model.finish()) {
      if (explainOn) {
        out.addAll(explain.accept(a));
      } else {
        out.add(a);
      }
    }
    if (explainOn) {
      out.addAll(explain.finish());
    }
    return out;
  }

  List<SpaceReport> reports() {
    return explain.reports();
  }

  ExplainStats stats() {
    return explain.stats();
  }
}
