package dev.memtrace.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which calls made an area's memory: a part [from, to) for each, with the line of the call, in
 * address order. An area one call made has one part, all of it. The kernel keeps memory that
 * several calls made next to each other as one area (two anonymous mmaps of the same protection,
 * vma_merge; brk growing [heap]): such an area has a part for each call whose memory is still in
 * it, and its lowest part names it. Parts are cut with the area; an mremap that grows an area in
 * place adds a part of its own, and one that moves an area moves its parts, each of which then
 * keeps the line of the mremap that moved it last ({@link #movedAt}): its call made that memory
 * elsewhere.
 *
 * <p>A value: what an area was keeps its parts when the area changes (a fork's copy shares them).
 * Yet a heap that brk grows thirty thousand times must not copy all its parts each time, so a part
 * added above the last one is written in place into spare room of the same array when no other
 * value has written there first, as Go's append does to a slice: each value reads only its own
 * first {@code n} entries.
 */
final class MadeBy {

  /** Longs a part takes: from, to, the line of its call, the line of the mremap that moved it. */
  private static final int STRIDE = 4;

  /**
   * from, to, line and moved (0 when no mremap moved it) of each part, in parts[0, n), in address
   * order; no part is empty.
   */
  private final long[] parts;

  private final int n;

  /** How far parts is written, shared by every value over the same array. */
  private final int[] written;

  /** The line that names the area when no part is left in it. */
  private final int lastLine;

  private MadeBy(long[] parts, int n, int[] written, int lastLine) {
    this.parts = parts;
    this.n = n;
    this.written = written;
    this.lastLine = lastLine;
  }

  private static MadeBy of(long[] parts, int n, int lastLine) {
    return new MadeBy(parts, n, new int[] {n}, lastLine);
  }

  /** All of [from, to) made by the call on {@code line}. */
  static MadeBy whole(int line, long from, long to) {
    return of(new long[] {from, to, line, 0}, STRIDE, line);
  }

  /** The line of the call that made the lowest part still there (or the last one that was). */
  int line() {
    return n == 0 ? lastLine : (int) parts[2];
  }

  /** Where the lowest part starts; equal to {@link #to()} when no part is left. */
  long from() {
    return n == 0 ? 0 : parts[0];
  }

  long to() {
    return n == 0 ? 0 : parts[1];
  }

  /** The line of the call that made the memory at {@code address}, 0 when no part holds it. */
  int lineAt(long address) {
    for (int i = 0; i < n; i += STRIDE) {
      if (address >= parts[i] && address < parts[i + 1]) {
        return (int) parts[i + 2];
      }
    }
    return 0;
  }

  /**
   * The line of the mremap that last moved the memory at {@code address} to where it is, 0 when no
   * part holds it or its call made it there.
   */
  int movedAt(long address) {
    for (int i = 0; i < n; i += STRIDE) {
      if (address >= parts[i] && address < parts[i + 1]) {
        return (int) parts[i + 3];
      }
    }
    return 0;
  }

  /** The lines of the calls that made its parts, each once, in address order. */
  List<Integer> lines() {
    Set<Integer> out = new LinkedHashSet<>();
    for (int i = 2; i < n; i += STRIDE) {
      out.add((int) parts[i]);
    }
    return new ArrayList<>(out);
  }

  /** What is left within [from, to). */
  MadeBy clip(long from, long to) {
    if (n > 0 && parts[0] >= from && parts[n - STRIDE + 1] <= to) {
      return this; // all within: an area cut where no part is, or not cut
    }
    long[] out = new long[n];
    int m = 0;
    for (int i = 0; i < n; i += STRIDE) {
      long a = Math.max(parts[i], from);
      long b = Math.min(parts[i + 1], to);
      if (a < b) {
        out[m] = a;
        out[m + 1] = b;
        out[m + 2] = parts[i + 2];
        out[m + 3] = parts[i + 3];
        m += STRIDE;
      }
    }
    return of(out, m, line());
  }

  /** With [from, to), just above its last part, made by the call on {@code line}. */
  MadeBy plus(long from, long to, int line) {
    return join(whole(line, from, to));
  }

  /** Moved by {@code delta} bytes, as the mremap on {@code line} moves an area. */
  MadeBy shift(long delta, int line) {
    long[] out = Arrays.copyOf(parts, n);
    for (int i = 0; i < n; i += STRIDE) {
      out[i] += delta;
      out[i + 1] += delta;
      out[i + 3] = line;
    }
    return of(out, n, lastLine);
  }

  /**
   * These parts and those of the area just above, one area now; two parts of one call that meet (an
   * area cut by mprotect and made whole again) are one part again, unless one was moved there and
   * the other not.
   */
  MadeBy join(MadeBy above) {
    int first = 0;
    long[] out = parts;
    int m = n;
    if (n > 0
        && above.n > 0
        && parts[n - STRIDE + 1] == above.parts[0]
        && parts[n - STRIDE + 2] == above.parts[2]
        && parts[n - STRIDE + 3] == above.parts[3]) {
      out = Arrays.copyOf(parts, n + above.n - STRIDE);
      out[n - STRIDE + 1] = above.parts[1];
      first = STRIDE;
    } else if (written[0] != n || n + above.n > parts.length) {
      out = Arrays.copyOf(parts, Math.max(2 * n, n + above.n));
    }
    System.arraycopy(above.parts, first, out, m, above.n - first);
    m += above.n - first;
    if (out == parts) {
      written[0] = m; // the room above n was free: written in place, n stays this value's
      return new MadeBy(out, m, written, m == 0 ? lastLine : (int) out[2]);
    }
    return of(out, m, m == 0 ? lastLine : (int) out[2]);
  }
}
