package dev.memtrace.correlate;

import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Outcome;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The model stage of the pipeline, one event in, one annotated event out: each event goes through
 * the {@link MemoryModel} and comes out carrying its region changes and, in checks, the model's
 * notes and what the snapshots said. A snapshot is checked as soon as {@link SnapshotQueue} says
 * its call is past: right after that call when the snapshot knows its line's text, else when a
 * later event arrives, in which case its sentences say which line they are about.
 */
public final class ModelStage {

  private final MemoryModel model;
  private final Correlator correlator;
  private final SnapshotQueue pending;

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

  /**
   * A snapshot that arrived while the log is being read (a live run, a recording): it must come
   * before the event of the line it was taken after.
   */
  public void add(Snapshot s) {
    pending.add(s);
  }

  /** Checks every snapshot taken on a line before {@code nextLine} (maps --at). */
  public void before(int nextLine) {
    for (Snapshot s : pending.upTo(nextLine)) {
      correlator.check(s);
    }
  }

  public AnnotatedEvent annotate(TraceEvent e) {
    Outcome quick = pending.isEmpty() ? model.apply(e) : null;
    if (quick != null) {
      return new AnnotatedEvent(
          e, quick.changes(), quick.notes(), null, List.of(), List.of(), model.who());
    }
    List<String> checks = new ArrayList<>(0);
    for (Snapshot s : pending.before(e)) {
      for (String c : correlator.check(s)) {
        checks.add(c.replaceFirst("^snapshot:", "snapshot after line " + s.line() + ":"));
      }
    }
    Outcome o = model.apply(e);
    if (!o.notes().isEmpty()) {
      checks.addAll(o.notes());
    }
    for (Snapshot s : pending.after(e)) {
      List<String> found = correlator.check(s);
      // Said, not left silent, when the event changed something: the reader then knows the
      // changes shown are what the kernel itself reported just after the call.
      checks.addAll(found.isEmpty() && !o.changes().isEmpty() ? List.of(agrees(s)) : found);
    }
    return new AnnotatedEvent(e, o.changes(), checks, null, List.of(), List.of(), model.who());
  }

  /** The check said when the kernel's maps after a call hold exactly what the model holds. */
  private static String agrees(Snapshot s) {
    return "snapshot: /proc/" + s.pid() + "/maps after this call agrees with the model";
  }

  /** Checks the snapshots no event came after; returns what they found. */
  public List<String> finish() {
    List<String> out = new ArrayList<>();
    for (Snapshot s : pending.rest()) {
      for (String c : correlator.check(s)) {
        out.add(c.replaceFirst("^snapshot:", "snapshot after line " + s.line() + ":"));
      }
    }
    return out;
  }
}
