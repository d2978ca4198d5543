package dev.memtrace.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

  ChangeTracker(AddressSpace space) {
    this.space = space;
  }

  /** Call before changing [lo, hi). */
  void watch(long lo, long hi) {
    long spanLo = lo;
    long spanHi = hi;
    for (Region r : space.regionsNear(lo, hi, true)) {
      if (!before.contains(r)) {
        before.add(r);
      }
      spanLo = Math.min(spanLo, r.start());
      spanHi = Math.max(spanHi, r.end());
    }
    spans.add(new long[] {spanLo, spanHi});
  }

  List<RegionChange> changes() {
    List<Region> after = new ArrayList<>(4);
    for (long[] s : spans) {
      for (Region r : space.regionsNear(s[0], s[1], false)) {
        if (!after.contains(r)) {
          after.add(r);
        }
      }
    }
    List<Region> removed = new ArrayList<>();
    for (Region r : before) {
      if (!after.contains(r)) {
        removed.add(r);
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
    Comparator<Region> byStart = (a, b) -> Long.compareUnsigned(a.start(), b.start());
    removed.sort(byStart);
    added.sort(byStart);
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
    out.sort((x, y) -> Long.compareUnsigned((x.after() != null ? x.after() : x.before()).start(),
        (y.after() != null ? y.after() : y.before()).start()));
    return out;
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
