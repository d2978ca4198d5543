package dev.memtrace.correlate;

import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.Agreement;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Outcome;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.Prefix;
import dev.memtrace.trace.Source;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model stage of the pipeline, one event in, one annotated event out: each event goes through
 * the {@link MemoryModel} and comes out carrying its region changes and, in checks, the model's
 * notes and what the snapshots said. A snapshot is checked as soon as {@link SnapshotQueue} says
 * its call is past: right after that call when the snapshot knows its line's text, else when a
 * later event arrives, in which case its sentences say which line they are about. What a snapshot
 * taught the model (the regions its resync added and dropped) rides on the next event of the same
 * address space, as {@link AnnotatedEvent#learnt()}, so a picture of the space shows them.
 */
public final class ModelStage {

  private final MemoryModel model;
  private final Correlator correlator;
  private final SnapshotQueue pending;

  /** What snapshots taught, by address space, until an event of that space carries it. */
  private final Map<AddressSpace, List<RegionChange>> learnt = new IdentityHashMap<>();

  /** The last snapshot that taught each space something still waiting in {@link #learnt}. */
  private final Map<AddressSpace, Snapshot> teacher = new IdentityHashMap<>();

  /** The last line of the log read so far. */
  private int lastLine;

  /**
   * Whether what the ELF headers laid out rides as {@link AnnotatedEvent#learnt()} rather than as
   * the event's changes: the timeline then shows the trace's own changes, which do not depend on
   * the files of the machine that reads the log, and the picture shows the images.
   */
  private final boolean elfAsLearnt;

  public ModelStage(MemoryModel model, List<Snapshot> snapshots) {
    this(model, snapshots, false);
  }

  public ModelStage(MemoryModel model, List<Snapshot> snapshots, boolean elfAsLearnt) {
    this.model = model;
    this.correlator = new Correlator(model);
    this.pending = new SnapshotQueue(snapshots);
    this.elfAsLearnt = elfAsLearnt;
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
      check(s);
    }
  }

  public AnnotatedEvent annotate(TraceEvent e) {
    lastLine = Math.max(lastLine, e.line());
    Outcome quick = pending.isEmpty() && learnt.isEmpty() ? model.apply(e) : null;
    if (quick != null) {
      boolean placed = elfAsLearnt && !model.placedNow().isEmpty();
      return new AnnotatedEvent(
          e,
          placed ? withoutPlaced(quick.changes()) : quick.changes(),
          quick.notes(),
          null,
          List.of(),
          List.of(),
          model.who(),
          placed ? model.placedNow() : List.of(),
          model.call());
    }
    List<String> checks = new ArrayList<>(0);
    for (Snapshot s : pending.before(e)) {
      for (String c : check(s)) {
        checks.add(c.replaceFirst("^snapshot:", "snapshot after line " + s.line() + ":"));
      }
    }
    // an exit takes its task out of the model: what a snapshot taught of the task's space rides on
    // the exit, the space's last event, instead of waiting for an event that never comes
    AddressSpace exiting = e instanceof ExitEvent ? model.space(e.pid()) : null;
    Outcome o = model.apply(e);
    if (!o.notes().isEmpty()) {
      checks.addAll(o.notes());
    }
    AddressSpace space = model.space(e.pid());
    if (space == null) {
      space = exiting;
    }
    List<RegionChange> taught = space == null ? null : learnt.remove(space);
    List<RegionChange> changes = o.changes();
    if (elfAsLearnt && !model.placedNow().isEmpty()) {
      changes = withoutPlaced(changes);
      taught = taught == null ? new ArrayList<>() : new ArrayList<>(taught);
      taught.addAll(model.placedNow());
    }
    for (Snapshot s : pending.after(e)) {
      List<String> found = check(s);
      // Said, not left silent, when the event changed something: the reader then knows the
      // changes shown are what the kernel itself reported just after the call.
      checks.addAll(found.isEmpty() && !changes.isEmpty() ? List.of(agrees(s)) : found);
    }
    return new AnnotatedEvent(
        e,
        changes,
        checks,
        null,
        List.of(),
        List.of(),
        model.who(),
        taught == null ? List.of() : taught,
        model.call());
  }

  /** The changes of the event but those the ELF layout made. */
  private List<RegionChange> withoutPlaced(List<RegionChange> changes) {
    Set<RegionChange> placed = Collections.newSetFromMap(new IdentityHashMap<>());
    placed.addAll(model.placedNow());
    List<RegionChange> out = new ArrayList<>(changes.size());
    for (RegionChange c : changes) {
      if (!placed.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Checks a snapshot (which resyncs the model to it) and keeps what the resync changed in the
   * snapshot's address space: the regions the model did not hold as the kernel showed them. A
   * region the kernel only spelt out (its device and inode, the path as the kernel writes it) is no
   * change.
   */
  private List<String> check(Snapshot s) {
    AddressSpace space = model.spaceFor(s.pid());
    Map<Long, Region> before = new HashMap<>();
    for (Region r : space.regions()) {
      before.put(r.start(), r);
    }
    List<String> found = correlator.check(s);
    List<RegionChange> changes = new ArrayList<>();
    for (Region r : model.spaceFor(s.pid()).regions()) {
      Region mine = before.get(r.start());
      if (mine != null && Agreement.same(mine, r)) {
        before.remove(r.start());
      } else {
        changes.add(RegionChange.added(r));
      }
    }
    for (Region r : before.values()) {
      changes.add(0, RegionChange.removed(r));
    }
    if (!changes.isEmpty()) {
      learnt.computeIfAbsent(space, k -> new ArrayList<>()).addAll(changes);
      teacher.put(space, s);
    }
    return found;
  }

  /** The check said when the kernel's maps after a call hold exactly what the model holds. */
  private static String agrees(Snapshot s) {
    return "snapshot: /proc/" + s.pid() + "/maps after this call agrees with the model";
  }

  /**
   * What snapshots taught that no event of their address space came after to carry (a snapshot
   * after the space's last event in a log that ends without its exit), after {@link #finish}: one
   * notice past the log's last line for each such space, carrying those regions as learnt, so a
   * picture of the space keeps them. Empty in almost every log.
   */
  public List<AnnotatedEvent> untaken() {
    List<AnnotatedEvent> out = new ArrayList<>();
    for (Map.Entry<AddressSpace, List<RegionChange>> en : learnt.entrySet()) {
      Snapshot s = teacher.get(en.getKey());
      int pid = s.pid();
      String text =
          "the log ends: the regions the /proc/"
              + pid
              + "/maps snapshot after line "
              + s.line()
              + " showed, which no later event of that address space carried";
      NoticeEvent notice =
          new NoticeEvent(
              new Source(null, lastLine + 1, text),
              Prefix.NONE.withPid(pid),
              NoticeEvent.Kind.OTHER,
              text);
      out.add(
          new AnnotatedEvent(
              notice,
              List.of(),
              List.of(),
              null,
              List.of(),
              List.of(),
              model.whoOf(pid),
              en.getValue(),
              null));
    }
    learnt.clear();
    teacher.clear();
    return out;
  }

  /** Checks the snapshots no event came after; returns what they found. */
  public List<String> finish() {
    List<String> out = new ArrayList<>();
    for (Snapshot s : pending.rest()) {
      for (String c : check(s)) {
        out.add(c.replaceFirst("^snapshot:", "snapshot after line " + s.line() + ":"));
      }
    }
    return out;
  }
}
