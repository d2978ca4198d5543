package dev.memtrace.correlate;

import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * Decides when each snapshot is due: right after the call it was taken for. Events come in the
 * order their calls returned, but a call split into unfinished and resumed halves is numbered by
 * its first line while its snapshot carries the resumed line; meanwhile other tasks' calls, with
 * higher line numbers, may already have been seen. So a snapshot that knows its line's text is due
 * after the event of its pid whose text ends with that line; one that does not (or whose call never
 * shows up, e.g. an unparsable line) is due once an event numbered after it arrives from the same
 * pid, or from anyone when it has no text.
 */
public final class SnapshotQueue {

  private final LinkedList<Snapshot> pending;

  public SnapshotQueue(List<Snapshot> snapshots) {
    this.pending = new LinkedList<>(snapshots);
  }

  /** One more snapshot, taken after all those already queued (a live run). */
  public void add(Snapshot s) {
    pending.add(s);
  }

  public boolean isEmpty() {
    return pending.isEmpty();
  }

  /** Snapshots due before {@code next} is applied (taken on earlier lines whose call is past). */
  public List<Snapshot> before(TraceEvent next) {
    return take(next.line(), next.pid());
  }

  /** Snapshots taken on lines before {@code nextLine}, whatever their pid (maps --at). */
  public List<Snapshot> upTo(int nextLine) {
    List<Snapshot> out = new ArrayList<>();
    for (Iterator<Snapshot> it = pending.iterator(); it.hasNext(); ) {
      Snapshot s = it.next();
      if (s.line() >= nextLine) {
        break;
      }
      out.add(s);
      it.remove();
    }
    return out;
  }

  /** Snapshots due right after {@code done} was applied. */
  public List<Snapshot> after(TraceEvent done) {
    if (pending.isEmpty() || !(done instanceof SyscallEvent e) || e.pid() == null) {
      return List.of();
    }
    List<Snapshot> out = new ArrayList<>(1);
    String text = e.source().text();
    String last = text.substring(text.lastIndexOf('\n') + 1);
    for (Iterator<Snapshot> it = pending.iterator(); it.hasNext(); ) {
      Snapshot s = it.next();
      if (s.pid() != e.pid()) {
        continue;
      }
      if (s.text() != null && s.line() >= e.line() && last.equals(s.text())) {
        out.add(s);
        it.remove();
      }
      break; // only the pid's earliest pending snapshot can belong to this call
    }
    return out;
  }

  private List<Snapshot> take(int nextLine, Integer pid) {
    if (pending.isEmpty() || pending.getFirst().line() >= nextLine) {
      return List.of();
    }
    List<Snapshot> out = new ArrayList<>();
    for (Iterator<Snapshot> it = pending.iterator(); it.hasNext(); ) {
      Snapshot s = it.next();
      if (s.line() >= nextLine) {
        break;
      }
      if (s.text() == null || pid == null || s.pid() == pid) {
        out.add(s);
        it.remove();
      }
    }
    return out;
  }

  public List<Snapshot> rest() {
    List<Snapshot> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }
}
