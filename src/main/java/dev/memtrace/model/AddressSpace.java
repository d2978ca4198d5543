package dev.memtrace.model;

import dev.memtrace.decode.LinuxFlags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mm: its areas sorted by start address (so every lookup by address is logarithmic), the
 * program break, and the primitives the kernel builds its memory calls from: split an area at an
 * address, cut a range out, insert an area and merge it with its neighbours, merge whatever became
 * mergeable inside a range. {@link MemoryOps} composes them into mmap, munmap, mprotect and the
 * rest; this class only keeps the areas consistent.
 *
 * <p>The {@code [heap]} name is not stored: like the kernel (fs/proc/task_mmu.c,
 * vma_is_initial_heap) the view names an area without a file {@code [heap]} when it overlaps
 * [start_brk, brk].
 */
public final class AddressSpace implements AddressSpaceView {

  /** A break the model has not seen yet. */
  public static final long UNKNOWN = -1;

  /**
   * The top of user space on x86-64 with 4-level paging: TASK_SIZE_MAX, 2^47 less one page
   * (arch/x86/include/asm/page_64_types.h). No mapping of a process ends above it.
   */
  public static final long TOP_47 = (1L << 47) - LinuxFlags.PAGE;

  /**
   * The top with 5-level paging (2^56 less one page), where the kernel maps above 2^47 only when a
   * call asks for such an address; also above the 48- and 52-bit user spaces of arm64.
   */
  public static final long TOP_56 = (1L << 56) - LinuxFlags.PAGE;

  private final Areas areas;
  private long startBrk = UNKNOWN;
  private long brk = UNKNOWN;
  private long anonIds;

  /** Ranges reused before the munmap that freed them shows in the log. */
  final ReusedRanges reused = new ReusedRanges();

  /**
   * Ranges the model held that a maps snapshot did not show (the latest few): a munmap whose line
   * comes after that snapshot finds nothing there, and says why instead of guessing.
   */
  final List<long[]> droppedBySnapshot = new ArrayList<>();

  private static final int DROPPED_KEPT = 64;

  /** True from execve until the first brk: that brk's answer is start_brk. */
  boolean freshExec;

  /**
   * mlockall(MCL_FUTURE) is in force: mm->def_flags holds VM_LOCKED, so each new mapping is made
   * locked. A fork's child starts without it (mm_init keeps only VM_INIT_DEF_MASK).
   */
  boolean lockFuture;

  /** This space's identity in the events ({@link Who}), given when first asked for. */
  Handle handle;

  /** The top of user space: 47 bits until the trace shows an address above it. */
  private long top = TOP_47;

  /** Images the kernel mapped at execve whose base the trace has not shown yet. */
  final List<ExecImages.Image> unplaced = new ArrayList<>(2);

  /** Images laid out from their ELF headers. */
  final List<ExecImages.Placed> placed = new ArrayList<>(2);

  /** What execve mapped whose ELF headers could not be read, each with why. */
  final List<String> unread = new ArrayList<>(1);

  /**
   * The path of the program the execve that made this space ran, with {@code /proc/self/exe}
   * resolved to the exec'ing process's own program when the trace showed it, as the call names it
   * (execveat's may be relative to a directory fd the call does not show); else what /proc/PID/exe
   * linked to when run -p attached; null when neither shows it (an execve the trace does not show,
   * fexecve's empty path).
   */
  String exe;

  /**
   * The interpreter execve mapped in place of {@link #exe} when that is a {@code #!} script
   * (fs/binfmt_script.c): the path the script's first line names, as the kernel shows it; null for
   * a program that is itself an ELF file, or when the script was not read.
   */
  String interpreter;

  /**
   * The fork that made this space: the line of the clone (without CLONE_VM) that copied its
   * parent's space into it (dup_mmap), 0 for a space an execve or the start of the trace made; the
   * parent's and the child's pids.
   */
  private int forkLine;

  private int forkParent;
  private int forkChild;

  /**
   * Made for a task met midway (its first line in the log is neither its clone nor an execve:
   * strace -p, one file of a -ff set read alone, a -e trace= set without them), or copied from such
   * a space: it holds only what the log's calls made, not what was mapped before.
   */
  boolean midway;

  /** Whether this space holds only what the log showed of a task met midway ({@link #midway}). */
  public boolean midway() {
    return midway;
  }

  /** The lines that made the areas the fork copied: a region made at one of them is inherited. */
  private Set<Integer> inheritedLines = Set.of();

  /** Marks this space as the copy the clone at {@code line} made of {@code parent}'s for child. */
  void copiedAt(int line, int parent, int child) {
    if (line <= 0) {
      return;
    }
    forkLine = line;
    forkParent = parent;
    forkChild = child;
    Set<Integer> lines = new HashSet<>();
    for (int i = 0; i < areas.size(); i++) {
      if (areas.get(i).originLine() != 0) {
        lines.add(areas.get(i).originLine());
      }
    }
    inheritedLines = lines;
  }

  /**
   * The line of the first clone that made a thread in this space while the log had shown no pid, 0
   * when none did or once a pid showed that strace followed the threads ({@link
   * MemoryModel#apply}).
   */
  int untracedClone;

  @Override
  public int untracedClone() {
    return untracedClone;
  }

  @Override
  public int forkLine() {
    return forkLine;
  }

  @Override
  public int forkParent() {
    return forkParent;
  }

  @Override
  public String forkCopied(Region r) {
    return inherited(r) ? byFork(r, null) : null;
  }

  /** Whether the region is one this space got from its parent at the fork that made it. */
  private boolean inherited(Region r) {
    return forkLine != 0 && r.originLine() != 0 && inheritedLines.contains(r.originLine());
  }

  /**
   * What the fork did with the region, for a child named {@code into} (null: this process, as a
   * sentence about it says). A shared mapping: dup_mmap gives the child the same pages (the vma's
   * file or shmem object), and copy-on-write applies only to private ones (is_cow_mapping), so a
   * fork copies no data of it.
   */
  private String byFork(Region r, String into) {
    boolean shared = r.perms() != null && r.perms().endsWith("s");
    return shared
        ? "the fork at line "
            + forkLine
            + " gave it to "
            + (into == null ? "this process" : into)
            + " from process "
            + forkParent
            + ", shared: both map the same pages, nothing is copied"
        : "the fork at line "
            + forkLine
            + " copied it from process "
            + forkParent
            + (into == null ? "" : " into " + into);
  }

  /**
   * For a region this space got from its parent at a fork, what the fork did, as a sentence; null
   * for one made since, or in a space no fork the trace shows made.
   */
  public String inheritedBy(Region r) {
    return inherited(r)
        ? "inherited: "
            + byFork(r, String.valueOf(forkChild))
            + "; the line above ran in "
            + forkParent
            + " or an ancestor, before that fork"
        : null;
  }

  @Override
  public String exe() {
    return exe;
  }

  @Override
  public String interpreter() {
    return interpreter;
  }

  public AddressSpace() {
    areas = new Areas();
  }

  private AddressSpace(Areas areas) {
    this.areas = areas;
  }

  /** A deep copy, as fork makes it: each area gets its own anon_vma in the child. */
  public AddressSpace copy() {
    AddressSpace c = new AddressSpace(new Areas(areas));
    c.startBrk = startBrk;
    c.brk = brk;
    c.anonIds = anonIds;
    c.top = top;
    c.unplaced.addAll(unplaced);
    c.placed.addAll(placed);
    c.unread.addAll(unread);
    c.exe = exe;
    c.interpreter = interpreter;
    c.midway = midway;
    for (int i = c.areas.size() - 1; i >= 0; i--) {
      if ((c.areas.get(i).flags() & Vma.DONTCOPY) != 0) {
        c.areas.remove(i, i + 1);
      }
    }
    for (int i = 0; i < c.areas.size(); i++) {
      Vma v = c.areas.get(i);
      // dup_mmap clears VM_LOCKED and VM_LOCKONFAULT in the child's copy (vm_flags_clear(tmp,
      // VM_LOCKED_MASK)): memory locks are not inherited, and a locked area's copy merges as an
      // unlocked one
      if ((v.flags() & Vma.LOCKED) != 0) {
        v = v.withFlags(v.flags() & ~Vma.LOCKED);
        c.areas.set(i, v);
      }
      if (v.anonId() != 0) {
        c.areas.set(i, v.withAnonId(c.newAnonId()).withFlags(v.flags() | Vma.FORKED));
      }
    }
    return c;
  }

  long newAnonId() {
    return ++anonIds;
  }

  public long startBrk() {
    return startBrk;
  }

  public long brk() {
    return brk;
  }

  void setBrk(long startBrk, long brk) {
    this.startBrk = startBrk;
    this.brk = brk;
  }

  /** The top of user space as far as the trace has shown it: {@link #TOP_47} or {@link #TOP_56}. */
  public long top() {
    return top;
  }

  /**
   * Whether [lo, hi) lies in user space, as the kernel checks a range against TASK_SIZE (the range
   * is given with hi already rounded to a page; hi below lo means it wrapped past 2^64). A range
   * that starts above 2^47 but below 2^56 shows 5-level paging: the top rises to 2^56 for this and
   * every later call, as it is on that machine.
   */
  boolean inUserSpace(long lo, long hi) {
    if (below(hi, lo)) {
      return false;
    }
    if (!below(lo, top) && below(lo, TOP_56) && !below(TOP_56, hi)) {
      top = TOP_56;
    }
    return !below(top, hi);
  }

  /**
   * What the kernel mapped at execve that the model could lay out from ELF headers: role ("program"
   * or "loader"), file, load bias and the line that told the bias (the execve for a program at its
   * link address).
   */
  public List<String> placedImages() {
    List<String> out = new ArrayList<>();
    for (ExecImages.Placed p : placed) {
      out.add(
          p.role()
              + " "
              + p.kernelPath()
              + " bias 0x"
              + Long.toHexString(p.bias())
              + " from line "
              + p.learntAt());
    }
    return out;
  }

  /** The path of the program execve mapped, as the kernel shows it, when its headers were read. */
  public String program() {
    for (ExecImages.Placed p : placed) {
      if (p.role().equals(ExecImages.PROGRAM)) {
        return p.kernelPath();
      }
    }
    for (ExecImages.Image im : unplaced) {
      if (im.role().equals(ExecImages.PROGRAM)) {
        return im.kernelPath();
      }
    }
    return null;
  }

  @Override
  public Boolean programInterp() {
    for (ExecImages.Placed p : placed) {
      if (p.role().equals(ExecImages.PROGRAM)) {
        return p.elf().interp() != null;
      }
    }
    for (ExecImages.Image im : unplaced) {
      if (im.role().equals(ExecImages.PROGRAM)) {
        return im.elf().interp() != null;
      }
    }
    return null;
  }

  /**
   * The loader the program's ELF headers name (PT_INTERP), when they were read and name one; else
   * null.
   */
  public String programInterpPath() {
    for (ExecImages.Placed p : placed) {
      if (p.role().equals(ExecImages.PROGRAM)) {
        return p.elf().interp();
      }
    }
    for (ExecImages.Image im : unplaced) {
      if (im.role().equals(ExecImages.PROGRAM)) {
        return im.elf().interp();
      }
    }
    return null;
  }

  /** Programs and loaders the execve mapped whose ELF headers could not be read, with why. */
  public List<String> unreadImages() {
    return List.copyOf(unread);
  }

  /** Programs and loaders the execve mapped whose base the trace has not shown (yet). */
  public List<String> unplacedImages() {
    List<String> out = new ArrayList<>();
    for (ExecImages.Image im : unplaced) {
      out.add(im.role() + " " + im.kernelPath());
    }
    return out;
  }

  public boolean isEmpty() {
    return areas.size() == 0;
  }

  public int size() {
    return areas.size();
  }

  // ---- the view ------------------------------------------------------------------------------

  @Override
  public Region regionAt(long address) {
    Vma v = areaAt(address);
    return v == null ? null : view(v);
  }

  /**
   * The line of the call that made the memory at {@code address}: in an area the kernel merged from
   * several calls' memory, the call whose part holds it ({@link MadeBy}); 0 when none does.
   */
  public int madeAt(long address) {
    Vma v = areaAt(address);
    return v == null ? 0 : v.made().lineAt(address);
  }

  /**
   * The line of the mremap that last moved the memory at {@code address} to where it is (the call
   * that made it made it elsewhere), 0 when none did or no area holds it.
   */
  public int movedAt(long address) {
    Vma v = areaAt(address);
    return v == null ? 0 : v.made().movedAt(address);
  }

  /** The lines of the calls whose memory is in the area at {@code address}, in address order. */
  public List<Integer> madeLines(long address) {
    Vma v = areaAt(address);
    return v == null ? List.of() : v.made().lines();
  }

  @Override
  public List<Region> notCopiedOnFork() {
    return withFlag(Vma.DONTCOPY);
  }

  @Override
  public List<Region> locked() {
    return withFlag(Vma.LOCKED);
  }

  /** The regions whose areas carry a {@link Vma} flag, in address order. */
  private List<Region> withFlag(int flag) {
    List<Region> out = new ArrayList<>();
    for (int i = 0; i < areas.size(); i++) {
      Vma v = areas.get(i);
      if ((v.flags() & flag) != 0) {
        out.add(view(v));
      }
    }
    return out;
  }

  @Override
  public Region regionAtOrBelow(long address) {
    int i = areas.floor(address);
    return i < 0 ? null : view(areas.get(i));
  }

  @Override
  public Region regionAbove(long address) {
    int i = areas.floor(address) + 1;
    return i >= areas.size() ? null : view(areas.get(i));
  }

  @Override
  public List<Region> regions() {
    List<Region> out = new ArrayList<>(areas.size());
    for (int i = 0; i < areas.size(); i++) {
      out.add(view(areas.get(i)));
    }
    return out;
  }

  Region view(Vma v) {
    Backing b = v.backing();
    String path = b.path();
    if (b.kind() == Backing.Kind.ANONYMOUS && isHeap(v)) {
      path = "[heap]";
    }
    Region.Learnt learnt =
        (v.flags() & Vma.FROM_ELF) != 0
            ? Region.Learnt.ELF_HEADER
            : v.originLine() == 0 ? Region.Learnt.SNAPSHOT : Region.Learnt.TRACE;
    return new Region(
        v.start(),
        v.end(),
        v.perms(),
        b.hasOffset() ? v.pgoff() : 0,
        b.dev(),
        b.inode(),
        path,
        v.originLine(),
        learnt,
        v.madeFrom(),
        v.madeTo(),
        (v.flags() & Vma.FROM_ELF) != 0 && (v.flags() & Vma.SEGMENT_PROT) != 0
            ? (v.flags() & Vma.SEGMENT_PROT) >>> Vma.SEGMENT_PROT_SHIFT
            : -1);
  }

  private boolean isHeap(Vma v) {
    if (startBrk != UNKNOWN && brk != UNKNOWN) {
      return !below(brk, v.start()) && !below(v.end(), startBrk);
    }
    return v.fromBrk();
  }

  // ---- primitives ----------------------------------------------------------------------------

  Vma areaAt(long address) {
    int i = areas.floor(address);
    return i >= 0 && below(address, areas.get(i).end()) ? areas.get(i) : null;
  }

  /**
   * Areas overlapping [lo, hi) in address order; with {@code touching}, also those ending at lo or
   * starting at hi.
   */
  List<Vma> areasNear(long lo, long hi, boolean touching) {
    checkRange(lo, hi);
    List<Vma> out = new ArrayList<>(4);
    int i = areas.lower(lo);
    if (i >= 0) {
      Vma first = areas.get(i);
      if (below(lo, first.end()) || touching && first.end() == lo) {
        out.add(first);
      }
    }
    for (int j = i + 1; j < areas.size(); j++) {
      Vma v = areas.get(j);
      int c = Long.compareUnsigned(v.start(), hi);
      if (c > 0 || c == 0 && !touching) {
        break;
      }
      out.add(v);
    }
    return out;
  }

  /** Splits the area strictly containing the address in two; no-op on a boundary or a hole. */
  void splitAt(long address) {
    Vma v = areaAt(address);
    if (v != null && below(v.start(), address)) {
      areas.put(v.slice(v.start(), address));
      areas.put(v.slice(address, v.end()));
    }
  }

  /**
   * Removes [lo, hi) from the map, splitting areas that straddle its ends; returns the pieces
   * removed.
   */
  List<Vma> cut(long lo, long hi) {
    checkRange(lo, hi);
    splitAt(lo);
    splitAt(hi);
    int from = areas.lower(lo) + 1;
    int to = areas.lower(hi) + 1;
    List<Vma> removed = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      removed.add(areas.get(i));
    }
    areas.remove(from, to);
    return removed;
  }

  /** Addresses are unsigned: the kernel's, above 2^63, sort after every user address. */
  static boolean below(long a, long b) {
    return Long.compareUnsigned(a, b) < 0;
  }

  /** A range whose end lies below its start is a bug in the caller's arithmetic, not a no-op. */
  private static void checkRange(long lo, long hi) {
    if (Long.compareUnsigned(lo, hi) > 0) {
      throw new IllegalArgumentException(
          "range " + MemoryOps.hex(lo) + "-" + MemoryOps.hex(hi) + " ends before it starts");
    }
  }

  /** Puts an area whose range is free; the caller merges. */
  void put(Vma v) {
    areas.put(v);
  }

  void replace(Vma v) {
    areas.put(v);
  }

  /**
   * Merges neighbours across every area boundary in [lo, hi], left to right, the way the kernel
   * tries prev first and next second.
   */
  void mergeBoundaries(long lo, long hi) {
    int i = areas.lower(lo);
    if (i < 0 || below(areas.get(i).end(), lo)) {
      i++;
    }
    while (i < areas.size() && !below(hi, areas.get(i).start())) {
      Vma left = areas.get(i);
      if (i + 1 >= areas.size()) {
        break;
      }
      Vma right = areas.get(i + 1);
      boolean boundaryInside = !below(left.end(), lo) && !below(hi, left.end());
      if (boundaryInside && left.canMergeWith(right)) {
        areas.remove(i + 1, i + 2);
        areas.set(i, left.mergedWith(right));
      } else {
        i++;
      }
    }
  }

  /** Gives private writable areas in [lo, hi) that have none an anon_vma (they will be written). */
  void markWritten(long lo, long hi) {
    for (Vma v : areasNear(lo, hi, false)) {
      if (v.anonId() == 0
          && !v.shared()
          && v.writable()
          && v.backing().kind() != Backing.Kind.SPECIAL) {
        areas.put(v.withAnonId(newAnonId()));
      }
    }
  }

  /** Whether any area overlaps [lo, hi), without building a list. */
  boolean overlaps(long lo, long hi) {
    int i = areas.floor(lo);
    if (i >= 0 && Long.compareUnsigned(areas.get(i).end(), lo) > 0) {
      return true;
    }
    return i + 1 < areas.size() && Long.compareUnsigned(areas.get(i + 1).start(), hi) < 0;
  }

  /** Whether [lo, hi) is fully covered by areas. */
  boolean covered(long lo, long hi) {
    long at = lo;
    for (Vma v : areasNear(lo, hi, false)) {
      if (below(at, v.start())) {
        return false;
      }
      at = below(at, v.end()) ? v.end() : at;
    }
    return !below(at, hi);
  }

  /** Lays another space's areas over this one's (what a child did before its clone returned). */
  void overlay(AddressSpace other) {
    for (int i = 0; i < other.areas.size(); i++) {
      Vma v = other.areas.get(i);
      cut(v.start(), v.end());
      put(v.anonId() == 0 ? v : v.withAnonId(newAnonId()));
      mergeBoundaries(v.start(), v.end());
    }
    if (brk == UNKNOWN) {
      startBrk = other.startBrk;
      brk = other.brk;
    }
  }

  /**
   * Takes a listing from {@code /proc/PID/maps} as the truth: afterwards the space holds exactly
   * those regions. An area the model already had in the same place, with the same permissions,
   * offset and file, is kept (with what merging depends on) and only learns the kernel's name,
   * device and inode; every other line is adopted as the kernel printed it. Returns the file paths
   * the kernel spells differently from the trace (a symlink resolved), path → kernel path.
   */
  public Map<String, String> resync(List<Region> kernel) {
    Map<String, String> renamed = new HashMap<>();
    Areas old = new Areas(areas);
    dropped(old, kernel);
    areas.clear();
    for (Region k : kernel) {
      Vma mine = old.startingAt(k.start());
      if (mine != null && Agreement.same(view(mine), k)) {
        Backing b = mine.backing();
        if (b.kind() == Backing.Kind.FILE || b.kind() == Backing.Kind.SHARED_MEMORY) {
          if (!b.path().equals(k.path())) {
            renamed.put(b.path(), k.path());
          }
          b = new Backing(b.kind(), k.path(), k.dev(), k.inode(), b.key());
        }
        areas.put(mine.withBacking(b));
      } else if (mine != null
          && "[heap]".equals(k.path())
          && "[heap]".equals(view(mine).path())
          && view(mine).perms().equals(k.perms())) {
        // the same [heap] area with another end: a snapshot read late already shows the break of
        // later brk calls (or an earlier one's). The area still starts where the call that made it
        // put it, so it keeps that call as its maker; what the snapshot adds is nobody's line
        areas.put(mine.withEnd(k.end(), 0));
      } else {
        Vma adopted = adopt(k);
        MadeBy kept = keptInside(old, k, adopted.backing());
        areas.put(kept == null ? adopted : adopted.withMade(kept));
      }
      if (!below(k.start(), top) && below(k.start(), TOP_56)) {
        top = TOP_56; // a snapshot shows 5-level paging ([vsyscall] lies above 2^56)
      }
      if ("[heap]".equals(k.path()) && startBrk == UNKNOWN) {
        startBrk = k.start();
        brk = brk == UNKNOWN ? k.end() : brk;
      }
    }
    return renamed;
  }

  /**
   * The parts, made by calls of the trace, of the old areas that a line of a snapshot covers with
   * the same permissions and the same memory (anonymous, or the same file at the same offsets),
   * within that line: the kernel merged them with memory the model did not have, or a call the
   * model did not see yet mapped over some of them. A snapshot read late already shows a later
   * call's mapping: a second thread stack's block merged with the first one's guard page, GHC's
   * heap reservation with more megablocks committed at its start, a library's span with its
   * segments mapped over it. The memory is still what those calls made. Null when there is none.
   */
  private MadeBy keptInside(Areas old, Region k, Backing b) {
    if (k.path().startsWith("[") || b.kind() == Backing.Kind.SPECIAL) {
      return null;
    }
    boolean anonymous = b.kind() == Backing.Kind.ANONYMOUS;
    MadeBy kept = null;
    for (int i = Math.max(0, old.floor(k.start())); i < old.size(); i++) {
      Vma v = old.get(i);
      if (!below(v.start(), k.end())) {
        break;
      }
      long from = below(v.start(), k.start()) ? k.start() : v.start();
      long to = below(k.end(), v.end()) ? k.end() : v.end();
      Region mine = view(v);
      if (!below(from, to)
          || v.fromBrk()
          || v.originLine() == 0
          || !mine.perms().equals(k.perms())
          || !b.sameObject(v.backing())
          || !anonymous && mine.offset() + (from - v.start()) != k.offset() + (from - k.start())) {
        continue;
      }
      MadeBy parts = v.made().clip(from, to);
      if (parts.from() == parts.to()) {
        continue; // none of its parts is left in the line
      }
      kept = kept == null ? parts : kept.join(parts);
    }
    return kept;
  }

  /** Notes the parts of the old areas that no line of the (sorted) kernel listing covers. */
  private void dropped(Areas old, List<Region> kernel) {
    int k = 0;
    for (int i = 0; i < old.size(); i++) {
      Vma v = old.get(i);
      long at = v.start();
      while (k < kernel.size() && kernel.get(k).end() <= at) {
        k++;
      }
      for (int j = k; at < v.end(); j++) {
        Region kr = j < kernel.size() ? kernel.get(j) : null;
        if (kr == null || kr.start() >= v.end()) {
          drop(at, v.end());
          break;
        }
        if (kr.start() > at) {
          drop(at, kr.start());
        }
        at = Math.max(at, kr.end());
      }
    }
  }

  private void drop(long start, long end) {
    if (droppedBySnapshot.size() == DROPPED_KEPT) {
      droppedBySnapshot.remove(0);
    }
    droppedBySnapshot.add(new long[] {start, end});
  }

  /** A VMA for a maps line the model did not make: what merging needs is guessed from its kind. */
  private Vma adopt(Region k) {
    String perms = k.perms();
    int prot =
        (perms.charAt(0) == 'r' ? 1 : 0)
            | (perms.charAt(1) == 'w' ? 2 : 0)
            | (perms.charAt(2) == 'x' ? 4 : 0);
    boolean shared = perms.charAt(3) == 's';
    String path = k.path();
    boolean heap = "[heap]".equals(path);
    Backing b;
    long pgoff = k.offset();
    if (path.isEmpty() || heap) {
      b = Backing.ANONYMOUS;
      pgoff = k.start();
    } else if (path.startsWith("[")) {
      b = new Backing(Backing.Kind.SPECIAL, path, k.dev(), k.inode(), 0);
    } else if ("00:01".equals(k.dev()) && shared) {
      b = new Backing(Backing.Kind.SHARED_MEMORY, path, k.dev(), k.inode(), k.inode());
    } else {
      b =
          new Backing(
              Backing.Kind.FILE, path, k.dev(), k.inode(), "00:01".equals(k.dev()) ? k.inode() : 0);
    }
    int flags = "[stack]".equals(path) ? Vma.GROWSDOWN : 0;
    boolean writablePrivate = !shared && (prot & 2) != 0;
    if (writablePrivate) {
      flags |= Vma.ACCOUNT; // the likely case: not mapped MAP_NORESERVE
    }
    if (!shared && b == Backing.ANONYMOUS && !writablePrivate) {
      // once written, then made read-only or PROT_NONE (a runtime's read barrier, a trimmed
      // arena): the kernel's VM_ACCOUNT or VM_NORESERVE is not in the snapshot
      flags |= Vma.ACCOUNT_UNKNOWN;
    }
    return new Vma(
        k.start(),
        k.end(),
        prot,
        shared,
        pgoff,
        b,
        flags,
        writablePrivate ? newAnonId() : 0,
        0,
        heap);
  }

  /**
   * A mapped file got a new name (rename) or lost its last one (unlink: {@code to} is the path with
   * {@code " (deleted)"}): maps shows the new name at once. Returns the regions renamed.
   */
  List<RegionChange> renameFile(String from, String to) {
    List<RegionChange> out = new ArrayList<>();
    for (int i = 0; i < areas.size(); i++) {
      Vma v = areas.get(i);
      Backing b = v.backing();
      if (b.kind() == Backing.Kind.FILE && b.path().equals(from)) {
        Region before = view(v);
        Vma renamed = v.withBacking(new Backing(b.kind(), to, b.dev(), b.inode(), b.key()));
        areas.set(i, renamed);
        out.add(RegionChange.changed(before, view(renamed)));
      }
    }
    return out;
  }

  void clear() {
    areas.clear();
    startBrk = UNKNOWN;
    brk = UNKNOWN;
  }
}
