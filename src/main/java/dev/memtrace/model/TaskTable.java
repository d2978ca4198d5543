package dev.memtrace.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The traced tasks by tid: a hash table of int keys with linear probing. A log of a shell workload
 * starts a task every few hundred lines; keyed by int, neither a lookup nor an insert boxes the
 * tid, and the model shares no generic map code with the parser's tables.
 */
final class TaskTable {

  private int[] tids = new int[16];
  private Task[] tasks = new Task[16];
  private int size;

  Task get(int tid) {
    int mask = tasks.length - 1;
    for (int i = slot(tid, mask); tasks[i] != null; i = (i + 1) & mask) {
      if (tids[i] == tid) {
        return tasks[i];
      }
    }
    return null;
  }

  void put(int tid, Task t) {
    if (2 * (size + 1) > tasks.length) {
      grow();
    }
    int mask = tasks.length - 1;
    int i = slot(tid, mask);
    while (tasks[i] != null) {
      if (tids[i] == tid) {
        tasks[i] = t;
        return;
      }
      i = (i + 1) & mask;
    }
    tids[i] = tid;
    tasks[i] = t;
    size++;
  }

  void remove(int tid) {
    int mask = tasks.length - 1;
    int i = slot(tid, mask);
    while (tasks[i] != null && tids[i] != tid) {
      i = (i + 1) & mask;
    }
    if (tasks[i] == null) {
      return;
    }
    tasks[i] = null;
    size--;
    // Moves back the entries after the hole that probed past it, so no lookup stops short.
    for (int j = (i + 1) & mask; tasks[j] != null; j = (j + 1) & mask) {
      int home = slot(tids[j], mask);
      boolean reachable = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!reachable) {
        tids[i] = tids[j];
        tasks[i] = tasks[j];
        tasks[j] = null;
        i = j;
      }
    }
  }

  /** Removes the tasks that pass the test, under every key they are known by (tid and alias). */
  void removeIf(Predicate<Task> gone) {
    List<Integer> keys = new ArrayList<>();
    for (int i = 0; i < tasks.length; i++) {
      if (tasks[i] != null && gone.test(tasks[i])) {
        keys.add(tids[i]);
      }
    }
    for (int k : keys) {
      remove(k);
    }
  }

  /** The one task of the table, or null when there are none or several. */
  Task only() {
    if (size != 1) {
      return null;
    }
    for (Task t : tasks) {
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /** Whether any task passes the test. */
  boolean any(Predicate<Task> test) {
    for (Task t : tasks) {
      if (t != null && test.test(t)) {
        return true;
      }
    }
    return false;
  }

  /** The tasks, by tid: an order that does not depend on the table's size. */
  List<Task> values() {
    List<Task> out = new ArrayList<>(size);
    for (Task t : tasks) {
      if (t != null) {
        out.add(t);
      }
    }
    out.sort(Comparator.comparingInt(t -> t.tid));
    return out;
  }

  private void grow() {
    int[] oldTids = tids;
    Task[] oldTasks = tasks;
    tids = new int[oldTids.length * 2];
    tasks = new Task[oldTasks.length * 2];
    size = 0;
    for (int i = 0; i < oldTasks.length; i++) {
      if (oldTasks[i] != null) {
        put(oldTids[i], oldTasks[i]);
      }
    }
  }

  private static int slot(int tid, int mask) {
    int h = tid * 0x9E3779B9; // tids come in runs: spread them over the table
    return (h ^ h >>> 16) & mask;
  }
}
