package dev.memtrace.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Turns what one call did into {@code +}, {@code ~}, {@code -} lines: it remembers the regions
 * around each address range the call touches, and after the call compares them with the regions
 * now covering the same span, as two {@code /proc/PID/maps} listings would compare. A region that
 * disappeared and one that appeared over the same addresses make one {@code ~} (resized, merged,
 * re-protected); the rest are {@code -} and {@code +}. A call that leaves the listing as it was
 * (a MAP_FIXED over an identical mapping) yields no change.
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
    for (Vma v : space.areasNear(lo, hi, true)) {
      Region r = space.view(v);
      if (!before.contains(r)) {
        before.add(r);
        beforeAreas.add(v);
      }
      spanLo = Math.min(spanLo, r.start());
      spanHi = Math.max(spanHi, r.end());
    }
    spans.add(new long[] {spanLo, spanHi});
  }

  List<RegionChange> changes() {
    // An area still there as the same object, under the same break, shows the same region: it
    // is neither removed nor added, and needs no view to tell.
    boolean sameBreak = space.startBrk() == startBrk && space.brk() == brk;
    boolean[] kept = new boolean[before.size()];
    List<Vma> seen = new ArrayList<>(4);
    List<Region> after = new ArrayList<>(4);
    for (long[] s : spans) {
      for (Vma v : space.areasNear(s[0], s[1], false)) {
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
    List<Region> removed = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      if (!kept[i] && !after.contains(before.get(i))) {
        removed.add(before.get(i));
      }
    }
    List<Region> added = new ArrayList<>();
    for (Region r : after) {
      if (!before.contains(r)) {
        added.add(r);
      }
    }
    if (removed.isEmpty() && added.isEmpty()) {
      return List.of();
    }
    sortByStart(removed, Region::start);
    sortByStart(added, Region::start);
    List<RegionChange> out = new ArrayList<>();
    List<Region> paired = new ArrayList<>(2);
    for (Region r : removed) {
      Region partner = partner(r, added, paired);
      if (partner != null) {
        paired.add(partner);
        out.add(RegionChange.changed(r, partner));
      } else {
        out.add(RegionChange.removed(r));
      }
    }
    for (Region a : added) {
      if (!paired.contains(a)) {
        out.add(RegionChange.added(a));
      }
    }
    sortByStart(out, c -> (c.after() != null ? c.after() : c.before()).start());
    return out;
  }

  /**
   * Sorts by start address, keeping the order of equal starts. An insertion sort: these lists
   * hold one to a few entries, for which the library's sort is much more code to compile than
   * to run.
   */
  private static <T> void sortByStart(List<T> list, ToLongFunction<T> start) {
    for (int i = 1; i < list.size(); i++) {
      T item = list.get(i);
      int j = i;
      while (j > 0 && Long.compareUnsigned(start.applyAsLong(list.get(j - 1)),
          start.applyAsLong(item)) > 0) {
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

  /** The added region that best continues a removed one: same start, else same end, else overlap. */
  private static Region partner(Region r, List<Region> added, List<Region> paired) {
    Region overlap = null;
    Region sameEnd = null;
    for (Region a : added) {
      if (paired.contains(a) || a.end() <= r.start() || a.start() >= r.end()) {
        continue;
      }
      if (a.start() == r.start()) {
        return a;
      }
      if (a.end() == r.end() && sameEnd == null) {
        sameEnd = a;
      }
      if (overlap == null) {
        overlap = a;
      }
    }
    return sameEnd != null ? sameEnd : overlap;
  }
}
