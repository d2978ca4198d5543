package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.PROT_WRITE;

/**
 * The model's vm_area_struct: a {@link Region} plus what the kernel weighs when it decides to merge
 * two neighbours but {@code /proc/PID/maps} does not print. pgoff is kept for anonymous memory too
 * (the kernel sets it from the address at mmap time and keeps it when mremap moves the area, which
 * is why a moved area stops merging with fresh neighbours). anonId stands for the anon_vma: 0 when
 * the area never held a private written page, else an identity shared by the pieces of one area;
 * two areas with different identities never merge. prot is -1 when the trace does not tell it.
 *
 * <p>made says which calls made its memory ({@link MadeBy}): one, unless the kernel joined to it a
 * neighbour another call made (a merge, or brk growing [heap]).
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
    MadeBy made,
    boolean fromBrk) {

  /** An area a call (or the ELF headers, or a snapshot: line 0) made whole. */
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
    this(
        start,
        end,
        prot,
        shared,
        pgoff,
        backing,
        flags,
        anonId,
        MadeBy.whole(originLine, start, end),
        fromBrk);
  }

  /** The line of the call that made it (its lowest part), 0 for a snapshot's. */
  int originLine() {
    return made.line();
  }

  /** The part of it the call on {@link #originLine} made; empty when none is left. */
  long madeFrom() {
    return made.from();
  }

  long madeTo() {
    return made.to();
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

  /**
   * Not a vm_flags bit: a private anonymous area, not writable, learnt from a snapshot, which does
   * not show VM_ACCOUNT or VM_NORESERVE, nor VM_NOHUGEPAGE and VM_HUGEPAGE. An area that was once
   * writable keeps VM_ACCOUNT after an mprotect takes the write away (a fresh PROT_NONE mmap has
   * none; a MAP_NORESERVE one has VM_NORESERVE); MAP_STACK sets VM_NOHUGEPAGE since Linux 6.7
   * (calc_vm_flag_bits), so a thread stack's guard page has it; and the kernel merges two areas
   * only when they agree on them. So a merge with such an area does not ask, and takes the other
   * area's bits: pandoc's second thread stack, mapped PROT_NONE below the first one's guard page
   * that a late snapshot showed, is one area with it as in the kernel.
   */
  static final int ACCOUNT_UNKNOWN = 1 << 11;

  /**
   * Not a vm_flags bit: a fork child's copy of an area that had an anon_vma, whose anon_vma_chain
   * then also links the parent's (anon_vma_fork), so it is no longer singular.
   * is_mergeable_anon_vma (vma_had_uncowed_parents in newer kernels) then refuses to merge it with
   * a neighbour that has no anon_vma yet: in the child, brk growing [heap] or an anonymous mmap
   * beside such an area makes a new area. Two areas that share an anon_vma agree on this bit.
   */
  static final int FORKED = 1 << 12;

  /**
   * Not vm_flags bits: the protection (PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4) of the PT_LOAD an
   * area laid out from ELF headers came from, kept when mprotect changes the area's own, so the
   * segment still names it (merging ignores them, as it does {@link #FROM_ELF}).
   */
  static final int SEGMENT_PROT_SHIFT = 13;

  static final int SEGMENT_PROT = 7 << SEGMENT_PROT_SHIFT;

  /**
   * Not a vm_flags bit: the area has a memory policy of its own (vma->vm_policy, set by mbind), and
   * vma_merge joins areas only when mpol_equal holds, so such an area does not merge with a
   * neighbour that has none (an anonymous mmap beside an mbind'd buffer makes an area of its own).
   * Which policy is not kept: two areas with different ones would merge here, as they do not in the
   * kernel.
   */
  static final int MEMPOLICY = 1 << 16;

  /** The vm_flags bits a snapshot cannot show, of those merging compares. */
  private static final int HIDDEN = ACCOUNT | NORESERVE | NOHUGEPAGE | HUGEPAGE;

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
    return new Vma(
        from,
        to,
        prot,
        shared,
        pgoff + (from - start),
        backing,
        flags,
        anonId,
        made.clip(from, to),
        fromBrk);
  }

  Vma withProt(int newProt, int newFlags, long newAnonId) {
    return new Vma(start, end, newProt, shared, pgoff, backing, newFlags, newAnonId, made, fromBrk);
  }

  Vma withFlags(int newFlags) {
    return new Vma(start, end, prot, shared, pgoff, backing, newFlags, anonId, made, fromBrk);
  }

  /** The same area, its memory made by the calls of {@code m}. */
  Vma withMade(MadeBy m) {
    return new Vma(start, end, prot, shared, pgoff, backing, flags, anonId, m, fromBrk);
  }

  Vma withAnonId(long id) {
    return new Vma(start, end, prot, shared, pgoff, backing, flags, id, made, fromBrk);
  }

  /** Grown in place by the mremap on {@code line} (which made what it added), or shrunk. */
  Vma withEnd(long newEnd, int line) {
    MadeBy m = newEnd > end ? made.plus(end, newEnd, line) : made.clip(start, newEnd);
    return new Vma(start, newEnd, prot, shared, pgoff, backing, flags, anonId, m, fromBrk);
  }

  /** Moved (or, of a shared mapping, duplicated) to newStart by the mremap on {@code line}. */
  Vma movedTo(long newStart, long newEnd, long newPgoff, int line) {
    return new Vma(
        newStart,
        newEnd,
        prot,
        shared,
        newPgoff,
        backing,
        flags,
        anonId,
        made.shift(newStart - start, line).clip(newStart, newEnd),
        fromBrk);
  }

  Vma withBacking(Backing b) {
    return new Vma(start, end, prot, shared, pgoff, b, flags, anonId, made, fromBrk);
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
        && ((flags ^ next.flags) & mergeBits(next)) == 0
        && backing.sameObject(next.backing)
        && pgoff + size() == next.pgoff
        && (anonId == 0 || next.anonId == 0 || anonId == next.anonId);
  }

  /** The flags two areas must agree on to merge, this one and {@code next}. */
  private int mergeBits(Vma next) {
    int ignored = FROM_ELF | SEGMENT_PROT | ACCOUNT_UNKNOWN;
    return ((flags | next.flags) & ACCOUNT_UNKNOWN) != 0 ? ~(ignored | HIDDEN) : ~ignored;
  }

  /** This area and {@code next}, one area now, with the parts each call made. */
  Vma mergedWith(Vma next) {
    int merged = flags;
    if ((flags & ACCOUNT_UNKNOWN) != 0 && (next.flags & ACCOUNT_UNKNOWN) == 0) {
      merged = (flags & ~(HIDDEN | ACCOUNT_UNKNOWN)) | (next.flags & HIDDEN);
    }
    return new Vma(
        start,
        next.end,
        prot,
        shared,
        pgoff,
        backing,
        merged,
        anonId != 0 ? anonId : next.anonId,
        made.join(next.made),
        fromBrk || next.fromBrk);
  }

  /**
   * The four permission characters of /proc/PID/maps, as far as the trace shows them: {@link
   * MapsFormat#UNKNOWN_PERMS} when it shows none (memory an mremap moved or grew that the model
   * never saw), {@link MapsFormat#UNKNOWN_PERM} in the place of the one it does not (private or
   * shared, of such memory an mprotect later set).
   */
  String perms() {
    if (backing.kind() == Backing.Kind.UNKNOWN) {
      return prot < 0
          ? MapsFormat.UNKNOWN_PERMS
          : MapsFormat.perms(prot, false).substring(0, 3) + MapsFormat.UNKNOWN_PERM;
    }
    if (prot < 0) {
      String u = String.valueOf(MapsFormat.UNKNOWN_PERM).repeat(3);
      return u + (shared ? "s" : "p");
    }
    return MapsFormat.perms(prot, shared);
  }
}
