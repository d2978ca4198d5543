package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The big mappings of a HotSpot JVM (OpenJDK 17; G1 and ZGC, multi-mapped or generational, by their
 * shapes), recognised once libjvm.so is loaded: the Java heap reserved whole and committed with
 * MAP_FIXED, the JIT code cache, the class library image, Java thread stacks without a glibc guard
 * and their guard zones, the safepoint polling page (os_linux.cpp, stackOverflow.cpp,
 * safepointMechanism.cpp). Sizes depend on the machine (RAM, CPUs), so these rules read shapes and
 * placement, not exact figures.
 */
final class JvmRules {
  private JvmRules() {}

  /** Where zero-based compressed oops need the heap to end: 32 GiB. */
  static final long OOPS_TOP = 32L << 30;

  /** HotSpot's UnscaledOopHeapMax: a heap that ends here needs neither base nor shift. */
  static final long UNSCALED_OOPS_TOP = 4L << 30;

  /**
   * A reservation of ZGC's heap: the first (told for both ZGCs), or a second or third view at twice
   * and four times its address (non-generational ZGC's multi-mapping), which retells the first.
   */
  static final Rule ZGC_VIEW =
      Rule.on("jvm-zgc-view", "mmap")
          .when(
              ok(),
              anon(),
              prot(),
              flag("MAP_NORESERVE"),
              noFlag("MAP_FIXED"),
              jvm(),
              c -> c.result() == c.addr() && zgcView(c) >= 0)
          .frames(
              "ZVirtualMemoryManager::reserve_contiguous",
              "ZVirtualMemoryManager::pd_reserve",
              "ZVirtualMemoryReserver::reserve_contiguous",
              "ZVirtualMemoryReserver::pd_reserve")
          .effect(
              (c, before) -> {
                if (c.sp.zgcViewLine == 0) {
                  c.sp.zgcView = c.addr();
                  c.sp.zgcViewSize = c.length();
                  c.sp.zgcViewLine = c.line();
                } else if (!c.sp.zgcMultiMapped) {
                  c.sp.zgcMultiMapped = true;
                  TagMap.Span first = c.sp.tags.at(c.sp.zgcView);
                  if (first != null && first.tag().line() == c.sp.zgcViewLine) {
                    first.tag().refine(RegionClass.RESERVED, "ZGC heap view (marked0)");
                    // keep what the first telling rested on: a -k stack, or the pattern
                    Explanation old = c.ex.said(first.tag(), JvmRules.ZGC_VIEW);
                    int stack = old == null ? -1 : old.text().indexOf(" (seen in the stack: ");
                    c.ex.retell(
                        first.tag(),
                        JvmRules.ZGC_VIEW,
                        new Explanation(
                            "jvm-zgc-view",
                            zgcHeap(c.sp.zgcView, c.sp.zgcViewSize, c.line())
                                + (stack >= 0
                                    ? old.text().substring(stack)
                                    : " (inferred from the pattern)"),
                            stack >= 0 ? Basis.STACK : Basis.PATTERN,
                            old != null ? old.evidence() : List.of(zgcHeapEvidence(c.sp.zgcView))));
                  }
                }
              })
          .says(
              c -> {
                int view = zgcView(c);
                if (view == 0) {
                  return Said.of(
                          zgcHeap(c.addr(), c.length(), 0),
                          Basis.PATTERN,
                          zgcHeapEvidence(c.addr()))
                      .tag(RegionClass.RESERVED, "ZGC heap reservation");
                }
                String name = view == 1 ? "marked1" : "remapped";
                return Said.of(
                        "fits ZGC's "
                            + name
                            + " view: the same "
                            + c.length()
                            + " bytes as the marked0 view reserved at line "
                            + c.sp.zgcViewLine
                            + ", at "
                            + (view == 1 ? "twice" : "four times")
                            + " its address (ZVirtualMemoryManager::reserve_contiguous "
                            + "reserves three views of one heap address range; the heap's memfd "
                            + "pages are mapped into each)",
                        Basis.PATTERN,
                        hex(c.sp.zgcView)
                            + " × "
                            + (view == 1 ? 2 : 4)
                            + " = "
                            + hex(c.addr())
                            + ", "
                            + c.length()
                            + " bytes as at line "
                            + c.sp.zgcViewLine)
                    .tag(RegionClass.RESERVED, "ZGC heap view (" + name + ")");
              });

  static List<Rule> rules() {
    return List.of(
        Rule.on("jvm-stack-guard-commit", "mmap")
            .when(
                ok(),
                anon(),
                flag("MAP_FIXED"),
                prot("PROT_READ", "PROT_WRITE"),
                jvm(),
                taggedAs(RegionClass.THREAD_STACK, RegionClass.GUARD))
            .frames(
                "StackOverflow::create_stack_guard_pages",
                "os::create_stack_guard_pages",
                "os::pd_create_stack_guard_pages")
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  long off = c.addr() - MappingRules.reservationStart(s);
                  return Said.of(
                          "HotSpot sets up the stack guard zone of the Java thread stack made at line "
                              + s.tag().line()
                              + ": "
                              + c.length()
                              + " bytes at offset "
                              + hex(off)
                              + " of it (StackOverflow::create_stack_guard_pages: "
                              + "os::create_stack_guard_pages commits them with mmap(MAP_FIXED, "
                              + "PROT_READ|PROT_WRITE); os::guard_memory then makes them PROT_NONE, "
                              + "the reserved, yellow and red zones a stack overflow hits)",
                          Basis.PATTERN,
                          "RW MAP_FIXED inside the thread stack made at line " + s.tag().line())
                      .tag(RegionClass.GUARD, "Java thread stack guard zone")
                      .within(s.tag());
                }),
        Rule.on("jvm-stack-guard-remove", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_FIXED"),
                flag("MAP_NORESERVE"),
                jvm(),
                taggedAs(RegionClass.THREAD_STACK, RegionClass.GUARD))
            .frames("StackOverflow::remove_stack_guard_pages", "os::remove_stack_guard_pages")
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  long off = c.addr() - MappingRules.reservationStart(s);
                  return Said.of(
                          "HotSpot removes the stack guard zone of the Java thread stack made at line "
                              + s.tag().line()
                              + " as its thread exits or detaches: "
                              + c.length()
                              + " bytes at offset "
                              + hex(off)
                              + " of it (StackOverflow::"
                              + "remove_stack_guard_pages → os::remove_stack_guard_pages → "
                              + "os::uncommit_memory, which maps PROT_NONE|MAP_NORESERVE over them "
                              + "with MAP_FIXED: their pages are dropped, the addresses stay "
                              + "mapped)",
                          Basis.PATTERN,
                          "PROT_NONE|MAP_NORESERVE MAP_FIXED inside the thread "
                              + "stack made at line "
                              + s.tag().line())
                      .tag(RegionClass.GUARD, "Java thread stack guard zone (uncommitted)")
                      .within(s.tag());
                }),
        Rule.on("jvm-zgc-heap-unmap", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_FIXED"),
                flag("MAP_NORESERVE"),
                jvm(),
                c -> c.sp.zgcViewLine > 0 && zgcViewOf(c.sp, c.addr()) >= 0)
            .frames("ZPhysicalMemoryBacking::unmap", "ZPhysicalMemoryManager::unmap_view")
            .says(
                c -> {
                  int view = zgcViewOf(c.sp, c.addr());
                  long start = c.sp.zgcView << view;
                  return Said.of(
                          "ZGC detaches "
                              + c.length()
                              + " bytes of heap memory from its "
                              + (c.sp.zgcMultiMapped
                                  ? ZGC_VIEWS.get(view) + " view"
                                  : "heap range (reserved at line " + c.sp.zgcViewLine + ")")
                              + ", at offset "
                              + hex(c.addr() - start)
                              + " (ZPhysicalMemoryBacking::unmap maps an anonymous PROT_NONE|"
                              + "MAP_NORESERVE range over it rather than unmapping, so the "
                              + "address range stays reserved): the pages themselves stay in the "
                              + "memfd \"java_heap\", for ZGC to map again elsewhere or to give "
                              + "back with fallocate(FALLOC_FL_PUNCH_HOLE) when it uncommits",
                          Basis.PATTERN,
                          "PROT_NONE|MAP_NORESERVE MAP_FIXED in the ZGC view at " + hex(start))
                      .tag(
                          RegionClass.RESERVED,
                          (c.sp.zgcMultiMapped
                                  ? "ZGC heap view (" + ZGC_VIEWS.get(view) + ")"
                                  : "ZGC heap reservation")
                              + ", detached");
                }),
        Rule.on("jvm-uncommit", "mmap")
            .when(ok(), anon(), prot(), flag("MAP_FIXED"), flag("MAP_NORESERVE"), jvm(), tagged())
            .frames("os::uncommit_memory", "os::pd_uncommit_memory")
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  long off = c.addr() - MappingRules.reservationStart(s);
                  String whole = MappingRules.reservationName(s.tag());
                  return Said.of(
                          "HotSpot uncommits "
                              + c.length()
                              + " bytes at offset "
                              + hex(off)
                              + " of "
                              + whole
                              + " made at line "
                              + s.tag().line()
                              + ": os::uncommit_memory "
                              + "maps PROT_NONE|MAP_NORESERVE over them with MAP_FIXED, so their "
                              + "pages are dropped while the addresses stay reserved",
                          Basis.PATTERN,
                          "PROT_NONE|MAP_NORESERVE MAP_FIXED inside the range made "
                              + "at line "
                              + s.tag().line())
                      .tag(RegionClass.RESERVED, "uncommitted part of " + whole)
                      .within(s.tag());
                }),
        ZGC_VIEW,
        Rule.on("jvm-zgc-heap-map", "mmap")
            .when(
                ok(),
                file(),
                flag("MAP_SHARED"),
                flag("MAP_FIXED"),
                jvm(),
                c -> {
                  String p = c.filePath();
                  return p != null
                      && p.startsWith("/memfd:java_heap")
                      && c.sp.zgcViewLine > 0
                      && zgcViewOf(c.sp, c.addr()) >= 0;
                })
            .frames("ZPhysicalMemoryBacking::map", "ZPhysicalMemoryManager::map_view")
            .says(
                c -> {
                  int view = zgcViewOf(c.sp, c.addr());
                  long start = c.sp.zgcView << view;
                  String head =
                      "ZGC maps "
                          + c.length()
                          + " bytes of its heap memory (the memfd \"java_heap\", from offset "
                          + hex(c.offset())
                          + ") at offset "
                          + hex(c.addr() - start)
                          + " of its ";
                  return (c.sp.zgcMultiMapped
                          ? Said.of(
                              head
                                  + ZGC_VIEWS.get(view)
                                  + " view (ZPhysicalMemoryManager::map_view): the same pages are "
                                  + "mapped into each of the three views, so they are held once, "
                                  + "shared between the views (MAP_SHARED), not three times",
                              Basis.PATTERN,
                              "memfd java_heap MAP_SHARED|MAP_FIXED into the view at " + hex(start))
                          : Said.of(
                              head
                                  + "heap range reserved at line "
                                  + c.sp.zgcViewLine
                                  + " (ZPhysicalMemoryBacking::map): no second view of the range"
                                  + " was reserved, as in generational ZGC, so each page of the"
                                  + " memfd is mapped once",
                              Basis.PATTERN,
                              "memfd java_heap MAP_SHARED|MAP_FIXED into the range at "
                                  + hex(start)
                                  + "; no reservation at "
                                  + hex(start << 1)))
                      .tag(
                          RegionClass.FILE_SHARED,
                          "ZGC heap memory" + inView(c.sp, view),
                          c.filePath());
                }),
        Rule.on("jvm-heap-reserve", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_NORESERVE"),
                noFlag("MAP_FIXED"),
                jvm(),
                c -> c.addr() != 0 && c.addr() != c.sp.arenaHint,
                // once per JVM (a retry of the same size aside): later hinted reservations are the
                // class space above the heap, Shenandoah's collection set map, ZGC's other views
                c -> c.sp.zgcViewLine == 0 && (c.sp.javaHeap == 0 || c.length() == c.sp.javaHeap))
            .frames("os::reserve_memory", "os::attempt_reserve_memory_at")
            .effect(
                (c, before) -> {
                  c.sp.javaHeap = c.length();
                  c.sp.javaHeapLine = c.line();
                  c.sp.javaHeapBase = c.result();
                })
            .says(
                c -> {
                  long end = c.result() + c.length();
                  boolean unscaled = end == UNSCALED_OOPS_TOP;
                  boolean zeroBased = end == OOPS_TOP;
                  return Said.of(
                          "the JVM reserves the whole Java heap: "
                              + c.length()
                              + " bytes ("
                              + Human.bytes(c.length())
                              + ", the maximum heap size: -Xmx, by default "
                              + "a quarter of RAM) as PROT_NONE address space at a chosen address"
                              + (zeroBased
                                  ? "; it ends exactly at 32 GiB, so compressed oops need "
                                      + "no base (zero-based)"
                                  : "")
                              + (unscaled
                                  ? "; it ends exactly at 4 GiB, so compressed oops need "
                                      + "neither base nor shift (unscaled, a 32-bit address)"
                                  : "")
                              + ". Parts are committed later with mmap(MAP_FIXED)",
                          zeroBased || unscaled ? Basis.ARITHMETIC : Basis.PATTERN,
                          hex(c.result()) + " + " + c.length() + " = " + hex(end))
                      .tag(RegionClass.RESERVED, "Java heap reservation");
                }),
        Rule.on("jvm-g1-card-tables", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                jvm(),
                g1(),
                c ->
                    c.sp.javaHeap > 0
                        && c.sp.g1CardTables < 3
                        && c.length() == Glibc.alignUp(c.sp.javaHeap / 512, Glibc.PAGE))
            .effect((c, before) -> c.sp.g1CardTables++)
            .says(
                c ->
                    g1Table(
                        c,
                        512,
                        " side table for the Java heap reserved at line "
                            + c.sp.javaHeapLine
                            + ": one byte per 512-byte card (the card table, the block offset table "
                            + "or the card counts), reserved now and committed as the heap grows",
                        "; the Serial and Parallel collectors keep tables of this size too",
                        "card-sized side table")),
        Rule.on("jvm-g1-mark-bitmap", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                jvm(),
                g1(),
                // JDK 17's G1 has two (prev and next); with -Xmx2g G1's global mark stack
                // (G1CMMarkStack, MarkStackSize 4M entries: 32 MiB) has heap / 64 bytes too
                c ->
                    c.sp.javaHeap > 0
                        && c.sp.g1MarkBitmaps < 2
                        && c.length() == Glibc.alignUp(c.sp.javaHeap / 64, Glibc.PAGE))
            .effect((c, before) -> c.sp.g1MarkBitmaps++)
            .says(
                c ->
                    g1Table(
                        c,
                        64,
                        " marking bitmap for the Java heap reserved at line "
                            + c.sp.javaHeapLine
                            + ": one bit per 8-byte word, committed for the part of the heap in use",
                        "",
                        "mark bitmap")),
        Rule.on("jvm-polling-page", "mprotect")
            .when(
                ok(),
                jvm(),
                lengthIs(Glibc.PAGE),
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  if (s == null
                      || s.tag().base() < 0
                      || !s.tag().what().endsWith(2 * Glibc.PAGE + "-byte reservation")) {
                    return false;
                  }
                  long off = c.addr() - s.tag().base();
                  return off == 0 && c.prot().isEmpty()
                      || off == Glibc.PAGE && c.prot().equals(Set.of("PROT_READ"));
                })
            .frames("SafepointMechanism::default_initialize", "SafepointMechanism::initialize")
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  boolean bad = c.prot().isEmpty();
                  return Said.of(
                          "fits HotSpot's safepoint polling pages (SafepointMechanism::"
                              + "default_initialize reserves and commits two pages, made at line "
                              + s.tag().line()
                              + "): this is the "
                              + (bad
                                  ? "bad page, made PROT_NONE: a thread polling it while a "
                                      + "safepoint or handshake is armed faults into the VM"
                                  : "good page, made PROT_READ: polls of a disarmed thread read it "
                                      + "harmlessly"),
                          Basis.PATTERN,
                          "two-page reservation in a JVM; page "
                              + (bad ? 0 : 1)
                              + " made "
                              + c.protText())
                      .tag(
                          bad ? RegionClass.GUARD : RegionClass.ANON,
                          "safepoint polling page (" + (bad ? "bad" : "good") + ")")
                      .within(s.tag());
                }),
        Rule.on("jvm-code-cache-reserve", "mmap")
            .when(ok(), anon(), prot(), jvm(), lengthIs(240L << 20))
            .says(
                c ->
                    Said.of(
                            "the JIT code cache reserved whole: 240 MiB, HotSpot's default "
                                + "ReservedCodeCacheSize with tiered compilation; its segments (non-"
                                + "method, profiled, non-profiled code) are committed with RWX "
                                + "mmap(MAP_FIXED) later",
                            Basis.PATTERN,
                            "251658240 = 240 MiB PROT_NONE in a JVM")
                        .tag(RegionClass.RESERVED, "JIT code cache reservation")),
        Rule.on("jvm-code-cache", "mmap")
            .when(
                ok(),
                anon(),
                flag("MAP_FIXED"),
                jvm(),
                prot("PROT_READ", "PROT_WRITE", "PROT_EXEC"))
            .says(
                c ->
                    Said.of(
                            "the JVM commits "
                                + c.length()
                                + " bytes of its JIT code cache read-write-"
                                + "execute: compiled methods and stubs are written and run here "
                                + "(one of the code heap segments, committed at its initial size)",
                            Basis.PATTERN,
                            "anonymous RWX MAP_FIXED in a JVM")
                        .tag(RegionClass.ANON, "JIT code cache")),
        Rule.on("jvm-cds-archive", "mmap")
            .when(
                ok(),
                file(),
                jvm(),
                c -> {
                  String p = c.filePath();
                  return p != null && p.endsWith(".jsa");
                })
            .frames(
                "FileMapInfo::map_region",
                "FileMapInfo::map_regions",
                "MetaspaceShared::map_archives")
            .effect(JvmRules::cdsReservation)
            .says(
                c -> {
                  TagMap.Span s =
                      c.mapFlags().contains("MAP_FIXED") ? c.sp.tags.at(c.addr()) : null;
                  String where =
                      s == null
                          ? ""
                          : " at offset "
                              + hex(c.addr() - MappingRules.reservationStart(s))
                              + " of "
                              + MappingRules.reservationName(s.tag())
                              + " made at line "
                              + s.tag().line();
                  boolean inHeap =
                      s != null
                          && c.sp.javaHeap > 0
                          && c.addr() >= c.sp.javaHeapBase
                          && c.addr() - c.sp.javaHeapBase < c.sp.javaHeap;
                  return Said.of(
                          "HotSpot maps a region of its class data sharing (CDS) archive "
                              + c.filePath()
                              + ": "
                              + c.length()
                              + " bytes from file offset "
                              + hex(c.offset())
                              + where
                              + (inHeap
                                  ? ": archived Java objects (interned strings, class mirrors), "
                                      + "which FileMapInfo::map_heap_regions_impl maps into the "
                                      + "Java heap near its top, the closed archive regions at the "
                                      + "top and the open ones below them (G1 only); "
                                  : " (FileMapInfo maps the archive's regions: class metadata "
                                      + "parsed ahead of time, and a bitmap used while relocating "
                                      + "them), ")
                              + "read from the file on first touch and "
                              + (c.prot().contains("PROT_WRITE")
                                  ? "copied on write " + "(MAP_PRIVATE)"
                                  : "shared read-only through the page cache"),
                          Basis.PATTERN,
                          "a .jsa file mapped in a JVM")
                      .tag(
                          RegionClass.FILE_PRIVATE,
                          inHeap ? "CDS archived heap objects" : "CDS archive region",
                          c.filePath());
                }),
        Rule.on("jvm-jimage", "mmap")
            // in a JVM only: git add of a copied JDK tree maps jdk/lib/modules to hash it
            .when(ok(), file(), pathContains("/lib/modules"), jvm())
            .says(
                c ->
                    Said.of(
                            "the JDK's class library image (jimage, lib/modules) mapped whole, "
                                + c.length()
                                + " bytes ("
                                + Human.bytes(c.length())
                                + "): classes are read "
                                + "from it on demand through the page cache",
                            Basis.PATTERN,
                            "file " + c.fileName())
                        .tag(RegionClass.FILE_SHARED, "jimage lib/modules", c.filePath())),
        Rule.on("jvm-java-thread-stack", "mmap")
            .when(ok(), anon(), prot("PROT_READ", "PROT_WRITE"), flag("MAP_STACK"), jvm())
            .says(
                c ->
                    Said.of(
                            "a Java thread's stack: "
                                + c.length()
                                + " bytes ("
                                + Human.bytes(c.length())
                                + ", ThreadStackSize) mapped RW at once, without a glibc guard page: "
                                + "HotSpot sets up its own guard zones in it once the "
                                + "thread runs (a mmap(MAP_FIXED) and an mprotect PROT_NONE)",
                            Basis.PATTERN,
                            "MAP_STACK RW in a JVM")
                        .tag(RegionClass.THREAD_STACK, "Java thread stack")));
  }

  /**
   * The CDS archive mapped over a reservation: that reservation (still waiting in the window) is
   * the archive's and the compressed class space's, reserved together.
   */
  private static void cdsReservation(Ctx c, TagMap.Span before) {
    if (before == null
        || before.tag().cls() != RegionClass.RESERVED
        || before.tag().base() < 0
        || before.tag().base() != c.addr()) {
      return;
    }
    Tag t = before.tag();
    c.ex.retell(
        t,
        MappingRules.RESERVATION,
        new Explanation(
            "jvm-cds-class-space",
            "likely HotSpot's CDS archive and compressed class space, reserved together "
                + "(MetaspaceShared::reserve_address_space_for_archives): the archive is mapped "
                + "at its start (line "
                + c.line()
                + "), the class space (CompressedClassSpaceSize, "
                + "1 GiB by default) follows and is committed as classes load",
            Basis.PATTERN,
            List.of(
                "the .jsa mapping at line "
                    + c.line()
                    + " starts at this "
                    + "reservation's start")));
  }

  /**
   * ZGC's heap views in the order it reserves them, each at twice the address of the one before.
   */
  private static final List<String> ZGC_VIEWS = List.of("marked0", "marked1", "remapped");

  /**
   * Which ZGC heap view this reservation fits: 0 for the first (a power of two from 4 TiB to 64
   * TiB, ZGranuleSize-aligned in size: JDK 17's ZPlatformAddressOffsetBits on x86-64), 1 and 2 for
   * the same size at twice and four times its address; -1 for none.
   */
  private static int zgcView(Ctx c) {
    long a = c.addr();
    if (c.sp.zgcViewLine == 0 || c.sp.zgcViewLine == c.line()) {
      return Long.bitCount(a) == 1 && a >= 1L << 42 && a <= 1L << 46 && c.length() % (2L << 20) == 0
          ? 0
          : -1;
    }
    if (c.length() != c.sp.zgcViewSize) {
      return -1;
    }
    return a == c.sp.zgcView << 1 ? 1 : a == c.sp.zgcView << 2 ? 2 : -1;
  }

  /**
   * The first reservation of ZGC's heap at addr: told for both ZGCs until a second view shows the
   * heap multi-mapped (then retold, with that view's line as {@code marked1Line}).
   */
  private static String zgcHeap(long addr, long len, int marked1Line) {
    String size =
        " 16 times the maximum heap size (ZVirtualToPhysicalRatio) unless ZGC's address space"
            + " limit caps it, so "
            + len
            + " bytes ("
            + Human.bytes(len)
            + ") fit a maximum heap of "
            + len / 16
            + " bytes ("
            + Human.bytes(len / 16)
            + ")";
    if (marked1Line > 0) {
      return "fits ZGC's Java heap (x86-64), multi-mapped as non-generational ZGC (JDK 17 to 22)"
          + " does: it reserves the heap's address range three times, as the marked0, marked1"
          + " and remapped views of the same memory at 2^n, 2^(n+1) and 2^(n+2)"
          + " (reserve_contiguous, zVirtualMemoryManager.cpp); this is the marked0 view, at 2^"
          + Long.numberOfTrailingZeros(addr)
          + ", and the marked1 view follows at line "
          + marked1Line
          + ". A view is"
          + size
          + ". The heap's memory is a memfd (\"java_heap\") mapped MAP_SHARED|MAP_FIXED into all"
          + " three views as it is committed, so its pages appear three times in the address"
          + " space but are held once";
    }
    return "fits ZGC's Java heap (x86-64): ZGC reserves its heap's address range at a power of"
        + " two, here 2^"
        + Long.numberOfTrailingZeros(addr)
        + " (reserve_contiguous, zVirtualMemoryManager.cpp),"
        + size
        + ". The heap's memory is a memfd (\"java_heap\") mapped into it with MAP_SHARED|MAP_FIXED"
        + " as it is committed. Non-generational ZGC (JDK 17 to 20, the default in JDK 21 and 22)"
        + " reserves the same range twice more, as the marked1 and remapped views at 2^(n+1) and"
        + " 2^(n+2), this one being marked0, and maps each page into all three; generational ZGC"
        + " (the default from JDK 23, the only one from JDK 24) reserves this one range: the"
        + " reservations that follow tell which";
  }

  private static String zgcHeapEvidence(long addr) {
    return "PROT_NONE|MAP_NORESERVE at "
        + hex(addr)
        + " = 2^"
        + Long.numberOfTrailingZeros(addr)
        + " in a JVM";
  }

  /** " (marked1 view)" where ZGC multi-maps its heap; nothing where it has one range. */
  private static String inView(Space sp, int view) {
    return sp.zgcMultiMapped ? " (" + ZGC_VIEWS.get(view) + " view)" : "";
  }

  /** The ZGC view an address lies in (only the first where ZGC reserved one range), or -1. */
  private static int zgcViewOf(Space sp, long addr) {
    for (int v = 0; v < (sp.zgcMultiMapped ? 3 : 1); v++) {
      long start = sp.zgcView << v;
      if (addr >= start && addr - start < sp.zgcViewSize) {
        return v;
      }
    }
    return -1;
  }

  /**
   * G1 may be the collector: an option the trace shows chose it, or none chose another. Another
   * collector's side tables can have G1's sizes (ParallelGC's object start array is heap / 512
   * bytes too).
   */
  static Predicate<Ctx> g1() {
    return c -> {
      String gc = c.sp.jvmOptions.collector();
      return gc == null || gc.equals("G1");
    };
  }

  /**
   * A G1 table of heap / per bytes: "a G1" and what it is, as arithmetic, when an option named G1;
   * else "fits a G1", why only that ({@link #notNamedG1}) and what else has this size.
   */
  private static Said g1Table(Ctx c, long per, String what, String others, String label) {
    String sum = c.sp.javaHeap + " / " + per + " = " + c.sp.javaHeap / per;
    String evidence = sum + ", page-aligned " + c.length();
    String hedge = notNamedG1(c);
    return hedge == null
        ? Said.of("a G1" + what + " (" + sum + ")", Basis.ARITHMETIC, evidence)
            .tag(RegionClass.RESERVED, "G1 " + label)
        : Said.of("fits a G1" + what + " (" + sum + "); " + hedge + others, Basis.PATTERN, evidence)
            .tag(RegionClass.RESERVED, label + " (G1's, likely)");
  }

  /**
   * Why a G1 table's sentence can only say "fits": the clause naming what the trace does not show,
   * or null when an option named G1.
   */
  private static String notNamedG1(Ctx c) {
    JvmOptions o = c.sp.jvmOptions;
    if ("G1".equals(o.collector())) {
      return null;
    }
    return o.unseen() != null
        ? "no option the trace shows names the collector, but " + o.unseen() + " may name one"
        : "no option the trace shows names the collector, and HotSpot's ergonomics "
            + "(GCConfig::select_gc_ergonomically) choose G1 only on a machine with two or more "
            + "CPUs and about 2 GiB or more of memory, else Serial";
  }

  /** HotSpot runs in this space: libjvm.so was loaded, the program is java, or -k shows it. */
  static Predicate<Ctx> jvm() {
    return c -> c.sp.jvm || c.sp.runs().equals("java") || c.stackIn("/libjvm.so");
  }
}
