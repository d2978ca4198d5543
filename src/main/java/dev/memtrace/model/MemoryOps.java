package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.MAP_ANONYMOUS;
import static dev.memtrace.decode.LinuxFlags.MAP_FIXED;
import static dev.memtrace.decode.LinuxFlags.MAP_FIXED_NOREPLACE;
import static dev.memtrace.decode.LinuxFlags.MAP_GROWSDOWN;
import static dev.memtrace.decode.LinuxFlags.MAP_HUGETLB;
import static dev.memtrace.decode.LinuxFlags.MAP_LOCKED;
import static dev.memtrace.decode.LinuxFlags.MAP_NORESERVE;
import static dev.memtrace.decode.LinuxFlags.MAP_PRIVATE;
import static dev.memtrace.decode.LinuxFlags.MAP_STACK;
import static dev.memtrace.decode.LinuxFlags.MAP_TYPE;
import static dev.memtrace.decode.LinuxFlags.MREMAP_DONTUNMAP;
import static dev.memtrace.decode.LinuxFlags.MREMAP_FIXED;
import static dev.memtrace.decode.LinuxFlags.PAGE;
import static dev.memtrace.decode.LinuxFlags.PROT_EXEC;
import static dev.memtrace.decode.LinuxFlags.PROT_READ;
import static dev.memtrace.decode.LinuxFlags.PROT_WRITE;
import static dev.memtrace.decode.LinuxFlags.pageUp;

import dev.memtrace.decode.LinuxFlags;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The memory system calls of Linux, applied to an {@link AddressSpace} from plain numbers: the
 * arguments and the value the call returned. Only successful calls come here (a failed call changes
 * nothing). Each method follows the kernel path it names (mm/mmap.c, mm/mprotect.c, mm/mremap.c,
 * mm/madvise.c, ipc/shm.c): lengths rounded up to pages, the range cut out of whatever was there,
 * the new area merged with its neighbours when the kernel would merge it. Where the trace does not
 * tell enough (memory the model never saw mapped), the method changes what it can and says what it
 * could not know.
 */
public final class MemoryOps {

  private MemoryOps() {}

  /** The vm_flags bits that mmap flag bits become (calc_vm_flag_bits, mm/mmap.c). */
  private static int vmFlagsOf(long flags) {
    return ((flags & MAP_GROWSDOWN) != 0 ? Vma.GROWSDOWN : 0)
        | ((flags & MAP_LOCKED) != 0 ? Vma.LOCKED : 0)
        | ((flags & MAP_NORESERVE) != 0 ? Vma.NORESERVE : 0)
        | ((flags & MAP_STACK) != 0 ? Vma.NOHUGEPAGE : 0);
  }

  /**
   * madvise advice that changes vm_flags: advice → {bits set, bits cleared} (madvise_update_vma).
   */
  private static final Map<Long, int[]> ADVICE_FLAGS =
      Map.of(
          10L, new int[] {Vma.DONTCOPY, 0},
          11L, new int[] {0, Vma.DONTCOPY},
          12L, new int[] {Vma.MERGEABLE, 0},
          13L, new int[] {0, Vma.MERGEABLE},
          14L, new int[] {Vma.HUGEPAGE, Vma.NOHUGEPAGE},
          15L, new int[] {Vma.NOHUGEPAGE, Vma.HUGEPAGE},
          16L, new int[] {Vma.DONTDUMP, 0},
          17L, new int[] {0, Vma.DONTDUMP},
          18L, new int[] {Vma.WIPEONFORK, 0},
          19L, new int[] {0, Vma.WIPEONFORK});

  private static final int RWX = PROT_READ | PROT_WRITE | PROT_EXEC;

  /**
   * Which other tasks run in an address space while one task's call is told: a call's line comes
   * when it returns, so another traced task's munmap may have taken effect before its line shows.
   */
  public enum Others {
    /** No other task shares the space. */
    NONE,
    /** Other tasks share it and the log shows their calls (strace -f). */
    TRACED,
    /**
     * Other tasks share it but the log shows no task's pid: strace followed only the first task (no
     * -f), so the others' calls are not in it.
     */
    UNTRACED
  }

  /**
   * A successful mmap that returned {@code result}. backing is the file behind fd for a file
   * mapping (ignored with MAP_ANONYMOUS); shmKey distinguishes shared anonymous mappings; others
   * says who else runs in the space, asked only should the kernel place the mapping over memory the
   * model still has.
   */
  public static Outcome mmap(
      AddressSpace s,
      long len,
      int prot,
      long flags,
      Backing backing,
      long offset,
      long result,
      int line,
      long shmKey,
      Supplier<Others> others) {
    List<String> notes = new ArrayList<>();
    boolean hugetlb = (flags & MAP_HUGETLB) != 0 && (flags & MAP_ANONYMOUS) != 0;
    long size = hugetlb ? hugePagesUp(len, flags) : pageUp(len);
    long end = result + size;
    if (len == 0 || size == 0 || !s.inUserSpace(result, end)) {
      return Outcome.note(
          "mmap returned "
              + hex(result)
              + " for a length of "
              + Long.toUnsignedString(len)
              + (len == 0 ? "" : ", past the top of user space (" + hex(s.top()) + ")")
              + ", which the kernel refuses (mm/mmap.c): the model leaves the"
              + " address space as it was");
    }
    boolean shared = (flags & MAP_TYPE) != MAP_PRIVATE;
    boolean anonymous = (flags & MAP_ANONYMOUS) != 0;
    Backing b = anonymous ? Backing.ANONYMOUS : backing;
    long pgoff = offset;
    if (anonymous && shared) {
      b = Backing.sharedMemory(MapsFormat.DEV_ZERO, shmKey);
      pgoff = 0;
    } else if (anonymous) {
      b = Backing.ANONYMOUS;
      pgoff = result;
    } else if (shared && "/dev/zero".equals(b.path())) {
      // mmap_zero: shmem_zero_setup gives a shared mapping of /dev/zero a shmem file of its own,
      // named dev/zero, as MAP_SHARED|MAP_ANONYMOUS gets; a private one keeps /dev/zero as its
      // file (vma_set_anonymous only drops its vm_ops), so maps names /dev/zero for it
      b = Backing.sharedMemory(MapsFormat.DEV_ZERO, shmKey);
    }
    if ((flags & MAP_HUGETLB) != 0 && anonymous) {
      b = new Backing(Backing.Kind.SPECIAL, MapsFormat.ANON_HUGEPAGE, Backing.NO_DEV, 0, shmKey);
    }
    int vmFlags = vmFlagsOf(flags) | (s.lockFuture ? Vma.LOCKED : 0);
    if (!shared && (prot & PROT_WRITE) != 0 && (vmFlags & Vma.NORESERVE) == 0) {
      vmFlags |= Vma.ACCOUNT; // accountable_mapping
    }
    if (!anonymous && OpenFile.PERF_EVENT.equals(b.path())) {
      // perf_mmap: a perf ring's pinned pages are accounted per mm, so fork must not copy it
      vmFlags |= Vma.DONTCOPY | Vma.DONTDUMP;
    }
    ChangeTracker t = new ChangeTracker(s);
    t.watch(result, end);
    boolean fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
    Vma made =
        new Vma(result, end, prot < 0 ? -1 : prot & RWX, shared, pgoff, b, vmFlags, 0, line, false);
    if (!fixed && s.overlaps(result, end)) {
      notes.add(overlapNote(s, s.areasNear(result, end, false), made, others.get()));
    }
    s.cut(result, end);
    s.put(made);
    s.mergeBoundaries(result, end);
    s.markWritten(result, end);
    return new Outcome(t.changes(), notes);
  }

  /** x86-64's default huge page size (Hugepagesize in /proc/meminfo, unless booted otherwise). */
  public static final long DEFAULT_HUGE_PAGE = 2L << 20;

  /**
   * The huge page size an anonymous MAP_HUGETLB mmap asks for: the log2 of it in the bits from
   * MAP_HUGE_SHIFT (26) up, as strace prints 21<<MAP_HUGE_SHIFT; with none, the default size.
   */
  public static long hugePageSize(long flags) {
    return hugePageNamed(flags) ? 1L << hugePageLog2(flags) : DEFAULT_HUGE_PAGE;
  }

  /** Whether a MAP_HUGETLB mmap's flags name its huge page size (21<<MAP_HUGE_SHIFT). */
  public static boolean hugePageNamed(long flags) {
    return hugePageLog2(flags) != 0;
  }

  private static long hugePageLog2(long flags) {
    return (flags >>> 26) & 0x3f;
  }

  /**
   * The length an anonymous MAP_HUGETLB mmap maps: ksys_mmap_pgoff (mm/mmap.c) aligns it up to the
   * huge page size before hugetlb_file_setup; 0 when that passes the top of the address range.
   */
  public static long hugePagesUp(long len, long flags) {
    long huge = hugePageSize(flags);
    long up = (len + huge - 1) & -huge;
    return Long.compareUnsigned(up, len) < 0 ? 0 : up;
  }

  /**
   * Why the kernel could place a new mapping where the model still had memory. Memory a call in the
   * trace made can only have been freed by a munmap whose line comes later (another traced
   * thread's, still running): the range is remembered so that munmap leaves the new mapping alone.
   * With no other traced thread in the space, the munmap is one the trace does not show, and a
   * later munmap of the range is this mapping's own. Memory the model knows only from a maps
   * snapshot is, in a live run, most often what a snapshot read late already showed of later calls:
   * nothing is remembered then.
   */
  private static String overlapNote(AddressSpace s, List<Vma> there, Vma made, Others others) {
    String range = hex(made.start()) + "-" + hex(made.end());
    // what the new mapping covers of each area: an area a snapshot showed may hold, elsewhere,
    // memory a call of the trace made (AddressSpace.resync keeps those parts' lines)
    boolean onlyLearnt =
        there.stream()
            .allMatch(
                v ->
                    v
                        .made()
                        .clip(Math.max(v.start(), made.start()), Math.min(v.end(), made.end()))
                        .lines()
                        .stream()
                        .allMatch(line -> line == 0));
    if (onlyLearnt && there.size() == 1 && Agreement.same(s.view(there.get(0)), s.view(made))) {
      return "the model already had "
          + range
          + " as this call maps it, learnt from a maps"
          + " snapshot: that snapshot must have been read after this call";
    }
    if (onlyLearnt) {
      return "the kernel placed this mapping over "
          + range
          + ", which the model knew only from a"
          + " maps snapshot: that snapshot was most likely read late and showed later changes"
          + (others == Others.TRACED
              ? " (else a munmap still running in another thread freed it)"
              : " (else a munmap the trace does not show freed it)");
    }
    if (others != Others.TRACED) {
      return "the kernel placed this mapping over "
          + range
          + ", where the model still had memory: a munmap the trace does not show freed it"
          + (others == Others.UNTRACED
              ? " (other threads share this address space, but the log shows no pids: strace"
                  + " followed only this task, as it does without -f, or this is one file of an"
                  + " -ff set; their calls are not in it)"
              : " (no other traced task shares this address space, so no munmap still running"
                  + " elsewhere can have done it: -e trace= may have left it out)");
    }
    for (Vma old : there) {
      s.reused.add(
          AddressSpace.below(old.start(), made.start()) ? made.start() : old.start(),
          AddressSpace.below(old.end(), made.end()) ? old.end() : made.end());
    }
    return "the kernel placed this mapping over "
        + range
        + ", where the model still had memory:"
        + " a munmap still running in another thread must have freed it (its line comes later)";
  }

  /**
   * A note for [addr, addr + len) when no kernel accepts it: its length rounds up past 2^64, or it
   * runs past the top of user space (TASK_SIZE: the kernel answers EINVAL or ENOMEM). A log that
   * shows such a call succeeding is damaged or made up, and the model changes nothing for it. Null
   * for a range that can be.
   */
  private static Outcome impossible(AddressSpace s, String call, long addr, long len) {
    long size = pageUp(len);
    if ((len == 0 || size != 0) && s.inUserSpace(addr, addr + size)) {
      return null;
    }
    return Outcome.note(
        call
            + " of "
            + Long.toUnsignedString(len)
            + " bytes at "
            + hex(addr)
            + " runs past the top of user space ("
            + hex(s.top())
            + "), which the kernel refuses:"
            + " the model leaves the address space as it was");
  }

  /**
   * A successful munmap of [addr, addr+len); others says who else runs in the space, asked only
   * when the model knew no memory there.
   */
  public static Outcome munmap(AddressSpace s, long addr, long len, Supplier<Others> others) {
    Outcome refused = impossible(s, "munmap", addr, len);
    if (refused != null) {
      return refused;
    }
    long end = addr + pageUp(len);
    ChangeTracker t = new ChangeTracker(s);
    t.watch(addr, end);
    List<String> notes = new ArrayList<>();
    List<Vma> gone = new ArrayList<>();
    long at = addr;
    for (long[] r : s.reused.take(addr, end)) {
      gone.addAll(s.cut(at, AddressSpace.below(at, r[0]) ? r[0] : at));
      at = AddressSpace.below(at, r[1]) ? r[1] : at;
      notes.add(
          hex(r[0])
              + "-"
              + hex(r[1])
              + " was already reused by a mapping whose line"
              + " came first (a thread mapped it while this munmap was running): it stays");
    }
    if (AddressSpace.below(at, end)) {
      gone.addAll(s.cut(at, end));
    }
    if (gone.isEmpty() && !notes.isEmpty()) {
      return new Outcome(t.changes(), notes);
    }
    if (gone.isEmpty()) {
      Others who = others.get();
      boolean snapshot = false;
      for (Iterator<long[]> it = s.droppedBySnapshot.iterator(); it.hasNext(); ) {
        long[] r = it.next();
        if (r[0] < end && r[1] > addr) {
          it.remove();
          snapshot = true;
        }
      }
      notes.add(
          "munmap of "
              + hex(addr)
              + "-"
              + hex(end)
              + ": the model knew no memory there"
              + (snapshot
                  ? ": a maps snapshot read before this line already showed the range unmapped ("
                      + (who == Others.TRACED
                          ? "the munmap was still running in another thread, or the snapshot was"
                              + " read late"
                          : "the snapshot was read late, after this munmap took effect")
                      + "), so the model had let it go"
                  : ": the trace did not show memory there at this point ("
                      + (who == Others.UNTRACED
                          ? "mapped by another thread, whose calls a log without pids leaves out"
                              + " (strace without -f, or one file of an -ff set); or "
                          : "")
                      + "mapped before the trace began or by the kernel at execve, or already"
                      + " unmapped: munmap of an unmapped range succeeds)"));
    }
    return new Outcome(t.changes(), notes);
  }

  /** A successful mprotect: new protection on [addr, addr+len), then re-merge (mprotect_fixup). */
  public static Outcome mprotect(AddressSpace s, long addr, long len, int prot) {
    Outcome refused = impossible(s, "mprotect", addr, len);
    if (refused != null) {
      return refused;
    }
    long end = addr + pageUp(len);
    int newProt = prot & RWX;
    return changeAreas(
        s,
        addr,
        end,
        "mprotect",
        v -> {
          int f = v.flags();
          boolean nowWritable = (newProt & PROT_WRITE) != 0;
          if (nowWritable
              && !v.shared()
              && (f & (Vma.ACCOUNT | Vma.NORESERVE)) == 0
              && !v.writable()) {
            f |= Vma.ACCOUNT;
          } else if (!nowWritable
              && (f & Vma.ACCOUNT) != 0
              && v.privateAnonymous()
              && v.anonId() == 0) {
            f &= ~Vma.ACCOUNT; // an unfaulted area is unaccounted again
          }
          return v.withProt(newProt, f, v.anonId());
        });
  }

  /** A successful madvise: only advice that changes vm_flags changes the listing (it may split). */
  public static Outcome madvise(AddressSpace s, long addr, long len, long advice) {
    int[] setClear = ADVICE_FLAGS.get(advice);
    if (setClear == null) {
      return Outcome.NONE;
    }
    Outcome refused = impossible(s, "madvise", addr, len);
    if (refused != null) {
      return refused;
    }
    long end = addr + pageUp(len);
    return changeAreas(
        s, addr, end, "madvise", v -> v.withFlags((v.flags() | setClear[0]) & ~setClear[1]));
  }

  /** A successful mlock/mlock2 ({@code on}) or munlock: VM_LOCKED set or cleared (it may split). */
  public static Outcome lock(AddressSpace s, long addr, long len, boolean on) {
    if (pageUp(len + (addr - LinuxFlags.pageDown(addr))) == 0) {
      // mlock and munlock take PAGE_ALIGN(len + offset_in_page(start)): when that wraps to 0
      // (a length of 0, or of 2^64 - 1), apply_vma_lock_flags returns 0 at once, nothing locked
      return Outcome.NONE;
    }
    return flagPages(s, addr, len, on ? "mlock" : "munlock", Vma.LOCKED, on);
  }

  /**
   * A successful mbind: the range's areas get a memory policy of their own ({@code set}) or lose it
   * (MPOL_DEFAULT); mbind_range splits them at the range's ends (mm/mempolicy.c), len rounded up to
   * whole pages.
   */
  public static Outcome mempolicy(AddressSpace s, long addr, long len, boolean set) {
    if (pageUp(len) == 0) {
      return Outcome.NONE;
    }
    return flagPages(s, addr, len, "mbind", Vma.MEMPOLICY, set);
  }

  /**
   * Sets ({@code on}) or clears one area flag over the whole pages of [addr, addr + len), as mlock
   * and mbind do, splitting the areas at the range's ends; an impossible range is refused.
   */
  private static Outcome flagPages(
      AddressSpace s, long addr, long len, String call, int flag, boolean on) {
    Outcome refused = impossible(s, call, addr, len);
    if (refused != null) {
      return refused;
    }
    return changeAreas(
        s,
        LinuxFlags.pageDown(addr),
        pageUp(addr + len),
        call,
        v -> v.withFlags(on ? v.flags() | flag : v.flags() & ~flag));
  }

  /**
   * A successful mlockall ({@code current}: MCL_CURRENT; {@code future}: MCL_FUTURE) or munlockall
   * (both false, {@code unlock}): apply_mlockall_flags sets or clears mm->def_flags' VM_LOCKED, and
   * with MCL_CURRENT, or for munlockall, sets or clears VM_LOCKED on every area, each changed one
   * merged with its neighbours as mlock_fixup does; areas mlock_fixup leaves alone (VM_SPECIAL such
   * as [vdso] and [vvar], hugetlb) keep their flags.
   */
  public static Outcome lockAll(AddressSpace s, boolean current, boolean future, boolean unlock) {
    s.lockFuture = future;
    if (!current && !unlock) {
      return Outcome.NONE;
    }
    ChangeTracker t = new ChangeTracker(s);
    List<Vma> all = s.areasNear(0, -1L, false);
    if (!all.isEmpty()) {
      t.watch(all.get(0).start(), all.get(all.size() - 1).end());
    }
    // left to right, by address: a merge makes the areas listed above stale
    long at = 0;
    while (true) {
      List<Vma> rest = s.areasNear(at, -1L, false);
      if (rest.isEmpty()) {
        break;
      }
      Vma v = rest.get(0);
      int f = unlock ? v.flags() & ~Vma.LOCKED : v.flags() | Vma.LOCKED;
      if (v.backing().kind() != Backing.Kind.SPECIAL && f != v.flags()) {
        s.replace(v.withFlags(f));
        s.mergeBoundaries(v.start(), v.end());
        v = s.areaAt(v.start());
      }
      at = v.end();
      if (at == 0) {
        break;
      }
    }
    return new Outcome(t.changes(), List.of());
  }

  private static Outcome changeAreas(
      AddressSpace s, long lo, long hi, String call, UnaryOperator<Vma> f) {
    ChangeTracker t = new ChangeTracker(s);
    t.watch(lo, hi);
    List<String> notes = new ArrayList<>();
    if (!s.covered(lo, hi)) {
      notes.add(
          call
              + " of "
              + hex(lo)
              + "-"
              + hex(hi)
              + ": the model knew "
              + (s.areasNear(lo, hi, false).isEmpty() ? "no" : "only part of the")
              + " memory there"
              + (lateSnapshot(s, lo, hi)
                  ? ": a maps snapshot read before this line showed it unmapped (the snapshot was"
                      + " read late, after a munmap that follows, or a munmap was running in"
                      + " another thread), so the model had let it go; the call succeeded, so it"
                      + " was mapped when it ran"
                  : " (mapped before the trace began, or by the kernel at execve)"));
    }
    // mlock_fixup, madvise_update_vma and mprotect_fixup leave an area that would not change as
    // it is: no split, and no merge with its neighbours (a fork child's munlock of what its parent
    // locked, dup_mmap having already cleared VM_LOCKED, keeps the pieces the parent's mlock made)
    boolean changes = false;
    for (Vma v : s.areasNear(lo, hi, false)) {
      changes |= !f.apply(v).equals(v);
    }
    if (changes) {
      s.splitAt(lo);
      s.splitAt(hi);
      for (Vma v : s.areasNear(lo, hi, false)) {
        s.replace(f.apply(v));
      }
      s.mergeBoundaries(lo, hi);
    }
    s.markWritten(lo, hi);
    return new Outcome(t.changes(), notes);
  }

  /**
   * A successful mremap that returned {@code result}: shrink or grow in place, or move (MAYMOVE,
   * FIXED), keeping the old mapping with DONTUNMAP. An old length of 0 duplicates a shared mapping.
   */
  public static Outcome mremap(
      AddressSpace s, long oldAddr, long oldLen, long newLen, long flags, long result, int line) {
    if (newLen == 0) {
      return Outcome.note(
          "mremap to a length of 0, which the kernel refuses: the model leaves the"
              + " address space as it was");
    }
    Outcome refused = impossible(s, "mremap", oldAddr, oldLen);
    if (refused == null) {
      refused = impossible(s, "mremap", result, newLen);
    }
    if (refused != null) {
      return refused;
    }
    long oldSize = pageUp(oldLen);
    long newSize = pageUp(newLen);
    ChangeTracker t = new ChangeTracker(s);
    boolean shrinks = AddressSpace.below(newSize, oldSize); // sizes are unsigned too
    // the old range, and what it grows into when it grows in place
    t.watch(oldAddr, oldAddr + (shrinks || result != oldAddr ? oldSize : newSize));
    if (result != oldAddr) {
      t.watch(result, result + newSize);
    }
    List<String> notes = new ArrayList<>();
    Vma source = s.areaAt(oldAddr);
    if (source == null
        && newSize != 0
        && s.covered(result, result + newSize)
        && droppedBySnapshot(s, oldAddr, oldAddr + oldSize)) {
      // a snapshot read late (or while the mremap ran in another thread) showed the move done:
      // the model took the new place from it and let the old go
      notes.add(
          "mremap of "
              + hex(oldAddr)
              + ": the model knew no memory there: a maps snapshot read before this line already"
              + " showed the mapping moved to "
              + hex(result)
              + "-"
              + hex(result + newSize)
              + " (the snapshot was read late, or the mremap was still running in another"
              + " thread), so the model keeps what the snapshot showed there");
      return new Outcome(t.changes(), notes);
    }
    if (source == null) {
      notes.add(
          "mremap of "
              + hex(oldAddr)
              + ": the model knew no memory there; what now lies at "
              + hex(result)
              + "-"
              + hex(result + newSize)
              + " is unknown");
      s.cut(result, result + newSize);
      if (newSize != 0) {
        s.put(unknownArea(result, result + newSize, line));
      }
      return new Outcome(t.changes(), notes);
    }
    if (oldSize == 0) { // duplicate a shared mapping
      Vma copy =
          source.movedTo(
              result, result + newSize, source.pgoff() + (oldAddr - source.start()), line);
      s.cut(result, result + newSize);
      s.put(copy);
      s.mergeBoundaries(result, result + newSize);
      return new Outcome(t.changes(), notes);
    }
    if (result == oldAddr) {
      if (shrinks) {
        s.cut(oldAddr + newSize, oldAddr + oldSize);
      } else if (newSize != oldSize) {
        s.splitAt(oldAddr + oldSize);
        Vma last = s.areaAt(oldAddr + oldSize - 1);
        s.cut(oldAddr + oldSize, oldAddr + newSize);
        if (last == null) {
          notes.add(
              "mremap grows "
                  + hex(oldAddr)
                  + "-"
                  + hex(oldAddr + oldSize)
                  + " in place,"
                  + " but the model knew no memory at its end: what now lies at "
                  + hex(oldAddr + oldSize)
                  + "-"
                  + hex(oldAddr + newSize)
                  + " is unknown");
          s.put(unknownArea(oldAddr + oldSize, oldAddr + newSize, line));
          return new Outcome(t.changes(), notes);
        }
        s.replace(last.withEnd(oldAddr + newSize, line));
        s.mergeBoundaries(oldAddr + newSize, oldAddr + newSize);
      }
      return new Outcome(t.changes(), notes);
    }
    long moved = shrinks ? newSize : oldSize;
    if (shrinks) {
      s.cut(oldAddr + newSize, oldAddr + oldSize);
    }
    s.splitAt(oldAddr);
    s.splitAt(oldAddr + moved);
    Vma piece = s.areaAt(oldAddr);
    if (piece.end() < oldAddr + moved) {
      notes.add(
          "mremap of "
              + hex(oldAddr)
              + "-"
              + hex(oldAddr + oldSize)
              + " spans several areas in the model, which the kernel would refuse");
    }
    boolean keepOld = (flags & MREMAP_DONTUNMAP) != 0;
    if (!keepOld) {
      s.cut(oldAddr, oldAddr + moved);
    }
    if ((flags & MREMAP_FIXED) == 0 && !s.areasNear(result, result + newSize, false).isEmpty()) {
      notes.add(
          "mremap moved the mapping to "
              + hex(result)
              + ", where the model still had memory:"
              + " the model was out of date and drops it");
    }
    s.cut(result, result + newSize);
    // An area that never held a private page gets a page offset from its new address (copy_vma).
    long pgoff = piece.privateAnonymous() && piece.anonId() == 0 ? result : piece.pgoff();
    // what grows beyond the moved pages is this call's own memory, as a grow in place is
    s.put(
        newSize > moved
            ? piece.movedTo(result, result + moved, pgoff, line).withEnd(result + newSize, line)
            : piece.movedTo(result, result + newSize, pgoff, line));
    s.mergeBoundaries(result, result + newSize);
    return new Outcome(t.changes(), notes);
  }

  /**
   * Whether a snapshot let go of memory in [lo, hi), keeping the ranges for the munmap that will
   * tell them (a call that only changes areas, such as madvise, leaves them).
   */
  private static boolean lateSnapshot(AddressSpace s, long lo, long hi) {
    for (long[] r : s.droppedBySnapshot) {
      if (AddressSpace.below(r[0], hi) && AddressSpace.below(lo, r[1])) {
        return true;
      }
    }
    return false;
  }

  /** Whether a snapshot let go of memory in [lo, hi); the ranges it names are told once. */
  private static boolean droppedBySnapshot(AddressSpace s, long lo, long hi) {
    boolean found = false;
    for (Iterator<long[]> it = s.droppedBySnapshot.iterator(); it.hasNext(); ) {
      long[] r = it.next();
      if (AddressSpace.below(r[0], hi) && AddressSpace.below(lo, r[1])) {
        it.remove();
        found = true;
      }
    }
    return found;
  }

  /** Memory a call made at [lo, hi) of which the trace tells nothing: permissions unknown. */
  private static Vma unknownArea(long lo, long hi, int line) {
    return new Vma(lo, hi, -1, false, 0, Backing.unknown("[unknown]"), 0, 0, line, false);
  }

  /**
   * brk: {@code requested} 0 asks for the current break; otherwise the call succeeded when it
   * returned what was asked (the kernel returns the old break when it refuses). The first answer
   * after execve is start_brk. [heap] grows by extending the area below the old break.
   */
  public static Outcome brk(
      AddressSpace s, long requested, long result, boolean freshExec, int line) {
    long start = s.startBrk();
    long old = s.brk();
    if (requested == 0 || result != requested) {
      if (start == AddressSpace.UNKNOWN && freshExec) {
        s.setBrk(result, result);
      } else {
        s.setBrk(start, result);
      }
      if (requested != 0) {
        return Outcome.note(
            "brk(" + hex(requested) + ") refused: the break stays at " + hex(result));
      }
      if (old != AddressSpace.UNKNOWN && old != result) {
        return Outcome.note(
            "the model had the break at " + hex(old) + ", the kernel says " + hex(result));
      }
      return Outcome.NONE;
    }
    if (start != AddressSpace.UNKNOWN && Long.compareUnsigned(result, start) < 0) {
      return Outcome.note(
          "brk("
              + hex(requested)
              + ") below the start of [heap] ("
              + hex(start)
              + ") is refused by the kernel, yet the log shows it granted: the model leaves the"
              + " break at "
              + (old == AddressSpace.UNKNOWN ? "where it was" : hex(old)));
    }
    if (old == AddressSpace.UNKNOWN) {
      s.setBrk(start, result);
      return Outcome.note(
          "the break before this call is unknown: [heap] below "
              + hex(result)
              + " cannot be drawn");
    }
    long oldTop = pageUp(old);
    long newTop = pageUp(result);
    // a break in the last page wraps to 0 when rounded up
    boolean newFits = newTop != 0 && s.inUserSpace(newTop, newTop);
    if (oldTop == 0 || !newFits) {
      return Outcome.note(
          "a break at "
              + hex(newFits ? old : result)
              + " lies past the top"
              + " of user space ("
              + hex(s.top())
              + "), which the kernel refuses: the model leaves"
              + " the address space as it was");
    }
    boolean shrinks = AddressSpace.below(newTop, oldTop);
    long lo = shrinks ? newTop : oldTop;
    long hi = shrinks ? oldTop : newTop;
    // A snapshot read after strace's hold ended can show [heap] past the model's break, up to the
    // break of later calls. The kernel has one [heap] area, start_brk to the break (do_brk_flags
    // grows it, do_vmi_munmap cuts it back): after this call it ends at the new break, so the
    // snapshot's part above it is not yet there, and is not a second [heap] either.
    long above = shrinks ? oldTop : newTop;
    Vma ahead = s.areaAt(above);
    long aheadEnd =
        ahead != null
                && ahead.fromBrk()
                && ahead.privateAnonymous()
                && ahead.slice(above, ahead.end()).originLine() == 0
            ? ahead.end()
            : above;
    ChangeTracker t = new ChangeTracker(s);
    long from = start == AddressSpace.UNKNOWN || AddressSpace.below(lo, start) ? lo : start;
    long watchTo = AddressSpace.below(hi, aheadEnd) ? aheadEnd : hi;
    t.watch(start == AddressSpace.UNKNOWN || from == 0 ? from : from - 1, watchTo + 1);
    if (aheadEnd != above) {
      s.cut(above, aheadEnd);
    }
    if (shrinks) {
      s.cut(newTop, oldTop);
    } else if (newTop != oldTop) {
      s.cut(oldTop, newTop);
      s.put(
          new Vma(
              oldTop,
              newTop,
              PROT_READ | PROT_WRITE,
              false,
              oldTop,
              Backing.ANONYMOUS,
              // do_brk_flags takes mm->def_flags: locked while mlockall(MCL_FUTURE) is in force,
              // and then it expands the area below only if that is locked too
              Vma.ACCOUNT | (s.lockFuture ? Vma.LOCKED : 0),
              0,
              line,
              true));
      s.mergeBoundaries(oldTop, oldTop); // do_brk_flags only expands the area below
      s.markWritten(oldTop, newTop);
    }
    s.setBrk(start, result);
    return new Outcome(t.changes(), List.of());
  }

  /**
   * A successful shmat of a segment of {@code size} bytes (null when unknown) at {@code result}.
   */
  public static Outcome shmat(
      AddressSpace s, long result, Long size, long flags, String name, long key, int line) {
    if (size == null) {
      return Outcome.note(
          "shmat at "
              + hex(result)
              + ": the segment's size is unknown"
              + " (no shmget for it in the trace), so its region cannot be drawn");
    }
    boolean readOnly = (flags & LinuxFlags.SHM_RDONLY) != 0;
    boolean exec = (flags & LinuxFlags.SHM_EXEC) != 0;
    int prot = PROT_READ | (readOnly ? 0 : PROT_WRITE) | (exec ? PROT_EXEC : 0);
    long end = result + pageUp(size);
    if (pageUp(size) == 0 && size != 0 || !s.inUserSpace(result, end)) {
      return Outcome.note(
          "shmat of "
              + Long.toUnsignedString(size)
              + " bytes at "
              + hex(result)
              + " runs past the top of user space ("
              + hex(s.top())
              + "), which the kernel refuses:"
              + " the model leaves the address space as it was");
    }
    ChangeTracker t = new ChangeTracker(s);
    t.watch(result, end);
    s.cut(result, end);
    s.put(new Vma(result, end, prot, true, 0, Backing.sharedMemory(name, key), 0, 0, line, false));
    s.mergeBoundaries(result, end);
    return new Outcome(t.changes(), List.of());
  }

  /**
   * A successful io_setup: the kernel mapped the context's completion ring at its id, shared and
   * read-write (aio_setup_ring, fs/aio.c), of a size that depends on the possible CPUs ({@link
   * AioRing}): drawn with the size it has on up to {@link AioRing#cpusUpTo} CPUs, and said so.
   */
  public static Outcome aioSetup(AddressSpace s, long ctx, long nrEvents, long key, int line) {
    long end = ctx + AioRing.pages(nrEvents, 1) * LinuxFlags.PAGE;
    if (!s.inUserSpace(ctx, end)) {
      return Outcome.note(
          "io_setup's ring at " + hex(ctx) + " is not in user space: the model leaves it out");
    }
    ChangeTracker t = new ChangeTracker(s);
    t.watch(ctx, end);
    s.cut(ctx, end);
    s.put(
        new Vma(
            ctx,
            end,
            PROT_READ | PROT_WRITE,
            true,
            0,
            Backing.sharedMemory(AioRing.NAME, key),
            0,
            0,
            line,
            false));
    long cpus = AioRing.cpusUpTo(nrEvents);
    return new Outcome(
        t.changes(),
        List.of(
            "io_setup's ring at "
                + hex(ctx)
                + " is drawn with the size it has on up to "
                + cpus
                + (cpus == 1 ? " possible CPU" : " possible CPUs")
                + " (the trace does not show how many the machine has; more make it larger)"));
  }

  /** A successful io_destroy: the ring io_setup mapped at ctx goes (kill_ioctx's vm_munmap). */
  public static Outcome aioDestroy(AddressSpace s, long ctx) {
    Vma ring = s.areaAt(ctx);
    if (ring == null || ring.start() != ctx || !AioRing.NAME.equals(ring.backing().path())) {
      return Outcome.note("io_destroy of " + hex(ctx) + ": the model knew no AIO ring there");
    }
    return munmap(s, ctx, ring.end() - ctx, () -> Others.NONE);
  }

  /** A successful shmdt: the segment's areas from addr on go. */
  public static Outcome shmdt(AddressSpace s, long addr) {
    Vma first = s.areaAt(addr);
    if (first == null || first.backing().kind() != Backing.Kind.SHARED_MEMORY) {
      return Outcome.note("shmdt of " + hex(addr) + ": the model knew no segment there");
    }
    long end = first.end();
    Vma next = s.areaAt(end);
    while (next != null && next.backing().sameObject(first.backing())) {
      end = next.end();
      next = s.areaAt(end);
    }
    return munmap(s, addr, end - addr, () -> Others.NONE);
  }

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  static long page() {
    return PAGE;
  }
}
