package dev.memtrace.render;

import dev.memtrace.model.Who;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which process (thread group) and which address space each event belongs to, for renderers that
 * draw one picture per address space or one track per thread, as the model told it with each event
 * ({@link Who}). The model's handles are read once the whole timeline is there (a renderer keeps
 * their ids until then): a child whose first lines came before its parent's clone returned is by
 * then known to be the thread or the child the clone made. A log without pids is one task, 0; an
 * event the model did not see (no model) is its task's own process and space.
 */
public final class SpaceTracker {

  /** The space each forked child's space starts as a copy of, by the model's space number. */
  private final Map<Integer, Integer> copies = new HashMap<>();

  private int copiedFrom = -1;

  /** The spaces met and not ended. */
  private final Set<Integer> entered = new HashSet<>();

  /**
   * {@code copies} gives, by the model's space number, the space each forked child's space starts
   * as a copy of (the first fork that made it), read by the renderer from every clone, fork and
   * vfork in the timeline (their {@link Who#made()}) before the first enter.
   */
  public SpaceTracker(Map<Integer, Integer> copies) {
    this.copies.putAll(copies);
  }

  /** The task (pid or tid) an event belongs to; 0 when the log has no pids. */
  public static int task(TraceEvent e) {
    return e.pid() == null ? 0 : e.pid();
  }

  /**
   * Notes the event (in timeline order) and returns the address space it acts on. A successful
   * execve acts on the fresh space it made; a forked child's space, the first time it is met,
   * should be filled with a copy of {@link #copiedFrom()}.
   */
  public int enter(AnnotatedEvent a) {
    Who w = a.who();
    copiedFrom = -1;
    int space;
    if (w == null) {
      space = -1 - task(a.event()); // without the model: each task its own space
    } else if (w.made() != null && w.made().kind() == Who.Kind.EXEC) {
      space = w.made().space().number();
    } else {
      space = w.space().number();
    }
    return enter(space);
  }

  /**
   * {@link #enter(AnnotatedEvent)} for an event whose space number was read already: the model's
   * space number, or {@code -1 - task} for an event the model did not see.
   */
  public int enter(int space) {
    copiedFrom = -1;
    if (entered.add(space)) {
      Integer from = copies.remove(space); // read once: when the child's space is first met
      copiedFrom = from == null ? -1 : from;
    }
    return space;
  }

  /**
   * Forgets a space no later event acts on (the renderer knows when it has replayed the last), so a
   * trace of many short processes keeps no entry for each that ended.
   */
  public void ended(int space) {
    entered.remove(space);
  }

  /** How many spaces the tracker keeps an entry for: met and not ended, or forked and not met. */
  int kept() {
    return entered.size() + copies.size();
  }

  /** After {@link #enter}: the space a fork child's new space copies, or -1. */
  public int copiedFrom() {
    return copiedFrom;
  }

  /** The thread-group leader (the pid users know) of the event's task; 0 for a line without pid. */
  public static int process(AnnotatedEvent a) {
    Who w = a.who();
    int p = w == null || a.event().pid() == null ? 0 : w.process().number();
    return p > 0 ? p : task(a.event());
  }
}
