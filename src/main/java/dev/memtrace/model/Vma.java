package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.PROT_EXEC;
import static dev.memtrace.decode.LinuxFlags.PROT_READ;
import static dev.memtrace.decode.LinuxFlags.PROT_WRITE;

/**
 * The model's vm_area_struct: a {@link Region} plus what the kernel weighs when it decides to merge
 * two neighbours but {@code /proc/PID/maps} does not print. pgoff is kept for anonymous memory too
 * (the kernel sets it from the address at mmap time and keeps it when mremap moves the area, which
 * is why a moved area stops merging with fresh neighbours). anonId stands for the anon_vma: 0 when
 * the area never held a private written page, else an identity shared by the pieces of one area;
 * two areas with different identities never merge. prot is -1 when the trace does not tell it.
 *
 * <p>originLine is the line of the call that made the area, and [madeFrom, madeTo) the part of it
 * that call made: the whole area, until the kernel joins a neighbour another call made to it (a
 * merge, or brk growing [heap]), or cuts it. The part is empty once what that call made is gone.
 */
record Vma(
    long start,
    long end,
    int prot,
    boolean shared,
    long pgoff,
    Backing backing,
    int flags,
    long anonId,
    int originLine,
    boolean fromBrk,
    long madeFrom,
    long madeTo) {

  /** An area a call (or the ELF headers, or a snapshot) made whole. */
  Vma(
      long start,
      long end,
      int prot,
      boolean shared,
      long pgoff,
      Backing backing,
      int flags,
      long anonId,
      int originLine,
      boolean fromBrk) {
    this(start, end, prot, shared, pgoff, backing, flags, anonId, originLine, fromBrk, start, end);
  }

  /** vm_flags bits that matter for merging (names as in include/linux/mm.h). */
  static final int GROWSDOWN = 1;

  static final int NORESERVE = 1 << 1;
  static final int ACCOUNT = 1 << 2;
  static final int NOHUGEPAGE = 1 << 3;
  static final int HUGEPAGE = 1 << 4;
  static final int LOCKED = 1 << 5;
  static final int DONTCOPY = 1 << 6;
  static final int WIPEONFORK = 1 << 7;
  static final int DONTDUMP = 1 << 8;
  static final int MERGEABLE = 1 << 9;

  /** Not a vm_flags bit: laid out from ELF headers at execve (merging ignores it). */
  static final int FROM_ELF = 1 << 10;

  long size() {
    return end - start;
  }

  boolean writable() {
    return prot > 0 && (prot & PROT_WRITE) != 0;
  }

  boolean privateAnonymous() {
    return !shared && backing.kind() == Backing.Kind.ANONYMOUS;
  }

  /** The part [from, to) of this area, with the file offset moved along. */
  Vma slice(long from, long to) {
    long a = Math.max(madeFrom, from);
    long b = Math.max(a, Math.min(madeTo, to));
    return new Vma(
        from,
        to,
        prot,
        shared,
        pgoff + (from - start),
        backing,
        flags,
        anonId,
        originLine,
        fromBrk,
        a,
        b);
  }

  Vma withProt(int newProt, int newFlags, long newAnonId) {
    return new Vma(
        start,
        end,
        newProt,
        shared,
        pgoff,
        backing,
        newFlags,
        newAnonId,
        originLine,
        fromBrk,
        madeFrom,
        madeTo);
  }

  Vma withFlags(int newFlags) {
    return new Vma(
        start,
        end,
        prot,
        shared,
        pgoff,
        backing,
        newFlags,
        anonId,
        originLine,
        fromBrk,
        madeFrom,
        madeTo);
  }

  Vma withAnonId(long id) {
    return new Vma(
        start, end, prot, shared, pgoff, backing, flags, id, originLine, fromBrk, madeFrom, madeTo);
  }

  Vma withEnd(long newEnd) {
    // grown in place (mremap) the rest is the growing call's; shrunk, what is left of the part
    long b = Math.max(madeFrom, Math.min(madeTo, newEnd));
    return new Vma(
        start,
        newEnd,
        prot,
        shared,
        pgoff,
        backing,
        flags,
        anonId,
        originLine,
        fromBrk,
        madeFrom,
        b);
  }

  Vma movedTo(long newStart, long newEnd, long newPgoff) {
    // the part moves with the area, and is cut to its new size
    long a = Math.min(madeFrom + (newStart - start), newEnd);
    long b = Math.max(a, Math.min(madeTo + (newStart - start), newEnd));
    return new Vma(
        newStart,
        newEnd,
        prot,
        shared,
        newPgoff,
        backing,
        flags,
        anonId,
        originLine,
        fromBrk,
        a,
        b);
  }

  Vma withBacking(Backing b) {
    return new Vma(
        start, end, prot, shared, pgoff, b, flags, anonId, originLine, fromBrk, madeFrom, madeTo);
  }

  /**
   * Whether the kernel would make one area of this one and {@code next} (is_mergeable_vma and
   * is_mergeable_anon_vma in mm/vma.c): adjacent, same protection, flags and backing object,
   * contiguous page offsets, compatible anon_vma.
   */
  boolean canMergeWith(Vma next) {
    return end == next.start
        && prot >= 0
        && prot == next.prot
        && shared == next.shared
        && (flags & ~FROM_ELF) == (next.flags & ~FROM_ELF)
        && backing.sameObject(next.backing)
        && pgoff + size() == next.pgoff
        && (anonId == 0 || next.anonId == 0 || anonId == next.anonId);
  }

  /**
   * This area and {@code next}, one area now, named by the call that made this one (the lower), or
   * by {@code next}'s when nothing this one's call made is left; the two parts join when one call
   * made both (an area cut by mprotect and made whole again).
   */
  Vma mergedWith(Vma next) {
    boolean mine = madeFrom < madeTo;
    Vma by = mine || next.madeFrom >= next.madeTo ? this : next;
    long from = by.madeFrom;
    long to = by.madeTo;
    if (mine && madeTo == next.madeFrom && originLine == next.originLine) {
      to = next.madeTo;
    }
    return new Vma(
        start,
        next.end,
        prot,
        shared,
        pgoff,
        backing,
        flags,
        anonId != 0 ? anonId : next.anonId,
        by.originLine,
        fromBrk || next.fromBrk,
        from,
        to);
  }

  /** The four permission characters of /proc/PID/maps, by prot (0-7) + 8 when shared. */
  private static final String[] PERMS = new String[16];

  static {
    for (int i = 0; i < 16; i++) {
      PERMS[i] =
          ((i & PROT_READ) != 0 ? "r" : "-")
              + ((i & PROT_WRITE) != 0 ? "w" : "-")
              + ((i & PROT_EXEC) != 0 ? "x" : "-")
              + ((i & 8) != 0 ? "s" : "p");
    }
  }

  /** The four permission characters of /proc/PID/maps ({@code ?} for what is unknown). */
  String perms() {
    if (backing.kind() == Backing.Kind.UNKNOWN) {
      return prot < 0 ? "????" : PERMS[prot & 7].substring(0, 3) + "?";
    }
    if (prot < 0) {
      return shared ? "???s" : "???p";
    }
    return PERMS[(prot & 7) | (shared ? 8 : 0)];
  }
}
