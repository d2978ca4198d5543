package dev.memtrace.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Ranges a non-fixed mmap was given while the model still had memory there: another thread's munmap
 * freed them, but its line comes later in the log (it returned later). That munmap must not remove
 * the new mapping; it takes the range instead.
 *
 * <p>Bounded by design, whatever the log: ranges that overlap or touch are held as one, and only
 * the {@link #CAPACITY} most recent are kept. A munmap still running while its memory is reused is
 * one per thread at most and returns within a few lines; a range older than that has no munmap
 * coming, and forgetting it only lets a later munmap of that range remove it, as it would without
 * the overlap.
 */
final class ReusedRanges {

  static final int CAPACITY = 64;

  /** {start, end} pairs, disjoint and not touching, oldest first. */
  private final List<long[]> ranges = new ArrayList<>();

  /** Remembers [lo, hi), joined with the ranges it overlaps or touches. */
  void add(long lo, long hi) {
    for (int i = ranges.size() - 1; i >= 0; i--) {
      long[] r = ranges.get(i);
      if (!AddressSpace.below(hi, r[0]) && !AddressSpace.below(r[1], lo)) {
        ranges.remove(i);
        lo = AddressSpace.below(r[0], lo) ? r[0] : lo;
        hi = AddressSpace.below(hi, r[1]) ? r[1] : hi;
      }
    }
    if (ranges.size() == CAPACITY) {
      ranges.remove(0);
    }
    ranges.add(new long[] {lo, hi});
  }

  /** Removes and returns the ranges that overlap [lo, hi), by address. */
  List<long[]> take(long lo, long hi) {
    List<long[]> out = new ArrayList<>(2);
    for (int i = ranges.size() - 1; i >= 0; i--) {
      long[] r = ranges.get(i);
      if (AddressSpace.below(r[0], hi) && AddressSpace.below(lo, r[1])) {
        out.add(ranges.remove(i));
      }
    }
    out.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
    return out;
  }

  int size() {
    return ranges.size();
  }
}
