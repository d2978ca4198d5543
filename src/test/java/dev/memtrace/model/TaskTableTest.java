package dev.memtrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tid-keyed table against a hash map, through growth and deletions that move entries. */
class TaskTableTest {

  static Task task(int tid) {
    return new Task(tid, tid, new AddressSpace(), new FdTable(), null, false);
  }

  @Test
  void agreesWithAMapOverRandomPutsRemovesAndLookups() {
    Random rnd = new Random(7);
    TaskTable table = new TaskTable();
    Map<Integer, Task> map = new HashMap<>();
    for (int step = 0; step < 50_000; step++) {
      // tids in runs, as a kernel hands them out, and a few far apart
      int tid = rnd.nextInt(10) == 0 ? rnd.nextInt() : 1000 + rnd.nextInt(600);
      switch (rnd.nextInt(3)) {
        case 0 -> {
          Task t = task(tid);
          table.put(tid, t);
          map.put(tid, t);
        }
        case 1 -> {
          table.remove(tid);
          map.remove(tid);
        }
        default -> assertThat(table.get(tid)).isSameAs(map.get(tid));
      }
    }
    for (Map.Entry<Integer, Task> e : map.entrySet()) {
      assertThat(table.get(e.getKey())).isSameAs(e.getValue());
    }
    assertThat(table.values()).hasSize(map.size());
  }

  @Test
  void removeIfAndValuesInTidOrder() {
    TaskTable table = new TaskTable();
    for (int tid : new int[] {42, 7, 300, 8, 9}) {
      table.put(tid, task(tid));
    }
    table.removeIf(t -> t.tid % 2 == 1);
    List<Task> left = table.values();
    assertThat(left).extracting(t -> t.tid).containsExactly(8, 42, 300);
    assertThat(table.get(7)).isNull();
    assertThat(table.get(300).tid).isEqualTo(300);
  }
}
