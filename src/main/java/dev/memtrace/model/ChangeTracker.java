package dev.memtrace.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
  private final List<long[]> spans = new ArrayList<>();
  private final Set<Region> before = new LinkedHashSet<>();

  ChangeTracker(AddressSpace space) {
    this.space = space;
  }

  /** Call before changing [lo, hi). */
  void watch(long lo, long hi) {
    long spanLo = lo;
    long spanHi = hi;
    for (Region r : space.regionsNear(lo, hi, true)) {
      before.add(r);
      spanLo = Math.min(spanLo, r.start());
      spanHi = Math.max(spanHi, r.end());
    }
    spans.add(new long[] {spanLo, spanHi});
  }

  List<RegionChange> changes() {
    Set<Region> after = new LinkedHashSet<>();
    for (long[] s : spans) {
      after.addAll(space.regionsNear(s[0], s[1], false));
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
    Comparator<Region> byStart = Comparator.comparingLong(Region::start);
    removed.sort(byStart);
    added.sort(byStart);
    List<RegionChange> out = new ArrayList<>();
    Set<Region> paired = new HashSet<>();
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
    out.sort(Comparator.comparingLong(c -> (c.after() != null ? c.after() : c.before()).start()));
    return out;
  }

  /** The added region that best continues a removed one: same start, else same end, else overlap. */
  private static Region partner(Region r, List<Region> added, Set<Region> paired) {
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
