package dev.memtrace.correlate;

import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Outcome;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The model stage of the pipeline: each event goes through the {@link MemoryModel}, and comes out
 * as an {@link AnnotatedEvent} carrying its region changes and, in checks, the model's notes and
 * what the snapshots said. A snapshot is checked when {@link SnapshotQueue} says its call is
 * past, which may be only when a later event arrives; the stage therefore holds one event back
 * so the check can still be attached to it. Without snapshots nothing is held.
 */
public final class ModelStage {

  private final MemoryModel model;
  private final Correlator correlator;
  private final SnapshotQueue pending;
  private AnnotatedEvent held;

  public ModelStage(MemoryModel model, List<Snapshot> snapshots) {
    this.model = model;
    this.correlator = new Correlator(model);
    this.pending = new SnapshotQueue(snapshots);
  }

  public MemoryModel model() {
    return model;
  }

  public Correlator correlator() {
    return correlator;
  }

  /** Checks every snapshot taken on a line before {@code nextLine} (the model is then as after them). */
  public void before(int nextLine) {
    check(pending.upTo(nextLine));
  }

  /** Feeds one event; returns the events now complete (zero, one or two). */
  public List<AnnotatedEvent> accept(TraceEvent e) {
    List<AnnotatedEvent> out = new ArrayList<>(2);
    check(pending.before(e));
    Outcome o = model.apply(e);
    AnnotatedEvent a = new AnnotatedEvent(e, o.changes(), o.notes(), null, List.of());
    if (held != null) {
      out.add(held);
      held = null;
    }
    if (pending.isEmpty()) {
      out.add(a);
      return out;
    }
    held = a;
    check(pending.after(e));
    return out;
  }

  /** Checks what is left and returns the last held event, if any. */
  public List<AnnotatedEvent> finish() {
    check(pending.rest());
    List<AnnotatedEvent> out = new ArrayList<>(1);
    if (held != null) {
      out.add(held);
      held = null;
    }
    return out;
  }

  private void check(List<Snapshot> due) {
    for (Snapshot s : due) {
      List<String> found = correlator.check(s);
      if (!found.isEmpty() && held != null) {
        List<String> checks = new ArrayList<>(held.checks());
        checks.addAll(found);
        held = new AnnotatedEvent(held.event(), held.changes(), checks, held.buffer(), held.why());
      }
    }
  }
}
