package dev.memtrace.render;

import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which process (thread group) and which address space each task belongs to, for renderers that
 * draw one picture per address space or one track per thread. It reads the clone family from the
 * whole timeline first, because with {@code -f} a child's first lines often come before its
 * parent's clone returns: threads (CLONE_THREAD) join their parent's process, CLONE_VM and vfork
 * children share the parent's address space, fork children get a copy, execve starts a new one.
 * A log without pids is one task, 0.
 */
public final class SpaceTracker {

  /** How a task came to be: its parent and whether it shares the parent's mm and thread group. */
  private record Birth(int parent, boolean sharesVm, boolean thread) {}

  private final Map<Integer, Birth> births = new HashMap<>();
  private final Map<Integer, Integer> spaceOfTask = new HashMap<>();
  private final Map<Integer, Integer> processOfTask = new HashMap<>();
  private int nextSpace;
  private int copiedFrom = -1;

  /** Reads every clone, fork and vfork in the timeline, before the first {@link #enter}. */
  public SpaceTracker(List<AnnotatedEvent> timeline) {
    for (AnnotatedEvent a : timeline) {
      if (a.event() instanceof SyscallEvent s && s.succeeded() && s.result().value() != null) {
        String n = s.name();
        long child = s.result().value();
        if (child > 0 && (n.startsWith("clone") || n.equals("fork") || n.equals("vfork"))) {
          String flags = s.args().text();
          boolean vm = n.equals("vfork") || flags.contains("CLONE_VM");
          boolean thread = flags.contains("CLONE_THREAD");
          births.putIfAbsent((int) child, new Birth(task(s), vm, thread));
        }
      }
    }
  }

  /** The task (pid or tid) an event belongs to; 0 when the log has no pids. */
  public static int task(TraceEvent e) {
    return e.pid() == null ? 0 : e.pid();
  }

  /**
   * Notes the event (in timeline order) and returns the address space it acts on. A successful
   * execve gives the task a fresh, empty space; a fork child's first event gives it a fresh space
   * that the caller should fill with a copy of {@link #copiedFrom()}.
   */
  public int enter(TraceEvent e) {
    int t = task(e);
    copiedFrom = -1;
    Integer space = spaceOfTask.get(t);
    if (space == null) {
      space = firstSpace(t, 0);
    }
    if (e instanceof SyscallEvent s && s.name().startsWith("execve") && s.succeeded()) {
      space = newSpace();
      spaceOfTask.put(t, space);
    }
    return space;
  }

  /** After {@link #enter}: the space a fork child's new space copies, or -1. */
  public int copiedFrom() {
    return copiedFrom;
  }

  /** Pids are reused in long traces, so a chain of births may loop: it is followed this far. */
  private static final int MAX_ANCESTRY = 64;

  private int firstSpace(int t, int depth) {
    Birth b = depth < MAX_ANCESTRY ? births.get(t) : null;
    int space;
    if (b != null && b.sharesVm()) {
      space = spaceOfTask.containsKey(b.parent()) ? spaceOfTask.get(b.parent()) : firstSpace(b.parent(), depth + 1);
    } else {
      space = newSpace();
      if (b != null && spaceOfTask.containsKey(b.parent())) {
        copiedFrom = spaceOfTask.get(b.parent());
      }
    }
    spaceOfTask.put(t, space);
    return space;
  }

  private int newSpace() {
    return nextSpace++;
  }

  /** The thread-group leader (the pid users know) of a task. */
  public int process(int task) {
    return process(task, 0);
  }

  private int process(int task, int depth) {
    Integer known = processOfTask.get(task);
    if (known != null) {
      return known;
    }
    Birth b = depth < MAX_ANCESTRY ? births.get(task) : null;
    int p = (b != null && b.thread() && b.parent() != task) ? process(b.parent(), depth + 1) : task;
    processOfTask.put(task, p);
    return p;
  }
}
