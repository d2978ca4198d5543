package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;

import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.decode.Madvise;
import dev.memtrace.decode.Mremap;
import dev.memtrace.decode.Msync;
import dev.memtrace.decode.Range;
import dev.memtrace.explain.Rule.Said;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.MemoryOps;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.trace.RawText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Memory calls that failed, read by their errno: what the kernel refused and why (man 2 mmap,
 * munmap, mprotect, mremap, brk, madvise); and those whose result strace injected, which the kernel
 * never ran. Read first, since such a call changes nothing.
 */
final class FailureRules {
  private FailureRules() {}

  /** errno → what it means for a memory call. */
  static final Map<String, String> ERRNO =
      Map.of(
          "ENOMEM",
              "no room: the address range is not mapped (mprotect/madvise), the "
                  + "mapping cannot grow there (mremap without MREMAP_MAYMOVE), or the commit limit "
                  + "or the map count (vm.max_map_count) would be exceeded",
          "EINVAL",
              "a bad argument: an address or length not page-aligned, a zero length, or "
                  + "flags that contradict each other",
          "EFAULT", "the address range is not valid memory of this process",
          "EBADF", "the fd is not open (or was opened without read access)",
          "EACCES",
              "the file was not opened with the access this protection needs (e.g. "
                  + "PROT_WRITE on a MAP_SHARED mapping of a read-only fd)",
          "EPERM",
              "forbidden: PROT_EXEC on a noexec mount, a sealed memfd, MAP_LOCKED while "
                  + "RLIMIT_MEMLOCK is 0 without CAP_IPC_LOCK, or an address below "
                  + "vm.mmap_min_addr",
          "EEXIST", "MAP_FIXED_NOREPLACE: something is already mapped there",
          "EAGAIN", "the memory is locked or too much would be locked (RLIMIT_MEMLOCK)",
          "ENODEV", "the file's filesystem does not support memory mapping",
          "EOVERFLOW", "the offset plus length overflow the file's offset type");

  /** The memory calls these rows read. */
  private static final String[] CALLS = {
    "mmap",
    "mmap2",
    "munmap",
    "mprotect",
    "pkey_mprotect",
    "mremap",
    "madvise",
    "msync",
    "mlock",
    "mlock2",
    "munlock",
    "mlockall",
    "shmat",
    "shmdt"
  };

  private static String[] withBrk() {
    String[] all = Arrays.copyOf(CALLS, CALLS.length + 1);
    all[CALLS.length] = "brk";
    return all;
  }

  /**
   * A call whose result strace injected: the kernel did not run it, whatever the result says, so
   * neither the errno's reasons nor the call's usual meaning apply.
   */
  private static Said injected(Ctx c) {
    String result =
        c.ev.result().errno() != null ? "-1 " + c.ev.result().errno() : c.ev.result().text();
    return Said.of(
        "strace's -e inject kept the kernel from running this "
            + c.name()
            + " (strace changes the syscall number at entry, tamper_with_syscall_entering) and "
            + "made its result, "
            + result
            + ", itself; the address space is unchanged",
        Basis.ARITHMETIC,
        "strace marked the result (INJECTED)");
  }

  /**
   * An mmap's ENOMEM (mmap(2), do_mmap): no range of addresses, RLIMIT_AS or RLIMIT_DATA, the
   * commit limit (__vm_enough_memory) or the map count; not an unmapped range, which mmap never
   * asks for.
   */
  static final String MMAP_ENOMEM =
      "no room: no free range of addresses that large, RLIMIT_AS or RLIMIT_DATA, the commit "
          + "limit (vm.overcommit_memory) or the map count (vm.max_map_count) would be exceeded";

  /**
   * MAP_HUGETLB: the mapping takes its huge pages from the pool up front; hugetlbfs_file_mmap's
   * hugetlb_reserve_pages fails with ENOMEM (hugetlb_acct_memory) when the pool, vm.nr_hugepages
   * plus vm.nr_overcommit_hugepages, has too few free.
   */
  static final String HUGETLB_ENOMEM =
      "most likely too few free huge pages: MAP_HUGETLB reserves the mapping's huge pages from "
          + "the kernel's pool as it maps (hugetlb_reserve_pages), and the pool holds "
          + "vm.nr_hugepages, 0 unless configured, plus up to vm.nr_overcommit_hugepages; else "
          + MMAP_ENOMEM;

  /**
   * munmap's ENOMEM (munmap(2), do_vmi_align_munmap in mm/mmap.c): unmapping the middle of an area
   * splits it in two, and one more area than vm.max_map_count allows fails; a range that is not
   * mapped is no error for munmap, which returns 0.
   */
  static final String MUNMAP_ENOMEM =
      "unmapping part of an area would split it in two, one area more than the map count allows"
          + " (vm.max_map_count); a range that is not mapped is no error for munmap, which returns"
          + " 0";

  /**
   * mremap's ENOMEM (mremap(2), mm/mremap.c): it cannot grow the range in place (the range ends
   * before its area does, or the pages it grows into are taken: vma_expandable) and may not move
   * it, or, moving, finds no free range; RLIMIT_AS or RLIMIT_DATA (may_expand_vm), the commit limit
   * (vrm_calc_charge) or the map count. An old range that is not mapped is EFAULT (vma_lookup),
   * never ENOMEM.
   */
  static final String MREMAP_ENOMEM =
      "no room: it could not grow the mapping in place (the pages after the range are taken, or"
          + " the range ends before its mapping does) and had no MREMAP_MAYMOVE to move it, or,"
          + " free to move, found no free range that large; or RLIMIT_AS or RLIMIT_DATA, the commit"
          + " limit (vm.overcommit_memory) or the map count (vm.max_map_count) would be exceeded"
          + " (an old range that is not mapped fails with EFAULT instead)";

  /**
   * For an mremap that grows a range in place without MREMAP_MAYMOVE: the first mapped address in
   * the pages it would grow into, as the model holds them (right at the range's end when the range
   * ends inside a larger area, which the kernel does not grow either), or -1 when none is mapped or
   * the call is not such a one.
   */
  private static long inTheWay(Ctx c) {
    if (!(c.call instanceof Mremap m) || m.flags().isEmpty() || m.mayMove() || m.fixed()) {
      return -1;
    }
    long old = Glibc.alignUp(c.length(), Glibc.PAGE);
    long grown = Glibc.alignUp(c.newLength(), Glibc.PAGE);
    AddressSpaceView v = c.ex.view(c.ev.pid());
    if (Long.compareUnsigned(grown, old) <= 0 || v == null) {
      return -1;
    }
    long end = c.addr() + old;
    Region r = v.regionAt(c.addr());
    if (r == null || Long.compareUnsigned(r.end(), end) < 0) {
      return -1; // not mapped all through: the kernel's EFAULT, the model wrong
    }
    if (v.regionAt(end) != null) {
      return end;
    }
    Region next = v.regionAbove(end);
    return next != null && Long.compareUnsigned(next.start(), c.addr() + grown) < 0
        ? next.start()
        : -1;
  }

  /** A failed mremap whose growth in place the model shows blocked, by what lies in the way. */
  private static Said blockedGrowth(Ctx c) {
    long at = inTheWay(c);
    TagMap.Span s = c.sp.tags.at(at);
    Region r = c.ex.view(c.ev.pid()).regionAt(at);
    String what = s != null ? MappingRules.within(s) : MappingRules.describe(r, c.sp.exe);
    return Said.of(
        "mremap failed with ENOMEM: it asked to grow the mapping at "
            + hex(c.addr())
            + " from "
            + c.length()
            + " to "
            + c.newLength()
            + " bytes where it is, without MREMAP_MAYMOVE, and the pages it would grow into are"
            + " taken: "
            + hex(at)
            + " is in "
            + what
            + ". mremap grows a mapping in place only into free pages (vma_expandable,"
            + " mm/mremap.c) and, without MREMAP_MAYMOVE, may not move it instead; the address"
            + " space is unchanged",
        Basis.ARITHMETIC,
        "returned -1 ENOMEM",
        "mremap flags " + c.text(3),
        "the model holds " + MappingRules.describe(r, c.sp.exe) + " at " + hex(at));
  }

  /** The shared kernel-object region an msync starts in (model's view), or null. */
  private static Region kernelMemoryAt(Ctx c) {
    Region r = MappingRules.modelRegion(c);
    return KernelBufferRules.sharedKernelMemory(r) ? r : null;
  }

  /** A madvise's advice as the int the kernel reads, or -1 when the trace does not show it. */
  private static long adviceValue(Ctx c) {
    return c.call instanceof Madvise m && m.advice().isPresent()
        ? m.advice().getAsLong() & 0xffffffffL
        : -1;
  }

  /**
   * EINVAL from the mlock family (mlock(2), mm/mlock.c): mlock, mlock2 and munlock round the range
   * to whole pages themselves, so alignment and a zero length are never the cause; only a range
   * that wraps past the top of the address space (apply_vma_lock_flags: end < start), mlock2 flags
   * other than MLOCK_ONFAULT, or mlockall flags that are 0, unknown, or MCL_ONFAULT alone.
   */
  private static Said lockEinval(Ctx c) {
    String name = c.name();
    String why;
    long known = LinuxFlags.MCL_CURRENT | LinuxFlags.MCL_FUTURE | LinuxFlags.MCL_ONFAULT;
    OptionalLong all = name.equals("mlockall") ? c.call.flags(0, LinuxFlags.MLOCKALL) : null;
    OptionalLong two = name.equals("mlock2") ? c.call.flags(2, LinuxFlags.MLOCK2) : null;
    if (all != null) {
      String flags = c.text(0);
      long f = all.orElse(-1);
      why =
          f == LinuxFlags.MCL_ONFAULT
              ? "MCL_ONFAULT alone, without MCL_CURRENT or MCL_FUTURE to say what to lock"
              : all.isPresent() && (f & ~known) != 0
                  ? "its flags " + flags + " hold bits mlockall does not know"
                  : f == 0
                      ? "no flag"
                      : "flags that are 0, hold unknown bits, or are MCL_ONFAULT alone";
    } else if (two != null
        && two.isPresent()
        && (two.getAsLong() & ~LinuxFlags.MLOCK_ONFAULT) != 0) {
      why =
          "its flags "
              + c.text(2)
              + " hold bits other than MLOCK_ONFAULT, which mlock2 rejects before it looks at the"
              + " range";
    } else {
      OptionalLong a = c.call instanceof Range r ? r.addr() : OptionalLong.empty();
      OptionalLong l = c.call instanceof Range r ? r.length() : OptionalLong.empty();
      boolean wraps = false;
      if (a.isPresent() && l.isPresent()) {
        long lo = LinuxFlags.pageDown(a.getAsLong());
        long len = Glibc.alignUp(l.getAsLong() + (a.getAsLong() - lo), Glibc.PAGE);
        wraps = Long.compareUnsigned(lo + len, lo) < 0;
      }
      why =
          wraps
              ? "the range, rounded to whole pages, wraps past the top of the address space"
                  + " (end < start)"
              : "the range wraps past the top of the address space"
                  + (name.equals("mlock2") ? ", or flags other than MLOCK_ONFAULT" : "")
                  + " (it rounds the range to whole pages itself, so neither alignment nor a"
                  + " zero length is refused)";
    }
    return Said.of(
        name + " failed with EINVAL: " + why + "; the address space is unchanged (" + name + "(2))",
        Basis.ARITHMETIC,
        "returned -1 EINVAL");
  }

  /**
   * EPERM, ENOMEM and EAGAIN from the mlock family, read from the call and the model (mlock(2),
   * mm/mlock.c): EPERM only from can_do_mlock (RLIMIT_MEMLOCK 0, no CAP_IPC_LOCK); mlockall's
   * ENOMEM only from MCL_CURRENT against RLIMIT_MEMLOCK (total_vm); mlock's ENOMEM from
   * RLIMIT_MEMLOCK, a hole in the range (apply_vma_lock_flags, which has locked the areas before
   * the hole by then) or, after the lock is set, pages __mm_populate cannot fault in (EFAULT,
   * returned as ENOMEM: PROT_NONE memory); its EAGAIN from __mm_populate running out of memory.
   * munlock checks no limit: its ENOMEM is a hole.
   */
  private static Said lockFailure(Ctx c) {
    String name = c.name();
    String e = c.ev.result().errno();
    String tail = "(" + name + "(2), mm/mlock.c)";
    if (e.equals("EPERM")) {
      return Said.of(
          name
              + " failed with EPERM: the process may not lock memory at all: its RLIMIT_MEMLOCK"
              + " is 0 and it lacks CAP_IPC_LOCK (can_do_mlock, checked before anything else);"
              + " the address space is unchanged "
              + tail,
          Basis.ARITHMETIC,
          "returned -1 EPERM");
    }
    if (name.equals("mlockall")) {
      return e.equals("ENOMEM")
          ? Said.of(
              "mlockall failed with ENOMEM: MCL_CURRENT would lock every mapping the process has,"
                  + " and their total size (total_vm, PROT_NONE reservations included) is more"
                  + " than RLIMIT_MEMLOCK allows a process without CAP_IPC_LOCK; nothing was"
                  + " locked, and an MCL_FUTURE in the same call did not take effect either "
                  + tail,
              Basis.ARITHMETIC,
              "returned -1 ENOMEM")
          : null;
    }
    if (e.equals("EAGAIN") && !name.equals("munlock")) {
      return Said.of(
          name
              + " failed with EAGAIN: the kernel marked the range locked, then ran out of memory"
              + " faulting its pages in (__mm_populate's ENOMEM, which "
              + name
              + " returns as EAGAIN): some pages may not be in memory, and the range stays"
              + " locked though the call failed "
              + tail,
          Basis.PATTERN,
          "returned -1 EAGAIN");
    }
    if (!e.equals("ENOMEM")) {
      return null;
    }
    boolean onFault =
        name.equals("mlock2")
            && (c.call.flags(2, LinuxFlags.MLOCK2).orElse(0) & LinuxFlags.MLOCK_ONFAULT) != 0;
    OptionalLong a = c.call instanceof Range r ? r.addr() : OptionalLong.empty();
    OptionalLong l = c.call instanceof Range r ? r.length() : OptionalLong.empty();
    AddressSpaceView v = c.ex.view(c.ev.pid());
    String rlimit =
        "locking it would take the process's locked memory past RLIMIT_MEMLOCK, and it lacks"
            + " CAP_IPC_LOCK, which lifts the limit";
    if (a.isEmpty() || l.isEmpty() || v == null) {
      return Said.of(
          name
              + " failed with ENOMEM: "
              + (name.equals("munlock")
                  ? "part of the range is not mapped"
                  : rlimit
                      + "; or part of the range is not mapped"
                      + (onFault
                          ? ""
                          : "; or it holds PROT_NONE pages mlock cannot fault in (then the range"
                              + " stays locked though the call failed)"))
              + "; which, the trace does not show "
              + tail,
          Basis.PATTERN,
          "returned -1 ENOMEM");
    }
    long lo = LinuxFlags.pageDown(a.getAsLong());
    long hi = lo + Glibc.alignUp(l.getAsLong() + (a.getAsLong() - lo), Glibc.PAGE);
    long hole = -1;
    List<Region> none = new ArrayList<>();
    boolean file = false;
    for (long at = lo; Long.compareUnsigned(at, hi) < 0; ) {
      Region r = v.regionAt(at);
      if (r == null) {
        hole = at;
        break;
      }
      if (r.perms() != null && r.perms().startsWith("---")) {
        none.add(r);
      }
      file |= !r.isAnonymous();
      at = r.end();
    }
    String range = hex(lo) + "-" + hex(hi);
    if (hole >= 0) {
      boolean sure = !c.sp.midway;
      String before =
          hole == lo
              ? "; nothing was " + (name.equals("munlock") ? "unlocked" : "locked")
              : "; it goes area by area, so "
                  + hex(lo)
                  + "-"
                  + hex(hole)
                  + ", before the hole, was "
                  + (name.equals("munlock")
                      ? "unlocked all the same"
                      : "locked all the same (not faulted in), unless RLIMIT_MEMLOCK had refused"
                          + " the call first");
      return Said.of(
          name
              + " failed with ENOMEM: "
              + (sure ? "" : "it fits this: ")
              + "the range "
              + range
              + " is not all mapped: nothing "
              + (sure ? "is" : "that the trace shows is")
              + " mapped at "
              + hex(hole)
              + ", and apply_vma_lock_flags refuses a range with a hole with ENOMEM"
              + before
              + " "
              + tail,
          sure ? Basis.ARITHMETIC : Basis.PATTERN,
          "nothing mapped at " + hex(hole) + " in the model");
    }
    if (name.equals("munlock")) {
      return null;
    }
    if (!none.isEmpty() && !onFault) {
      Region n = none.get(0);
      return Said.of(
          name
              + " failed with ENOMEM: either "
              + rlimit
              + " (then nothing changed), or the limit allowed it and the kernel marked the range"
              + " locked, then could not fault in its PROT_NONE pages ("
              + hex(Math.max(n.start(), lo))
              + "-"
              + hex(Math.min(n.end(), hi))
              + ": populate_vma_page_range cannot touch memory no access is allowed to, and the"
              + " EFAULT comes back as ENOMEM): then the range stays locked though the call"
              + " failed; the trace does not tell which "
              + tail,
          Basis.PATTERN,
          "returned -1 ENOMEM",
          "PROT_NONE memory at " + hex(Math.max(n.start(), lo)));
    }
    return Said.of(
        name
            + " failed with ENOMEM: the range "
            + range
            + " is mapped"
            + (onFault ? "" : " and accessible")
            + ", so most likely "
            + rlimit
            + " (do_mlock); nothing is locked"
            + (file && !onFault
                ? " (else a file page past the end of its file, which cannot be faulted in)"
                : "")
            + " "
            + tail,
        Basis.PATTERN,
        "returned -1 ENOMEM",
        "the model maps all of " + range);
  }

  /**
   * An mmap's EAGAIN where the new mapping would be locked (mmap(2)): MAP_LOCKED, an
   * mlockall(MCL_FUTURE) in force (mm->def_flags) or a memfd_secret file (secretmem_mmap), and
   * mlock_future_ok finding that the locked memory would pass RLIMIT_MEMLOCK without CAP_IPC_LOCK,
   * the only EAGAIN do_mmap has; null where none of the three holds.
   */
  private static Said lockedMmap(Ctx c) {
    String why;
    String evidence;
    if (c.mapFlags().contains("MAP_LOCKED")) {
      why = "MAP_LOCKED asks";
      evidence = "flags hold MAP_LOCKED";
    } else if (FileRules.secretmem(c.filePath())) {
      why = "memfd_secret memory always is (secretmem_mmap)";
      evidence = "the fd is memfd_secret's";
    } else if (c.sp.lockFutureLine > 0) {
      why =
          "every new mapping is while the mlockall(MCL_FUTURE) of line "
              + c.sp.lockFutureLine
              + " is in force (mm->def_flags holds VM_LOCKED)";
      evidence = "mlockall(MCL_FUTURE) at line " + c.sp.lockFutureLine;
    } else {
      return null;
    }
    return Said.of(
        c.name()
            + " failed with EAGAIN: the mapping would be locked, as "
            + why
            + ", and its "
            + c.length()
            + " bytes would take the process's locked memory past RLIMIT_MEMLOCK, which only"
            + " CAP_IPC_LOCK lifts (mlock_future_ok); the address space is unchanged",
        Basis.ARITHMETIC,
        "returned -1 EAGAIN",
        evidence);
  }

  /**
   * pkey_alloc's failure (pkey_alloc(2), sys_pkey_alloc in mm/mprotect.c): EINVAL for flags other
   * than 0 or access rights beyond PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE, else from
   * arch_set_user_pkey_access, which on x86 refuses when the CPU has no protection keys enabled
   * (OSPKE); ENOSPC when mm_pkey_alloc finds no free key, which is also what a kernel without
   * protection keys answers. pkey_alloc is not in strace's %memory class, so no rule row reads it:
   * {@code Specials} says this where the call fails.
   */
  static Said pkeyAlloc(Ctx c) {
    String e = c.ev.result().errno();
    OptionalLong flags = c.call.num(0);
    OptionalLong rights = pkeyRights(c.call.text(1));
    String why;
    Basis basis = Basis.ARITHMETIC;
    if (e.equals("EINVAL")) {
      if (flags.isPresent() && flags.getAsLong() != 0) {
        why = "its flags are not 0, and no flag is defined";
      } else if (rights.isPresent() && (rights.getAsLong() & ~3L) != 0) {
        why =
            "its access rights hold bits other than PKEY_DISABLE_ACCESS and"
                + " PKEY_DISABLE_WRITE";
      } else if (flags.isPresent() && rights.isPresent()) {
        why =
            "its arguments are valid, so the refusal is the architecture's"
                + " (arch_set_user_pkey_access): this CPU, or the kernel, gives processes no memory"
                + " protection keys (on x86 the CPU lacks PKU or the kernel has not enabled it: no"
                + " 'pku' flag in /proc/cpuinfo)";
      } else {
        why =
            "likely a CPU without memory protection keys, unless the flags or access rights"
                + " strace printed are ones the kernel does not know";
        basis = Basis.PATTERN;
      }
    } else if (e.equals("ENOSPC")) {
      why =
          "no protection key is free: the process holds all there are (15 for user programs on"
              + " x86), or the CPU or kernel has none to give";
      basis = Basis.PATTERN;
    } else {
      return null;
    }
    return Said.of(
        "pkey_alloc failed with " + e + ": " + why + "; no key was allocated (pkey_alloc(2))",
        basis,
        "returned -1 " + e);
  }

  /**
   * pkey_alloc's access rights as strace prints them, a number or PKEY_DISABLE_ACCESS (1) and
   * PKEY_DISABLE_WRITE (2) joined with '|'; a name it does not know counts as a bit beyond them.
   */
  private static OptionalLong pkeyRights(String text) {
    if (text == null || text.isBlank()) {
      return OptionalLong.empty();
    }
    long v = 0;
    for (String part : text.trim().split("\\|")) {
      String t = part.trim();
      if (t.equals("PKEY_DISABLE_ACCESS")) {
        v |= 1;
      } else if (t.equals("PKEY_DISABLE_WRITE")) {
        v |= 2;
      } else if (t.matches("0x[0-9a-fA-F]+")) {
        v |= Long.parseUnsignedLong(t.substring(2), 16);
      } else if (t.matches("[0-9]+")) {
        v |= Long.parseUnsignedLong(t);
      } else {
        v |= 1L << 32;
      }
    }
    return OptionalLong.of(v);
  }

  /**
   * mprotect's and pkey_mprotect's EINVAL (mprotect(2), do_mprotect_pkey in mm/mprotect.c): an
   * address off a page boundary; for pkey_mprotect a key the process was not given
   * (mm_pkey_is_allocated); else protection bits it does not know, PROT_GROWSDOWN with
   * PROT_GROWSUP, or PROT_GROWSDOWN on a mapping that does not grow down. Never the length, which
   * the kernel rounds up, nor a length of 0, which returns 0.
   */
  private static Said mprotectEinval(Ctx c) {
    String name = c.name();
    OptionalLong a = c.call instanceof Range r ? r.addr() : OptionalLong.empty();
    String tail = "; the address space is unchanged (" + name + "(2))";
    if (a.isPresent() && a.getAsLong() % Glibc.PAGE != 0) {
      return Said.of(
          name
              + " failed with EINVAL: the address "
              + hex(a.getAsLong())
              + " is not page-aligned, which do_mprotect_pkey refuses first"
              + tail,
          Basis.ARITHMETIC,
          "address " + hex(a.getAsLong()));
    }
    OptionalLong key = name.equals("pkey_mprotect") ? c.call.num(3) : OptionalLong.empty();
    if (key.isPresent() && key.getAsLong() != -1 && !c.sp.pkeys.contains(key.getAsLong())) {
      boolean sure = !c.sp.midway && key.getAsLong() != 0;
      return Said.of(
          "pkey_mprotect failed with EINVAL: protection key "
              + key.getAsLong()
              + " is not one "
              + (sure
                  ? "this process was given: the trace shows no pkey_alloc that returned it"
                  : "the trace shows this process given")
              + ", and do_mprotect_pkey allows only a key pkey_alloc allocated"
              + " (mm_pkey_is_allocated)"
              + (c.sp.pkeyRefusedLine > 0
                  ? "; the pkey_alloc at line " + c.sp.pkeyRefusedLine + " failed"
                  : "")
              + tail,
          sure ? Basis.ARITHMETIC : Basis.PATTERN,
          "pkey " + key.getAsLong(),
          "no pkey_alloc in the trace returned " + key.getAsLong());
    }
    return Said.of(
        name
            + " failed with EINVAL: the address is page-aligned, so the protection is what the"
            + " kernel refused: "
            + c.text(2)
            + " holds bits it does not know, or PROT_GROWSDOWN with PROT_GROWSUP, or"
            + " PROT_GROWSDOWN on a mapping that does not grow down (the length is never the"
            + " cause: the kernel rounds it up)"
            + tail,
        Basis.PATTERN,
        "returned -1 EINVAL");
  }

  /**
   * munmap's EINVAL read from its arguments and the model (munmap(2), do_vmi_munmap in mm/mmap.c):
   * an address off a page boundary, a length of 0, or a range that would split hugetlb memory off a
   * huge page boundary, which hugetlb_vm_op_split refuses; else the generic reading.
   */
  private static Said munmapEinval(Ctx c) {
    String tail = "; the address space is unchanged (munmap(2))";
    OptionalLong a = c.call instanceof Range r ? r.addr() : OptionalLong.empty();
    OptionalLong len = c.call instanceof Range r ? r.length() : OptionalLong.empty();
    if (a.isPresent() && a.getAsLong() % Glibc.PAGE != 0) {
      return Said.of(
          "munmap failed with EINVAL: the address "
              + hex(a.getAsLong())
              + " is not page-aligned, which do_vmi_munmap refuses"
              + tail,
          Basis.ARITHMETIC,
          "address " + hex(a.getAsLong()));
    }
    if (len.isPresent() && len.getAsLong() == 0) {
      return Said.of(
          "munmap failed with EINVAL: a length of 0, which do_vmi_munmap refuses" + tail,
          Basis.ARITHMETIC,
          "length 0");
    }
    var v = a.isPresent() && len.isPresent() ? c.ex.view(c.ev.pid()) : null;
    if (v != null) {
      long from = a.getAsLong();
      long to = from + Glibc.alignUp(len.getAsLong(), Glibc.PAGE);
      for (long cut : new long[] {from, to}) {
        Region r = v.regionAt(cut);
        if (r != null
            && r.start() != cut
            && r.path().equals(MapsFormat.ANON_HUGEPAGE)
            && cut % MemoryOps.DEFAULT_HUGE_PAGE != 0) {
          return Said.of(
              "munmap failed with EINVAL: it would split the hugetlb mapping "
                  + hex(r.start())
                  + "-"
                  + hex(r.end())
                  + " at "
                  + hex(cut)
                  + ", which is not on a huge page boundary (2 MiB, or the larger page it was"
                  + " made of), and the kernel splits hugetlb memory only on one"
                  + " (hugetlb_vm_op_split): munmap of hugetlb memory takes whole huge pages"
                  + tail,
              Basis.ARITHMETIC,
              hex(cut) + " % 2 MiB = " + hex(cut % MemoryOps.DEFAULT_HUGE_PAGE),
              "the range holds " + r.perms() + " " + r.path());
        }
      }
    }
    return null;
  }

  /** The advice that refuse locked, VM_PFNMAP and (but MADV_DONTNEED) hugetlb memory. */
  private static final java.util.Set<String> DROPPING =
      java.util.Set.of("MADV_DONTNEED", "MADV_FREE", "MADV_COLD", "MADV_PAGEOUT");

  /**
   * A madvise's EINVAL read from its arguments and the range (madvise(2), mm/madvise.c): an address
   * off a page boundary is the cause whatever the advice; a zero length never is (do_madvise
   * returns 0); else the advice did not apply to the range: MADV_REMOVE on memory with no file
   * (madvise_remove), the dropping advice on locked or VM_PFNMAP memory and MADV_FREE on a file
   * (madvise_dontneed_free_valid_vma, can_madv_lru_vma), MADV_POPULATE_* where the protection
   * forbids the access, or advice the kernel was built without.
   */
  /**
   * The first area the model holds locked (VM_LOCKED) in a madvise's range, or null: the dropping
   * advice is refused for the whole call when any area of the range is locked.
   */
  private static Region lockedIn(Ctx c, long addr) {
    AddressSpaceView v = c.ex.view(c.ev.pid());
    if (v == null || c.call instanceof Range r && r.length().isEmpty()) {
      return null;
    }
    long end = addr + Glibc.alignUp(c.length(), Glibc.PAGE);
    for (Region l : v.locked()) {
      if (l.start() < end && addr < l.end()) {
        return l;
      }
    }
    return null;
  }

  private static Said madviseEinval(Ctx c) {
    OptionalLong a = c.call instanceof Range r ? r.addr() : OptionalLong.empty();
    String advice = c.advice().stream().findFirst().orElse(c.text(2));
    if (a.isPresent() && a.getAsLong() % Glibc.PAGE != 0) {
      return Said.of(
          "madvise failed with EINVAL: the address "
              + hex(a.getAsLong())
              + " is not page-aligned, which do_madvise refuses whatever the advice; the"
              + " address space is unchanged",
          Basis.ARITHMETIC,
          "address " + hex(a.getAsLong()));
    }
    Region r = a.isPresent() ? MappingRules.modelRegion(c) : null;
    String why;
    Basis basis = Basis.PATTERN;
    if (advice.equals("MADV_REMOVE")) {
      if (r != null && r.isAnonymous() && r.perms() != null && r.perms().endsWith("p")) {
        why =
            "MADV_REMOVE punches a hole in the file behind a shared mapping (madvise_remove), and"
                + " the range is private anonymous memory, with no file behind it, which"
                + " madvise_remove refuses with EINVAL";
        basis = Basis.ARITHMETIC;
      } else {
        why =
            "MADV_REMOVE punches a hole in the file behind a shared mapping (madvise_remove): a"
                + " range with no file or a locked range is EINVAL (a private file mapping is"
                + " EACCES)";
      }
    } else if (advice.equals("MADV_WIPEONFORK")
        && r != null
        && r.perms() != null
        && (r.perms().endsWith("s") || !r.isAnonymous())) {
      why =
          "MADV_WIPEONFORK applies only to private anonymous memory, and the range is "
              + (r.perms().endsWith("s") ? "shared (VM_SHARED)" : "a file mapping")
              + ", which madvise_vma_behavior refuses with EINVAL";
      basis = Basis.ARITHMETIC;
    } else if (DROPPING.contains(advice) && a.isPresent() && lockedIn(c, a.getAsLong()) != null) {
      Region l = lockedIn(c, a.getAsLong());
      TagMap.Span s = c.sp.tags.at(l.start());
      why =
          "the range holds locked memory ("
              + (s == null
                  ? hex(l.start()) + "-" + hex(l.end())
                  : MallocRules.the(s.tag().what()) + " made at line " + s.tag().line())
              + " is VM_LOCKED"
              + (c.sp.lockFutureLine > 0 && s != null && s.tag().line() > c.sp.lockFutureLine
                  ? ": it was made while the mlockall(MCL_FUTURE) of line "
                      + c.sp.lockFutureLine
                      + " was in force"
                  : "")
              + "), and the kernel refuses "
              + advice
              + " on locked memory ("
              + (advice.equals("MADV_DONTNEED") || advice.equals("MADV_FREE")
                  ? "madvise_dontneed_free_valid_vma"
                  : "can_madv_lru_vma")
              + "; madvise(2)): the pages stay";
      basis = Basis.ARITHMETIC;
    } else if (DROPPING.contains(advice)) {
      why =
          "the address is at a page boundary, so the kernel refused "
              + advice
              + " for the memory there: it refuses locked memory (mlock, mlockall)"
              + (advice.equals("MADV_DONTNEED") ? " and" : ",")
              + " VM_PFNMAP mappings"
              + (advice.equals("MADV_DONTNEED")
                  ? ""
                  : (advice.equals("MADV_FREE") ? "," : " and") + " hugetlb mappings")
              + (advice.equals("MADV_FREE") ? " and any range that is not anonymous memory" : "")
              + " (madvise(2))";
    } else if (advice.startsWith("MADV_POPULATE")) {
      why =
          "the range holds memory "
              + advice
              + " cannot fault in: a protection that forbids the access (PROT_NONE, "
              + (advice.endsWith("WRITE") ? "a read-only range" : "a range without PROT_READ")
              + ") or a VM_PFNMAP or VM_IO mapping (madvise(2))";
    } else {
      why =
          "the address is at a page boundary, so the kernel refused "
              + advice
              + " itself: advice this kernel was built without (MADV_HUGEPAGE without"
              + " transparent huge pages, MADV_MERGEABLE without KSM, MADV_HWPOISON without"
              + " memory-failure handling), advice that does not apply to this kind of mapping,"
              + " or a length that wraps past the top of the address space (madvise(2))";
    }
    return Said.of(
        "madvise failed with EINVAL: " + why + "; the address space is unchanged",
        basis,
        "returned -1 EINVAL" + (r == null ? "" : ", the range holds " + r.perms()));
  }

  static List<Rule> rules() {
    return List.of(
        Rule.on("injected", withBrk())
            .when(c -> c.ev.result() != null && c.ev.result().injected())
            .says(FailureRules::injected),
        // do_madvise (mm/madvise.c) checks the advice before the range (madvise_behavior_valid):
        // a value no kernel defines (they are all below 0x10000) is the EINVAL, whatever the range
        Rule.on("failed", "madvise")
            .when(
                c ->
                    c.ev.result() != null
                        && "EINVAL".equals(c.ev.result().errno())
                        && adviceValue(c) >= 0x10000)
            .says(
                c ->
                    Said.of(
                        "madvise failed with EINVAL: the advice "
                            + hex(adviceValue(c))
                            + " is no MADV_* value the kernel defines, and do_madvise "
                            + "(mm/madvise.c) rejects an advice it does not know "
                            + "(madvise_behavior_valid) before it looks at the range; the address "
                            + "space is unchanged",
                        Basis.ARITHMETIC,
                        "advice " + c.call.text(2) + ", returned -1 EINVAL")),
        Rule.on("failed", "madvise")
            .when(c -> c.ev.result() != null && "EINVAL".equals(c.ev.result().errno()))
            .says(FailureRules::madviseEinval),
        // msync's MS_SYNC on a shared mapping calls the file's fsync (vfs_fsync_range, mm/msync.c):
        // a kernel object's memory has none, and that is the EINVAL, not the arguments
        Rule.on("failed", "msync")
            .when(
                c ->
                    c.ev.result() != null
                        && "EINVAL".equals(c.ev.result().errno())
                        && (((Msync) c.call).flags().orElse(0) & LinuxFlags.MS_SYNC) != 0
                        && kernelMemoryAt(c) != null)
            .says(
                c -> {
                  Region r = kernelMemoryAt(c);
                  return Said.of(
                      "msync failed with EINVAL: MS_SYNC on a shared mapping calls its file's"
                          + " fsync (vfs_fsync_range, mm/msync.c), and "
                          + RawText.name(r.path())
                          + " has none: it holds the kernel's own pages, not a file's, so there"
                          + " is nothing to write back; the address space is unchanged",
                      Basis.ARITHMETIC,
                      "the range holds " + r.perms() + " " + RawText.name(r.path()));
                }),
        Rule.on("failed", "mlock", "mlock2", "munlock", "mlockall")
            .when(c -> c.ev.result() != null && "EINVAL".equals(c.ev.result().errno()))
            .says(FailureRules::lockEinval),
        Rule.on("failed", "mlock", "mlock2", "munlock", "mlockall")
            .when(c -> c.ev.result() != null && c.ev.result().errno() != null)
            .says(FailureRules::lockFailure),
        Rule.on("failed", "mprotect", "pkey_mprotect")
            .when(c -> c.ev.result() != null && "EINVAL".equals(c.ev.result().errno()))
            .says(FailureRules::mprotectEinval),
        Rule.on("failed", "munmap")
            .when(c -> c.ev.result() != null && "EINVAL".equals(c.ev.result().errno()))
            .says(FailureRules::munmapEinval),
        // secretmem_mmap (mm/secretmem.c) refuses a mapping that is not shared
        Rule.on("failed", "mmap", "mmap2")
            .when(
                c ->
                    c.ev.result() != null
                        && "EINVAL".equals(c.ev.result().errno())
                        && !c.mapFlags().contains("MAP_SHARED")
                        && !c.mapFlags().contains("MAP_SHARED_VALIDATE")
                        && FileRules.secretmem(c.filePath()))
            .says(
                c ->
                    Said.of(
                        c.name()
                            + " failed with EINVAL: the fd is memfd_secret's, whose memory can only"
                            + " be mapped MAP_SHARED (secretmem_mmap refuses any other mapping);"
                            + " the address space is unchanged",
                        Basis.ARITHMETIC,
                        "returned -1 EINVAL",
                        "a MAP_PRIVATE mapping of " + c.filePath())),
        Rule.on("failed", "mmap", "mmap2")
            .when(c -> c.ev.result() != null && "EAGAIN".equals(c.ev.result().errno()))
            .says(FailureRules::lockedMmap),
        // PHP's zend_mm_chunk_extend grows a huge block with mremap(addr, old, new, 0) so that it
        // keeps its 2 MiB alignment, and maps a new block when the pages after it are taken
        Rule.on("failed", "mremap")
            .when(
                c ->
                    c.ev.result() != null
                        && "ENOMEM".equals(c.ev.result().errno())
                        && inTheWay(c) != -1)
            .says(FailureRules::blockedGrowth),
        Rule.on("failed", CALLS)
            .when(c -> c.ev.result() != null && c.ev.result().errno() != null)
            .says(
                c -> {
                  String e = c.ev.result().errno();
                  String meaning = ERRNO.get(e);
                  if (e.equals("ENOMEM") && c.name().startsWith("mmap")) {
                    meaning = c.mapFlags().contains("MAP_HUGETLB") ? HUGETLB_ENOMEM : MMAP_ENOMEM;
                  } else if (e.equals("ENOMEM") && c.name().equals("mremap")) {
                    meaning = MREMAP_ENOMEM;
                  } else if (e.equals("ENOMEM") && c.name().equals("munmap")) {
                    meaning = MUNMAP_ENOMEM;
                  }
                  return meaning == null
                      ? null
                      : Said.of(
                          c.name()
                              + " failed with "
                              + e
                              + ": "
                              + meaning
                              + "; the address space is "
                              + "unchanged",
                          Basis.PATTERN,
                          "returned -1 " + e);
                }),
        Rule.on("brk-refused", "brk")
            .when(c -> c.addr() > 0 && c.call.ret().isPresent() && c.result() != c.addr())
            .says(
                c ->
                    Said.of(
                        "the kernel refused to move the break to "
                            + hex(c.addr())
                            + " and returned the "
                            + "old one ("
                            + hex(c.result())
                            + "): "
                            + (c.sp.startBrk >= 0 && c.addr() < c.sp.startBrk
                                ? "that is below the start of the heap ("
                                    + hex(c.sp.startBrk)
                                    + "), which the break can never go under"
                                : "something is mapped there, or RLIMIT_DATA would be exceeded; when "
                                    + "malloc is refused it falls back to mmap of at least 1 MiB"),
                        Basis.PATTERN,
                        "brk returned " + hex(c.result()))));
  }
}
