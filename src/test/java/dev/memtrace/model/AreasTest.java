package dev.memtrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The sorted array of areas against a tree map with the same unsigned order. */
class AreasTest {

  static Vma area(long start) {
    return new Vma(start, start + 0x1000, 3, false, 0, Backing.ANONYMOUS, 0, 0, 1, false);
  }

  @Test
  void kernelAddressesAbove2To63SortLast() {
    Areas a = new Areas();
    long vsyscall = 0xffffffffff600000L;
    a.put(area(vsyscall));
    a.put(area(0x400000));
    a.put(area(0x7ffd0000L));
    assertThat(a.get(0).start()).isEqualTo(0x400000);
    assertThat(a.get(2).start()).isEqualTo(vsyscall);
    assertThat(a.floor(vsyscall + 1)).isEqualTo(2);
    assertThat(a.lower(vsyscall)).isEqualTo(1);
    assertThat(a.floor(0x3fffff)).isEqualTo(-1);
    assertThat(a.startingAt(0x7ffd0000L).start()).isEqualTo(0x7ffd0000L);
    assertThat(a.startingAt(0x7ffd1000L)).isNull();
  }

  @Test
  void putReplacesTheAreaWithTheSameStart() {
    Areas a = new Areas();
    a.put(area(0x1000));
    Vma wider = area(0x1000).withEnd(0x5000, 2);
    a.put(wider);
    assertThat(a.size()).isEqualTo(1);
    assertThat(a.get(0)).isSameAs(wider);
  }

  @Test
  void agreesWithATreeMapOverRandomPutsRemovesAndLookups() {
    Random rnd = new Random(42);
    Areas a = new Areas();
    TreeMap<Long, Vma> t = new TreeMap<>(Long::compareUnsigned);
    for (int step = 0; step < 20_000; step++) {
      // a few hundred distinct starts, some of them above 2^63, so that puts both add and replace
      long start = (rnd.nextInt(300) * 0x1000L) ^ (rnd.nextInt(8) == 0 ? Long.MIN_VALUE : 0);
      int op = rnd.nextInt(4);
      if (op < 2) {
        Vma v = area(start);
        a.put(v);
        t.put(start, v);
      } else if (op == 2 && a.size() > 0) {
        int from = rnd.nextInt(a.size());
        int to = Math.min(a.size(), from + rnd.nextInt(4));
        for (int i = to - 1; i >= from; i--) {
          t.remove(a.get(i).start());
        }
        a.remove(from, to);
      } else {
        Map.Entry<Long, Vma> floor = t.floorEntry(start);
        Map.Entry<Long, Vma> lower = t.lowerEntry(start);
        int f = a.floor(start);
        int l = a.lower(start);
        assertThat(f < 0 ? null : a.get(f)).isSameAs(floor == null ? null : floor.getValue());
        assertThat(l < 0 ? null : a.get(l)).isSameAs(lower == null ? null : lower.getValue());
      }
      assertThat(a.size()).isEqualTo(t.size());
    }
    int i = 0;
    for (Vma v : t.values()) {
      assertThat(a.get(i++)).isSameAs(v);
    }
  }
}
