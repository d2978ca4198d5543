package dev.memtrace.explain;

import dev.memtrace.decode.FdAlias;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.RegionClass;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Sizes of an address space added up per region class and per mapped object (file path): total
 * bytes, number of regions, largest region, and how many of the bytes are PROT_NONE: address space
 * reserved (a guard page, a runtime's or malloc's reservation), which no access may touch and which
 * holds no memory until an mprotect or a mapping over it makes it accessible. One is taken at the
 * end and one at the peak.
 */
public final class Tally {

  /** One row: total bytes, regions, the largest region's size, the PROT_NONE bytes of them. */
  public static final class Row {
    public long size;
    public int regions;
    public long largest;
    public long reserved;

    void add(long bytes, long none) {
      size += bytes;
      regions++;
      largest = Math.max(largest, bytes);
      reserved += none;
    }
  }

  private final Map<RegionClass, Row> byClass = new EnumMap<>(RegionClass.class);
  private final Map<String, Row> byObject = new TreeMap<>();
  long total;
  int regions;
  long reserved;

  public Map<RegionClass, Row> byClass() {
    return byClass;
  }

  public Map<String, Row> byObject() {
    return byObject;
  }

  public long total() {
    return total;
  }

  /** How many of the {@link #total} bytes are PROT_NONE (reserved, no memory behind them). */
  public long reserved() {
    return reserved;
  }

  /**
   * How many regions (or ranges the trace made) were counted: a region the kernel merged from parts
   * made for different things counts once here and in each of its parts' class rows.
   */
  public int regions() {
    return regions;
  }

  void add(RegionClass cls, String object, long bytes) {
    add(cls, object, bytes, 0);
  }

  /** A region of which {@code none} bytes are PROT_NONE. */
  void add(RegionClass cls, String object, long bytes, long none) {
    addPart(cls, object, bytes, none);
    regions++;
  }

  /** A part of a region: counted in its class's and object's rows, not as a region of its own. */
  private void addPart(RegionClass cls, String object, long bytes, long none) {
    byClass.computeIfAbsent(cls, k -> new Row()).add(bytes, none);
    Row row = object == null || object.isEmpty() ? null : objectRow(object);
    if (row != null) {
      row.add(bytes, none);
    }
    total += bytes;
    reserved += none;
  }

  /**
   * The row of a mapped object, or null for shared memory no file backs: maps names shared
   * anonymous memory /dev/zero (deleted) (shmem_zero_setup) or /anon_hugepage (deleted), a System V
   * segment /SYSV then its key, then (deleted), while the event that made it names no object, so
   * such a row would read empty at the peak; the class row counts them.
   */
  private Row objectRow(String object) {
    if (object.equals(MapsFormat.DEV_ZERO)
        || object.equals(MapsFormat.ANON_HUGEPAGE)
        || object.startsWith("/SYSV") && object.endsWith(MapsFormat.DELETED)) {
      return null;
    }
    // Executables and libraries by file name: the trace opens /lib/x/libc.so.6, the kernel
    // shows /usr/lib/x/libc.so.6; other files keep their path, without the " (deleted)" maps
    // adds once the file is unlinked (a memfd's name, never in a directory, keeps it).
    String key =
        Classifier.isImage(object)
            ? LoaderRules.shortName(object)
            : object.startsWith("/memfd:")
                ? object
                : FdAlias.of(object) != null
                    ? object + " (a descriptor alias)" // its file's name is not in the trace
                    : FileRules.withoutDeleted(object);
    return byObject.computeIfAbsent(key, k -> new Row());
  }

  /** An anonymous rw-p region that starts where the executable's writable segment ends. */
  static boolean kernelBss(Region prev, Region r, String exe) {
    return prev != null
        && prev.end() == r.start()
        && r.path().isEmpty()
        && "rw-p".equals(r.perms())
        && "rw-p".equals(prev.perms())
        && Classifier.isExecutable(prev.path(), exe);
  }

  /**
   * The ranges the trace showed being made, by what they were made for; their PROT_NONE bytes as
   * the model's space {@code v} holds them now (none counted when v is null).
   */
  static Tally of(TagMap tags, AddressSpaceView v) {
    // Taken again at each new peak of a small space: the ranges of one object (a library's
    // segments) come one after another, and its row is looked up once for them.
    Tally t = new Tally();
    String object = null;
    Row row = null;
    for (TagMap.Span s : tags.view()) {
      Tag tag = s.tag();
      long bytes = s.size();
      long none = v == null ? 0 : protNone(v, s.start(), s.end());
      t.byClass.computeIfAbsent(tag.cls(), k -> new Row()).add(bytes, none);
      String o = tag.object();
      if (o != null && !o.isEmpty()) {
        if (!o.equals(object)) {
          object = o;
          row = t.objectRow(o);
        }
        if (row != null) {
          row.add(bytes, none);
        }
      }
      t.total += bytes;
      t.reserved += none;
      t.regions++;
    }
    return t;
  }

  /** The bytes of [start, end) that regions of v hold PROT_NONE. */
  static long protNone(AddressSpaceView v, long start, long end) {
    Region r = v.regionAt(start);
    if (r == null) {
      r = v.regionAbove(start);
    }
    long none = 0;
    while (r != null && Long.compareUnsigned(r.start(), end) < 0) {
      if (none(r)) {
        none += Math.min(r.end(), end) - Math.max(r.start(), start);
      }
      r = v.regionAbove(r.start());
    }
    return none;
  }

  /** Whether no access may touch the region: PROT_NONE (---p, ---s). */
  static boolean none(Region r) {
    return r.perms() != null && r.perms().startsWith("---");
  }

  /** The model's regions (kernel-made ones included), classed with the tags where known. */
  static Tally of(List<Region> regions, TagMap tags, String exe) {
    // An anonymous .bss tail names its object by the path the program opened, the kernel's
    // regions by the resolved path: count both under the kernel's spelling.
    Map<String, String> spelled = new HashMap<>();
    for (Region r : regions) {
      if (!r.path().isEmpty() && !r.path().startsWith("[")) {
        spelled.putIfAbsent(LoaderRules.shortName(r.path()), r.path());
      }
    }
    Tally t = new Tally();
    Region prev = null;
    for (Region r : regions) {
      List<TagMap.Span> made = tags.overlapping(r.start(), r.end());
      if (madeForOnePurpose(made, r)) {
        TagMap.Span s = tags.at(r.start());
        RegionClass cls = Classifier.classify(r, s == null ? null : s.tag(), exe);
        // a region laid out from ELF headers counts as the call that tagged it told it (ld.so's
        // RELRO mprotect of the executable or of itself), as the peak's ranges count it
        String obj =
            r.path().isEmpty() || r.learnt() == Region.Learnt.ELF_HEADER
                ? (s == null ? null : s.tag().object())
                : r.path();
        if (s == null && cls == RegionClass.ANON && kernelBss(prev, r, exe)) {
          // The executable's .bss beyond its last file page: the kernel maps it at execve.
          cls = RegionClass.IMAGE_BSS;
          obj = prev.path();
        }
        t.add(cls, object(obj, r, spelled), r.size(), none(r) ? r.size() : 0);
      } else {
        // The kernel merged neighbours made for different things into one region (vma_merge:
        // ld.so's minimal malloc and the TLS block below it, both anonymous rw-p): each part
        // counts in the class of what made it, and the region counts once in the total.
        long at = r.start();
        for (TagMap.Span s : made) {
          long from = Math.max(s.start(), r.start());
          long to = Math.min(s.end(), r.end());
          if (from > at) {
            t.addPart(
                Classifier.classify(r, null, exe),
                object(r.path(), r, spelled),
                from - at,
                none(r) ? from - at : 0);
          }
          String obj =
              r.path().isEmpty() || r.learnt() == Region.Learnt.ELF_HEADER
                  ? s.tag().object()
                  : r.path();
          t.addPart(
              Classifier.classify(r, s.tag(), exe),
              object(obj, r, spelled),
              to - from,
              none(r) ? to - from : 0);
          at = to;
        }
        if (at < r.end()) {
          t.addPart(
              Classifier.classify(r, null, exe),
              object(r.path(), r, spelled),
              r.end() - at,
              none(r) ? r.end() - at : 0);
        }
        t.regions++;
      }
      prev = r;
    }
    return t;
  }

  /**
   * Whether the region is what one call made, as far as the trace tells: at most one span over it,
   * or spans that all class it alike. Such a region counts whole in the class of its start, and
   * {@link Explainer#classOf} gives it that class.
   */
  static boolean madeForOnePurpose(List<TagMap.Span> made, Region r) {
    if (made.size() < 2) {
      return true;
    }
    Tag first = made.get(0).tag();
    long at = r.start();
    for (TagMap.Span s : made) {
      if (s.start() > at
          || s.tag().cls() != first.cls()
          || !Objects.equals(s.tag().object(), first.object())) {
        return false;
      }
      at = s.end();
    }
    return at >= r.end();
  }

  /** The object a region (or part) counts under: the kernel's spelling, none for [heap] etc. */
  private static String object(String obj, Region r, Map<String, String> spelled) {
    if (obj != null && r.path().isEmpty()) {
      obj = spelled.getOrDefault(LoaderRules.shortName(obj), obj);
    }
    return obj != null && !obj.isEmpty() && !obj.startsWith("[") ? obj : null;
  }
}
