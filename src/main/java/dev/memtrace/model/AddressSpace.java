package dev.memtrace.model;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

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

  private final TreeMap<Long, Vma> areas = new TreeMap<>(Long::compareUnsigned);
  private long startBrk = UNKNOWN;
  private long brk = UNKNOWN;
  private long anonIds;
  /**
   * Ranges a non-fixed mmap was given while the model still had memory there: another thread's
   * munmap freed them, but its line comes later in the log (it returned later). That munmap must
   * not remove the new mapping; it consumes the range instead.
   */
  final List<long[]> reused = new ArrayList<>();
  /** True from execve until the first brk: that brk's answer is start_brk. */
  boolean freshExec;

  /** A deep copy, as fork makes it: each area gets its own anon_vma in the child. */
  public AddressSpace copy() {
    AddressSpace c = new AddressSpace();
    c.startBrk = startBrk;
    c.brk = brk;
    c.anonIds = anonIds;
    for (Vma v : areas.values()) {
      if ((v.flags() & Vma.DONTCOPY) == 0) {
        c.areas.put(v.start(), v.anonId() == 0 ? v : v.withAnonId(c.newAnonId()));
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

  public boolean isEmpty() {
    return areas.isEmpty();
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

  @Override
  public Region regionAtOrBelow(long address) {
    Map.Entry<Long, Vma> e = areas.floorEntry(address);
    return e == null ? null : view(e.getValue());
  }

  @Override
  public Region regionAbove(long address) {
    Map.Entry<Long, Vma> e = areas.higherEntry(address);
    return e == null ? null : view(e.getValue());
  }

  @Override
  public List<Region> regions() {
    List<Region> out = new ArrayList<>(areas.size());
    for (Vma v : areas.values()) {
      out.add(view(v));
    }
    return out;
  }

  /** The regions overlapping [lo, hi), or also touching it when {@code touching}. */
  List<Region> regionsNear(long lo, long hi, boolean touching) {
    List<Region> out = new ArrayList<>();
    for (Vma v : areasNear(lo, hi, touching)) {
      out.add(view(v));
    }
    return out;
  }

  Region view(Vma v) {
    Backing b = v.backing();
    String path = b.path();
    if (b.kind() == Backing.Kind.ANONYMOUS && isHeap(v)) {
      path = "[heap]";
    }
    return new Region(v.start(), v.end(), v.perms(), b.hasOffset() ? v.pgoff() : 0, b.dev(),
        b.inode(), path, v.originLine());
  }

  private boolean isHeap(Vma v) {
    if (startBrk != UNKNOWN && brk != UNKNOWN) {
      return v.start() <= brk && v.end() >= startBrk;
    }
    return v.fromBrk();
  }

  // ---- primitives ----------------------------------------------------------------------------

  Vma areaAt(long address) {
    Map.Entry<Long, Vma> e = areas.floorEntry(address);
    return e != null && address < e.getValue().end() ? e.getValue() : null;
  }

  /** Areas overlapping [lo, hi) in address order; with {@code touching}, also those ending at lo or starting at hi. */
  List<Vma> areasNear(long lo, long hi, boolean touching) {
    List<Vma> out = new ArrayList<>();
    Map.Entry<Long, Vma> first = areas.lowerEntry(lo);
    if (first != null && (first.getValue().end() > lo || touching && first.getValue().end() == lo)) {
      out.add(first.getValue());
    }
    NavigableMap<Long, Vma> rest = areas.subMap(lo, true, hi, touching);
    out.addAll(rest.values());
    return out;
  }

  /** Splits the area strictly containing the address in two; no-op on a boundary or a hole. */
  void splitAt(long address) {
    Vma v = areaAt(address);
    if (v != null && v.start() < address) {
      areas.put(v.start(), v.slice(v.start(), address));
      areas.put(address, v.slice(address, v.end()));
    }
  }

  /** Removes [lo, hi) from the map, splitting areas that straddle its ends; returns the pieces removed. */
  List<Vma> cut(long lo, long hi) {
    splitAt(lo);
    splitAt(hi);
    NavigableMap<Long, Vma> inside = areas.subMap(lo, true, hi, false);
    List<Vma> removed = new ArrayList<>(inside.values());
    inside.clear();
    return removed;
  }

  /** Puts an area whose range is free; the caller merges. */
  void put(Vma v) {
    areas.put(v.start(), v);
  }

  void replace(Vma v) {
    areas.put(v.start(), v);
  }

  /**
   * Merges neighbours across every area boundary in [lo, hi], left to right, the way the kernel
   * tries prev first and next second. Returns the area now covering {@code lo}, if any.
   */
  void mergeBoundaries(long lo, long hi) {
    Map.Entry<Long, Vma> e = areas.lowerEntry(lo);
    if (e == null || e.getValue().end() < lo) {
      e = areas.ceilingEntry(lo);
    }
    while (e != null && e.getValue().start() <= hi) {
      Vma left = e.getValue();
      Map.Entry<Long, Vma> nextEntry = areas.higherEntry(left.start());
      if (nextEntry == null) {
        break;
      }
      Vma right = nextEntry.getValue();
      boolean boundaryInside = left.end() >= lo && left.end() <= hi;
      if (boundaryInside && left.canMergeWith(right)) {
        areas.remove(right.start());
        areas.put(left.start(), left.mergedWith(right));
        e = areas.floorEntry(left.start());
      } else {
        e = nextEntry;
      }
    }
  }

  /** Gives private writable areas in [lo, hi) that have none an anon_vma (they will be written). */
  void markWritten(long lo, long hi) {
    for (Vma v : areasNear(lo, hi, false)) {
      if (v.anonId() == 0 && !v.shared() && v.writable()
          && v.backing().kind() != Backing.Kind.SPECIAL) {
        areas.put(v.start(), v.withAnonId(newAnonId()));
      }
    }
  }

  /** Whether [lo, hi) is fully covered by areas. */
  boolean covered(long lo, long hi) {
    long at = lo;
    for (Vma v : areasNear(lo, hi, false)) {
      if (v.start() > at) {
        return false;
      }
      at = Math.max(at, v.end());
    }
    return at >= hi;
  }

  Iterator<Vma> iterator() {
    return areas.values().iterator();
  }

  /** Lays another space's areas over this one's (what a child did before its clone returned). */
  void overlay(AddressSpace other) {
    for (Vma v : other.areas.values()) {
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
   * device and inode; every other line is adopted as the kernel printed it. Returns the file
   * paths the kernel spells differently from the trace (a symlink resolved), path → kernel path.
   */
  public Map<String, String> resync(List<Region> kernel) {
    Map<String, String> renamed = new java.util.HashMap<>();
    TreeMap<Long, Vma> old = new TreeMap<>(areas);  // same unsigned order
    areas.clear();
    for (Region k : kernel) {
      Vma mine = old.get(k.start());
      if (mine != null && Agreement.same(view(mine), k)) {
        Backing b = mine.backing();
        if (b.kind() == Backing.Kind.FILE || b.kind() == Backing.Kind.SHARED_MEMORY) {
          if (!b.path().equals(k.path())) {
            renamed.put(b.path(), k.path());
          }
          b = new Backing(b.kind(), k.path(), k.dev(), k.inode(), b.key());
        }
        areas.put(k.start(), mine.withBacking(b));
      } else {
        areas.put(k.start(), adopt(k));
      }
      if ("[heap]".equals(k.path()) && startBrk == UNKNOWN) {
        startBrk = k.start();
        brk = brk == UNKNOWN ? k.end() : brk;
      }
    }
    return renamed;
  }

  /** A VMA for a maps line the model did not make: what merging needs is guessed from its kind. */
  private Vma adopt(Region k) {
    String perms = k.perms();
    int prot = (perms.charAt(0) == 'r' ? 1 : 0) | (perms.charAt(1) == 'w' ? 2 : 0)
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
      b = new Backing(Backing.Kind.FILE, path, k.dev(), k.inode(),
          "00:01".equals(k.dev()) ? k.inode() : 0);
    }
    int flags = "[stack]".equals(path) ? Vma.GROWSDOWN : 0;
    boolean writablePrivate = !shared && (prot & 2) != 0;
    if (writablePrivate) {
      flags |= Vma.ACCOUNT;
    }
    return new Vma(k.start(), k.end(), prot, shared, pgoff, b, flags,
        writablePrivate ? newAnonId() : 0, 0, heap);
  }

  /**
   * A mapped file got a new name (rename) or lost its last one (unlink: {@code to} is the path
   * with {@code " (deleted)"}): maps shows the new name at once. Returns the regions renamed.
   */
  List<RegionChange> renameFile(String from, String to) {
    List<RegionChange> out = new ArrayList<>();
    for (Map.Entry<Long, Vma> e : areas.entrySet()) {
      Vma v = e.getValue();
      Backing b = v.backing();
      if (b.kind() == Backing.Kind.FILE && b.path().equals(from)) {
        Region before = view(v);
        Vma renamed = v.withBacking(new Backing(b.kind(), to, b.dev(), b.inode(), b.key()));
        e.setValue(renamed);
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
