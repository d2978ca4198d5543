package dev.memtrace.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Turns what one call did into {@code +}, {@code ~}, {@code -} lines: it remembers the regions
 * around each address range the call touches, and after the call compares them with the regions now
 * covering the same span, as two {@code /proc/PID/maps} listings would compare. A region that
 * disappeared and one that appeared over the same addresses make one {@code ~} (resized, merged,
 * re-protected); the rest are {@code -} and {@code +}. A call that leaves the listing as it was (a
 * MAP_FIXED over an identical mapping) yields no change.
 */
final class ChangeTracker {

  private final AddressSpace space;
  private final List<long[]> spans = new ArrayList<>(2);
  private final List<Region> before = new ArrayList<>(4);

  /** The areas {@link #before} shows, index for index. */
  private final List<Vma> beforeAreas = new ArrayList<>(4);

  /** The break when the first range was watched: a region's name ([heap]) depends on it. */
  private long startBrk;

  private long brk;

  ChangeTracker(AddressSpace space) {
    this.space = space;
  }

  /** Call before changing [lo, hi). */
  void watch(long lo, long hi) {
    if (spans.isEmpty()) {
      startBrk = space.startBrk();
      brk = space.brk();
    }
    long spanLo = lo;
    long spanHi = hi;
    List<Vma> near = space.areasNear(lo, hi, true);
    for (int i = 0; i < near.size(); i++) {
      Vma v = near.get(i);
      Region r = space.view(v);
      if (indexOfEqual(before, r) < 0) {
        before.add(r);
        beforeAreas.add(v);
      }
      spanLo = AddressSpace.below(r.start(), spanLo) ? r.start() : spanLo;
      spanHi = AddressSpace.below(spanHi, r.end()) ? r.end() : spanHi;
    }
    spans.add(new long[] {spanLo, spanHi});
  }

  // Lists are walked by index and compared with the helpers below throughout: a call's lists
  // hold one to a few regions, and iterators and the library's searches and sorts were most of
  // what the JIT had to compile for this class.
  List<RegionChange> changes() {
    // An area still there as the same object, under the same break, shows the same region: it
    // is neither removed nor added, and needs no view to tell.
    boolean sameBreak = space.startBrk() == startBrk && space.brk() == brk;
    boolean[] kept = new boolean[before.size()];
    List<Vma> seen = new ArrayList<>(4);
    List<Region> after = new ArrayList<>(4);
    for (int s = 0; s < spans.size(); s++) {
      List<Vma> near = space.areasNear(spans.get(s)[0], spans.get(s)[1], false);
      for (int i = 0; i < near.size(); i++) {
        Vma v = near.get(i);
        if (indexOfSame(seen, v) >= 0) {
          continue;
        }
        seen.add(v);
        int same = sameBreak ? indexOfSame(beforeAreas, v) : -1;
        if (same >= 0) {
          kept[same] = true;
        } else {
          after.add(space.view(v));
        }
      }
    }
    List<Region> removed = minus(before, kept, after);
    List<Region> added = minus(after, null, before);
    if (removed.isEmpty() && added.isEmpty()) {
      return List.of();
    }
    sortByStart(removed, Region::start);
    sortByStart(added, Region::start);
    List<RegionChange> out = new ArrayList<>(removed.size() + added.size());
    boolean[] paired = new boolean[added.size()];
    for (int i = 0; i < removed.size(); i++) {
      Region r = removed.get(i);
      int partner = partner(r, added, paired);
      if (partner >= 0) {
        paired[partner] = true;
        out.add(RegionChange.changed(r, added.get(partner)));
      } else {
        out.add(RegionChange.removed(r));
      }
    }
    for (int i = 0; i < added.size(); i++) {
      if (!paired[i]) {
        out.add(RegionChange.added(added.get(i)));
      }
    }
    sortByStart(out, c -> (c.after() != null ? c.after() : c.before()).start());
    return out;
  }

  /** The regions of {@code a} (but those marked in {@code skip}) that {@code b} does not hold. */
  private static List<Region> minus(List<Region> a, boolean[] skip, List<Region> b) {
    List<Region> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      if ((skip == null || !skip[i]) && indexOfEqual(b, a.get(i)) < 0) {
        out.add(a.get(i));
      }
    }
    return out;
  }

  private static int indexOfEqual(List<Region> regions, Region r) {
    for (int i = 0; i < regions.size(); i++) {
      if (regions.get(i).equals(r)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Sorts by start address, keeping the order of equal starts. An insertion sort: these lists hold
   * one to a few entries, for which the library's sort is much more code to compile than to run.
   */
  private static <T> void sortByStart(List<T> list, ToLongFunction<T> start) {
    for (int i = 1; i < list.size(); i++) {
      T item = list.get(i);
      int j = i;
      while (j > 0
          && Long.compareUnsigned(start.applyAsLong(list.get(j - 1)), start.applyAsLong(item))
              > 0) {
        list.set(j, list.get(j - 1));
        j--;
      }
      list.set(j, item);
    }
  }

  /** The index of this very object in the list (areas are compared by identity here), or -1. */
  private static int indexOfSame(List<Vma> areas, Vma v) {
    for (int i = 0; i < areas.size(); i++) {
      if (areas.get(i) == v) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The index of the added region that best continues a removed one: same start, else same end,
   * else overlap; -1 when none is left.
   */
  private static int partner(Region r, List<Region> added, boolean[] paired) {
    int overlap = -1;
    int sameEnd = -1;
    for (int i = 0; i < added.size(); i++) {
      Region a = added.get(i);
      if (paired[i]
          || !AddressSpace.below(r.start(), a.end())
          || !AddressSpace.below(a.start(), r.end())) {
        continue;
      }
      if (a.start() == r.start()) {
        return i;
      }
      if (a.end() == r.end() && sameEnd < 0) {
        sameEnd = i;
      }
      if (overlap < 0) {
        overlap = i;
      }
    }
    return sameEnd >= 0 ? sameEnd : overlap;
  }
}
