package dev.memtrace.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which calls made an area's memory: a part [from, to) for each, with the line of the call, in
 * address order. An area one call made has one part, all of it. The kernel keeps memory that
 * several calls made next to each other as one area (two anonymous mmaps of the same protection,
 * vma_merge; brk growing [heap]): such an area has a part for each call whose memory is still in
 * it, and its lowest part names it. Parts are cut with the area; an mremap that grows an area in
 * place adds a part of its own.
 */
final class MadeBy {

  /** from, to and line of each part, in address order; no part is empty. */
  private final long[] parts;

  /** The line that names the area when no part is left in it. */
  private final int lastLine;

  private MadeBy(long[] parts, int lastLine) {
    this.parts = parts;
    this.lastLine = lastLine;
  }

  /** All of [from, to) made by the call on {@code line}. */
  static MadeBy whole(int line, long from, long to) {
    return new MadeBy(new long[] {from, to, line}, line);
  }

  /** The line of the call that made the lowest part still there (or the last one that was). */
  int line() {
    return parts.length == 0 ? lastLine : (int) parts[2];
  }

  /** Where the lowest part starts; equal to {@link #to()} when no part is left. */
  long from() {
    return parts.length == 0 ? 0 : parts[0];
  }

  long to() {
    return parts.length == 0 ? 0 : parts[1];
  }

  /** The line of the call that made the memory at {@code address}, 0 when no part holds it. */
  int lineAt(long address) {
    for (int i = 0; i < parts.length; i += 3) {
      if (address >= parts[i] && address < parts[i + 1]) {
        return (int) parts[i + 2];
      }
    }
    return 0;
  }

  /** The lines of the calls that made its parts, each once, in address order. */
  List<Integer> lines() {
    List<Integer> out = new ArrayList<>(parts.length / 3);
    for (int i = 2; i < parts.length; i += 3) {
      if (!out.contains((int) parts[i])) {
        out.add((int) parts[i]);
      }
    }
    return out;
  }

  /** What is left within [from, to). */
  MadeBy clip(long from, long to) {
    if (parts.length > 0 && parts[0] >= from && parts[parts.length - 2] <= to) {
      return this; // all within: an area cut where no part is, or not cut
    }
    long[] out = new long[parts.length];
    int n = 0;
    for (int i = 0; i < parts.length; i += 3) {
      long a = Math.max(parts[i], from);
      long b = Math.min(parts[i + 1], to);
      if (a < b) {
        out[n] = a;
        out[n + 1] = b;
        out[n + 2] = parts[i + 2];
        n += 3;
      }
    }
    return new MadeBy(Arrays.copyOf(out, n), line());
  }

  /** With [from, to), just above its last part, made by the call on {@code line}. */
  MadeBy plus(long from, long to, int line) {
    return join(whole(line, from, to));
  }

  /** Moved by {@code delta} bytes, as mremap moves an area. */
  MadeBy shift(long delta) {
    long[] out = parts.clone();
    for (int i = 0; i < out.length; i += 3) {
      out[i] += delta;
      out[i + 1] += delta;
    }
    return new MadeBy(out, lastLine);
  }

  /**
   * These parts and those of the area just above, one area now; two parts of one call that meet (an
   * area cut by mprotect and made whole again) are one part again.
   */
  MadeBy join(MadeBy above) {
    long[] out = Arrays.copyOf(parts, parts.length + above.parts.length);
    int n = parts.length;
    for (int i = 0; i < above.parts.length; i += 3) {
      if (n > 0 && out[n - 2] == above.parts[i] && out[n - 1] == above.parts[i + 2]) {
        out[n - 2] = above.parts[i + 1];
      } else {
        System.arraycopy(above.parts, i, out, n, 3);
        n += 3;
      }
    }
    return new MadeBy(
        n == out.length ? out : Arrays.copyOf(out, n), n == 0 ? lastLine : (int) out[2]);
  }
}
