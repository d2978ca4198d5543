package dev.memtrace.model;

import java.util.Arrays;

/**
 * The areas of one address space in an array sorted by start address, compared as unsigned numbers
 * (the kernel's addresses above 2^63 sort last, as in {@code /proc/PID/maps}). An area is found by
 * binary search, so a lookup by address is logarithmic; one is inserted or removed by moving the
 * areas above it. A process has tens to a few thousand areas, and most memory calls land near the
 * top of the mmap area: moving them costs less than a tree's nodes and rebalancing would, and there
 * is far less code for the JIT to compile.
 */
final class Areas {

  private Vma[] a;
  private int n;

  Areas() {
    a = new Vma[16];
  }

  /** A copy holding the same areas. */
  Areas(Areas o) {
    a = Arrays.copyOf(o.a, Math.max(16, o.n));
    n = o.n;
  }

  int size() {
    return n;
  }

  Vma get(int i) {
    return a[i];
  }

  /** Replaces the area at index i with one of the same start. */
  void set(int i, Vma v) {
    a[i] = v;
  }

  /** The index of the last area starting at or below address, or -1. */
  int floor(long address) {
    int lo = 0;
    int hi = n - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(a[mid].start(), address) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return hi;
  }

  /** The index of the last area starting strictly below address, or -1. */
  int lower(long address) {
    int lo = 0;
    int hi = n - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(a[mid].start(), address) < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return hi;
  }

  /** The area starting exactly at address, or null. */
  Vma startingAt(long address) {
    int i = floor(address);
    return i >= 0 && a[i].start() == address ? a[i] : null;
  }

  /** Puts an area in its place, replacing the one with the same start if there is one. */
  void put(Vma v) {
    int i = floor(v.start());
    if (i >= 0 && a[i].start() == v.start()) {
      a[i] = v;
      return;
    }
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    System.arraycopy(a, i + 1, a, i + 2, n - i - 1);
    a[i + 1] = v;
    n++;
  }

  /** Removes the areas at indexes [from, to). */
  void remove(int from, int to) {
    System.arraycopy(a, to, a, from, n - to);
    Arrays.fill(a, n - (to - from), n, null);
    n -= to - from;
  }

  void clear() {
    Arrays.fill(a, 0, n, null);
    n = 0;
  }
}
