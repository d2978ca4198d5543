package dev.memtrace.render;

import dev.memtrace.model.Handle;
import dev.memtrace.model.Who;
import dev.memtrace.timeline.AnnotatedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's handles (of processes and address spaces) the events named, each given a small id
 * when first met. A renderer that waits for the whole timeline writes the ids with each event and
 * reads the handles' numbers at the end ({@link #numbers}), once the model has seen every clone: a
 * child whose first lines came before its parent's clone returned is by then known to be the thread
 * or the child the clone made ({@link SpaceTracker}).
 */
public final class HandleIds {

  private final Map<Handle, Integer> ids = new IdentityHashMap<>();
  private final List<Handle> handles = new ArrayList<>();

  /** Per fork, in timeline order: the id of the space it made, then of the one it copied. */
  private final List<Integer> forks = new ArrayList<>();

  /**
   * Notes the event: the fork it made, if any. Returns the id of the space it acts on (a successful
   * execve's fresh space), or -1 for an event the model did not see.
   */
  public int space(AnnotatedEvent a) {
    Who w = a.who();
    if (w == null) {
      return -1;
    }
    if (w.made() != null && w.made().kind() == Who.Kind.PROCESS) {
      forks.add(id(w.made().space()));
      forks.add(id(w.space()));
    }
    return id(w.made() != null && w.made().kind() == Who.Kind.EXEC ? w.made().space() : w.space());
  }

  /** The id of the event's process handle, or -1 when it has none (no model, or no pid). */
  public int process(AnnotatedEvent a) {
    Who w = a.who();
    return w == null || a.event().pid() == null ? -1 : id(w.process());
  }

  private int id(Handle h) {
    Integer id = ids.get(h);
    if (id == null) {
      id = handles.size();
      ids.put(h, id);
      handles.add(h);
    }
    return id;
  }

  /** By id, each handle's number now: call once the timeline is complete. */
  public int[] numbers() {
    int[] numbers = new int[handles.size()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = handles.get(i).number();
    }
    return numbers;
  }

  /**
   * By space number, the space each forked child's space starts as a copy of (the first fork that
   * made it), for {@link SpaceTracker#SpaceTracker(Map)}.
   */
  public Map<Integer, Integer> copies(int[] numbers) {
    Map<Integer, Integer> copies = new HashMap<>();
    for (int i = 0; i < forks.size(); i += 2) {
      copies.putIfAbsent(numbers[forks.get(i)], numbers[forks.get(i + 1)]);
    }
    return copies;
  }
}
