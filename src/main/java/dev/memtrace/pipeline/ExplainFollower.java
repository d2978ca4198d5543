package dev.memtrace.pipeline;

import dev.memtrace.correlate.MapsAt;
import dev.memtrace.explain.Explainer;
import dev.memtrace.model.ModelView;
import dev.memtrace.model.Region;
import dev.memtrace.model.Who;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.ExplainedClass;
import java.util.ArrayList;
import java.util.List;

/**
 * The explain stage following a replay of {@code maps --explain} or {@code where}: it explains the
 * events as {@code analyze} would, so that a region is given the class its explanation gave it (a
 * thread stack, a guard page, a malloc arena) where the model alone knows only "anonymous". The
 * explanations themselves are not printed.
 */
final class ExplainFollower implements MapsAt.Follower {

  private final Explainer explain;
  private final List<AnnotatedEvent> passed = new ArrayList<>();

  ExplainFollower(ModelView model) {
    this.explain = new Explainer(Explainer.DEFAULT_WINDOW, model, false);
  }

  @Override
  public void accept(AnnotatedEvent a) {
    try {
      explain.accept(a, passed);
    } catch (RuntimeException x) {
      throw new StageFailure("explain", a.event(), x);
    }
    passed.clear();
  }

  @Override
  public ExplainedClass classOf(Who who, Region r) {
    return explain.classOf(who, r);
  }

  @Override
  public String unmappedAt(Who who, long address) {
    return explain.unmappedAt(who, address);
  }
}
