package dev.memtrace.cli;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.explain.ExplainStats;
import dev.memtrace.explain.Explainer;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.trace.TraceEvent;
import java.util.List;

/**
 * The stages between parsing and rendering, chained: the model (with correlation; one event in,
 * one out) and then the explain stage, which reads the model's address space of each pid and
 * holds events back in its lookahead window, so each call returns the events that are ready, in
 * order.
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
    AnnotatedEvent a = model.annotate(e);
    return explainOn ? explain.accept(a) : List.of(a);
  }

  /** The events the explain stage still holds, after the last one. */
  List<AnnotatedEvent> finish() {
    if (model != null) {
      model.finish();
    }
    return explainOn ? explain.finish() : List.of();
  }

  List<SpaceReport> reports() {
    return explain.reports();
  }

  ExplainStats stats() {
    return explain.stats();
  }
}
