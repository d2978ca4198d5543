package dev.memtrace.render.html;

import dev.memtrace.model.Region;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The vertical axis of one address space's picture, low addresses at the top as in {@code
 * /proc/PID/maps}. Addresses span 47 bits and regions range from one page to gigabytes, so a linear
 * scale would show nothing: the axis is cut at every region boundary the space ever had, each piece
 * gets a height that grows with the logarithm of its size, and a stretch no region ever covered
 * becomes a short break marked with its size. Positions are exact at every region boundary, so a
 * region's band is {@code [y(start), y(end))}.
 */
final class AddressAxis {

  /** A compressed stretch of never-mapped addresses, drawn as a break. */
  record Gap(double y, double height, long bytes) {}

  static final double BREAK = 16;
  private static final long SMALL_GAP = 64 * 1024;

  private final long[] points;
  private final double[] ys;
  private final List<Gap> gaps = new ArrayList<>();

  AddressAxis(Collection<Region> everMapped) {
    points =
        everMapped.stream()
            .flatMapToLong(r -> LongStream.of(key(r.start()), key(r.end())))
            .sorted()
            .distinct()
            .toArray();
    long[][] covered = union(everMapped);
    ys = new double[points.length];
    double y = 0;
    int c = 0;
    for (int i = 0; i < points.length; i++) {
      ys[i] = y;
      if (i + 1 == points.length) {
        break;
      }
      long a = points[i];
      long len = points[i + 1] - a;
      while (c < covered.length && covered[c][1] <= a) {
        c++;
      }
      boolean mapped = c < covered.length && covered[c][0] <= a;
      double h;
      if (mapped) {
        h = 11 + 3 * log2(Math.max(1, len / 4096));
      } else if (len < SMALL_GAP) {
        h = 2;
      } else {
        h = BREAK;
        gaps.add(new Gap(y, h, len));
      }
      y += h;
    }
  }

  /** The position of a region boundary. */
  double y(long address) {
    int i = Arrays.binarySearch(points, key(address));
    if (i < 0) {
      throw new IllegalArgumentException("not a region boundary: " + Long.toHexString(address));
    }
    return ys[i];
  }

  double height() {
    return ys.length == 0 ? 0 : ys[ys.length - 1];
  }

  List<Gap> gaps() {
    return gaps;
  }

  /** Orders addresses as unsigned: the kernel's [vsyscall] lies above every user address. */
  private static long key(long address) {
    return address ^ Long.MIN_VALUE;
  }

  private static double log2(long v) {
    return Math.log(v) / Math.log(2);
  }

  /** The ranges (as keys) covered by at least one region, merged and sorted. */
  private static long[][] union(Collection<Region> regions) {
    long[][] keyed =
        regions.stream().map(r -> new long[] {key(r.start()), key(r.end())}).toArray(long[][]::new);
    Arrays.sort(keyed, (a, b) -> Long.compare(a[0], b[0]));
    List<long[]> out = new ArrayList<>();
    for (long[] r : keyed) {
      long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && r[0] <= last[1]) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        out.add(r);
      }
    }
    return out.toArray(new long[0][]);
  }
}
