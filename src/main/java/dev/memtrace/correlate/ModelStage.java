package dev.memtrace.correlate;

import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Outcome;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The model stage of the pipeline: each event goes through the {@link MemoryModel}, and comes out
 * as an {@link AnnotatedEvent} carrying its region changes and, in checks, the model's notes and
 * what the snapshots said. A snapshot belongs to the call on its line, and a call split into
 * unfinished and resumed halves is numbered by its first line but snapshotted at its second, so a
 * snapshot is checked when the first event numbered after it arrives; the stage therefore holds
 * one event back until then. Without snapshots nothing is held.
 */
public final class ModelStage {

  private final MemoryModel model;
  private final Correlator correlator;
  private final ArrayDeque<Snapshot> pending;
  private AnnotatedEvent held;

  public ModelStage(MemoryModel model, List<Snapshot> snapshots) {
    this.model = model;
    this.correlator = new Correlator(model);
    this.pending = new ArrayDeque<>(snapshots);
  }

  public MemoryModel model() {
    return model;
  }

  public Correlator correlator() {
    return correlator;
  }

  /** Checks every snapshot taken on a line before {@code nextLine} (the model is then as after them). */
  public void before(int nextLine) {
    checkDue(nextLine);
  }

  /** Feeds one event; returns the events now complete (zero, one or two). */
  public List<AnnotatedEvent> accept(TraceEvent e) {
    List<AnnotatedEvent> out = new ArrayList<>(2);
    checkDue(e.line());
    Outcome o = model.apply(e);
    AnnotatedEvent a = new AnnotatedEvent(e, o.changes(), o.notes(), null, List.of());
    if (pending.isEmpty()) {
      if (held != null) {
        out.add(held);
        held = null;
      }
      out.add(a);
      return out;
    }
    if (held != null) {
      out.add(held);
    }
    held = a;
    return out;
  }

  /** Checks what is left and returns the last held event, if any. */
  public List<AnnotatedEvent> finish() {
    checkDue(Integer.MAX_VALUE);
    List<AnnotatedEvent> out = new ArrayList<>(1);
    if (held != null) {
      out.add(held);
      held = null;
    }
    return out;
  }

  private void checkDue(int nextLine) {
    while (!pending.isEmpty() && pending.peekFirst().line() < nextLine) {
      List<String> found = correlator.check(pending.pollFirst());
      if (!found.isEmpty() && held != null) {
        List<String> checks = new ArrayList<>(held.checks());
        checks.addAll(found);
        held = new AnnotatedEvent(held.event(), held.changes(), checks, held.buffer(), held.why());
      }
    }
  }
}
