package dev.memtrace.pipeline;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.explain.ExplainStats;
import dev.memtrace.explain.Explainer;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.SetLines;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The stages between parsing and rendering, chained: the model (with correlation; one event in, one
 * out) and then the explain stage, which reads the model's address space of each pid and holds
 * events back in its lookahead window, so each call returns the events that are ready, in order.
 */
final class Annotator implements ReadAhead.Step<TraceEvent, AnnotatedEvent> {
  private final ModelStage model;
  private final Explainer explain;

  /** Runs on each event the model annotated, before explaining (a live run's snapshot caveats). */
  private final UnaryOperator<AnnotatedEvent> afterModel;

  /**
   * @param stages how far to go, for benchmarks: {@code parse} (events pass bare), {@code model}
   *     (no explanations), anything else: everything
   */
  Annotator(List<Snapshot> snapshots, String stages) {
    this(snapshots, stages, UnaryOperator.identity(), true, null, SetLines.ONE);
  }

  /**
   * @param reports whether {@link #reports()} will be asked for (a summary, the HTML report)
   * @param files where the ELF headers of the programs execve maps are read, or null for none; what
   *     they lay out rides as learnt regions (the picture), not as the calls' changes
   * @param set how the input's lines are numbered: in an {@code -ff} set the stages cite lines by
   *     reference, and each sentence is told here for its event's file
   */
  Annotator(
      List<Snapshot> snapshots,
      String stages,
      UnaryOperator<AnnotatedEvent> afterModel,
      boolean reports,
      ElfFiles files,
      SetLines set) {
    this.afterModel = afterModel;
    this.set = set;
    boolean withModel = !"parse".equals(stages);
    this.model = withModel ? new ModelStage(new MemoryModel(files, null), snapshots, true) : null;
    this.explainOn = withModel && !"model".equals(stages);
    this.explain =
        new Explainer(
            explainOn ? Explainer.DEFAULT_WINDOW : 0,
            model == null ? null : model.model(),
            reports);
  }

  private final boolean explainOn;
  private final SetLines set;

  @Override
  public void accept(TraceEvent e, List<AnnotatedEvent> out) {
    if (model == null) {
      out.add(AnnotatedEvent.bare(e));
      return;
    }
    AnnotatedEvent a;
    try {
      a = afterModel.apply(model.annotate(e));
    } catch (RuntimeException x) {
      throw new StageFailure("model", e, x);
    }
    explained(a, e, out);
  }

  /** Passes an event the model annotated to the explain stage, or on when it is off. */
  private void explained(AnnotatedEvent a, TraceEvent e, List<AnnotatedEvent> out) {
    if (explainOn) {
      int from = out.size();
      try {
        explain.accept(a, out);
      } catch (RuntimeException x) {
        throw new StageFailure("explain", e, x);
      }
      cited(out, from);
    } else {
      out.add(a);
    }
  }

  /**
   * Tells the sentences of the events from index {@code from} on for their own files: in an {@code
   * -ff} set a line another file holds says which file (a single log's are left as they are).
   */
  private void cited(List<AnnotatedEvent> out, int from) {
    if (!set.several()) {
      return;
    }
    for (int i = from; i < out.size(); i++) {
      AnnotatedEvent a = out.get(i);
      if (a.why().isEmpty()) {
        continue;
      }
      int own = set.file(a.event().ref());
      List<Explanation> why = new ArrayList<>(a.why().size());
      for (Explanation x : a.why()) {
        why.add(x.cited(set, own));
      }
      out.set(i, a.withWhy(why));
    }
  }

  /** A snapshot that arrived during the run (live or recording), checked once its call is past. */
  void addSnapshot(Snapshot s) {
    if (model != null) {
      model.add(s);
    }
  }

  /**
   * The events the explain stage still holds, after the last one, then those carrying what the last
   * snapshots taught and no event carried (see {@link ModelStage#untaken}).
   */
  @Override
  public List<AnnotatedEvent> finish() {
    List<AnnotatedEvent> out = new ArrayList<>();
    if (model != null) {
      List<AnnotatedEvent> untaken;
      try {
        model.finish();
        untaken = model.untaken();
      } catch (RuntimeException x) {
        throw new StageFailure("model", null, x);
      }
      for (AnnotatedEvent a : untaken) {
        AnnotatedEvent after = afterModel.apply(a);
        explained(after, after.event(), out);
      }
    }
    try {
      if (explainOn) {
        int from = out.size();
        out.addAll(explain.finish());
        cited(out, from);
      }
      return out;
    } catch (RuntimeException x) {
      throw new StageFailure("explain", null, x);
    }
  }

  /** Why the ELF headers of a program or loader were not used, each once. */
  List<String> elfProblems() {
    return model == null ? List.of() : model.model().elfProblems();
  }

  List<SpaceReport> reports() {
    return explain.reports();
  }

  ExplainStats stats() {
    return explain.stats();
  }
}
