package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.decode.Mbind;
import dev.memtrace.decode.Mmap;
import dev.memtrace.decode.Mremap;
import dev.memtrace.explain.Rule.Said;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.MemoryOps;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Anonymous mappings that are not malloc's or ld.so's: big PROT_NONE reservations of runtimes (JVM)
 * and their commits, CPython's own allocators, direct anonymous maps (by size, protection and flags
 * malloc never uses), and the generic reading of munmap/mprotect/madvise/mremap on a range whose
 * origin is known from a tag or from the model (mmap(2), mprotect(2), madvise(2), mremap(2)).
 */
final class MappingRules {
  private MappingRules() {}

  /** What each madvise advice asks of the kernel. */
  static final Map<String, String> ADVICE =
      Map.ofEntries(
          Map.entry(
              "MADV_DONTNEED",
              "drop the pages now (private anonymous memory reads back as "
                  + "zeros); the mapping stays"),
          Map.entry(
              "MADV_FREE",
              "the pages may be reclaimed lazily; until then they keep their " + "data"),
          Map.entry(
              "MADV_WILLNEED",
              "it will be used soon: the kernel starts reading a file mapping's pages into the "
                  + "page cache (and anonymous pages back from swap) ahead of the accesses"),
          Map.entry("MADV_SEQUENTIAL", "expect sequential access: read ahead more, drop early"),
          Map.entry("MADV_RANDOM", "expect random access: no read-ahead"),
          Map.entry("MADV_NORMAL", "back to default paging"),
          Map.entry("MADV_HUGEPAGE", "back the range with transparent huge pages when possible"),
          Map.entry("MADV_NOHUGEPAGE", "never use transparent huge pages here"),
          Map.entry("MADV_DONTFORK", "do not copy the range into children made by fork"),
          Map.entry("MADV_DOFORK", "copy the range into children again"),
          Map.entry("MADV_DONTDUMP", "leave the range out of core dumps"),
          Map.entry("MADV_DODUMP", "include the range in core dumps again"),
          Map.entry("MADV_WIPEONFORK", "children see the range zero-filled"),
          Map.entry("MADV_MERGEABLE", "let KSM merge identical pages"),
          Map.entry("MADV_COLD", "deactivate the pages (reclaim them first)"),
          Map.entry("MADV_PAGEOUT", "reclaim the pages now"),
          Map.entry("MADV_REMOVE", "free the backing store of a shared range"),
          Map.entry("MADV_POPULATE_READ", "fault the pages in now (read)"),
          Map.entry("MADV_POPULATE_WRITE", "fault the pages in now (write)"));

  /** A PROT_NONE reservation (retold when the CDS archive is mapped at its start). */
  static final Rule RESERVATION =
      Rule.on("reservation", "mmap").when(ok(), anon(), prot()).says(MappingRules::reservation);

  private static Said reservation(Ctx c) {
    String head =
        "reserves "
            + c.length()
            // the kernel maps whole pages (do_mmap: len = PAGE_ALIGN(len))
            + " bytes"
            + (c.length() % Glibc.PAGE == 0
                ? ""
                : " (" + Glibc.alignUp(c.length(), Glibc.PAGE) + ": the kernel maps whole pages)")
            + " of address space PROT_NONE"
            + (c.mapFlags().contains("MAP_NORESERVE") ? "|MAP_NORESERVE" : "");
    String uses =
        "it fits memory whose parts are made usable later (mprotect, mmap(MAP_FIXED), mremap with"
            + " MREMAP_FIXED), or a guard that stays PROT_NONE so that a stray access faults. ";
    String text;
    if (hugetlbReserved(c)) {
      text =
          head
              + " with MAP_HUGETLB: nothing is mapped yet, but without MAP_NORESERVE the kernel"
              + " sets the range's huge pages aside from the pool now (hugetlb_reserve_pages;"
              + " HugePages_Rsvd rises), so it fails when too few are free; "
              + uses
              + MallocEnv.hugetlbMalloc(c.sp);
    } else if (AllocatorRules.sanitizer(c.sp) && c.mapFlags().contains("MAP_FIXED")) {
      text =
          head
              + ": nothing is committed or charged to overcommit; at a fixed address it fits "
              + c.sp.allocator
              + "'s own layout (its runtime mapped before libc.so.6 at line "
              + c.sp.allocatorLine
              + "): the sanitizer reserves ranges it commits piece by piece later, and maps the"
              + " gaps between its ranges PROT_NONE so that a wild access faults (ProtectGap in"
              + " sanitizer_common, TSan's ProtectRange), never to be used; the call alone does"
              + " not tell which this is";
    } else if (sbclGuardPage(c)) {
      text =
          head
              + ": nothing is committed or charged to overcommit; one page that fits SBCL's guard"
              + " page for undefined foreign variables: ensure_undefined_alien"
              + " (src/runtime/validate.c) maps it PROT_NONE through os_alloc_gc_space"
              + " (linux-mman.c) and keeps its address as undefined_alien_address; it is not made"
              + " usable later: an access to an undefined foreign variable faults there, and"
              + " SBCL's SIGSEGV handler (handle_guard_page_triggered, interrupt.c) turns the"
              + " fault into an UNDEFINED-ALIEN-VARIABLE-ERROR";
    } else if (overUsableMemory(c)) {
      return overUsable(c);
    } else {
      text = head + ": nothing is committed or charged to overcommit; " + uses + reserverWords(c);
    }
    return Said.of(text, Basis.PATTERN, "anonymous PROT_NONE mapping")
        .tag(RegionClass.RESERVED, c.length() + "-byte reservation");
  }

  /**
   * Whether a MAP_FIXED PROT_NONE mmap lands wholly on private anonymous memory the model holds
   * usable (not PROT_NONE), inside one range a tag names: the kernel unmaps what was there first
   * (mmap_region), so it is no reservation of new address space but memory given back.
   */
  private static boolean overUsableMemory(Ctx c) {
    if (!c.mapFlags().contains("MAP_FIXED")) {
      return false;
    }
    long start = c.addr();
    long end = start + Glibc.alignUp(c.length(), Glibc.PAGE);
    TagMap.Span s = c.sp.tags.at(start);
    if (s == null || s.end() < end || s.tag().cls() == RegionClass.RESERVED) {
      return false;
    }
    long covered = 0;
    for (var ch : c.changes) {
      Region r = ch.before();
      if (r == null || r.end() <= start || r.start() >= end) {
        continue;
      }
      if (!r.isAnonymous() || r.perms().startsWith("---") || r.perms().charAt(3) != 'p') {
        return false;
      }
      covered += Math.min(r.end(), end) - Math.max(r.start(), start);
    }
    return covered == end - start;
  }

  /**
   * mmap(MAP_FIXED, PROT_NONE) over memory the program could use: the pages are freed, the range
   * kept. mozjemalloc decommits so on Linux (pages_decommit in memory/build/mozjemalloc.cpp, then
   * names the range "jemalloc-decommitted"), HotSpot likewise with MAP_NORESERVE (jvm-uncommit).
   */
  private static Said overUsable(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    long pages = Glibc.alignUp(c.length(), Glibc.PAGE);
    String text =
        "maps "
            + c.length()
            + " bytes"
            + (pages == c.length() ? "" : " (" + pages + ": the kernel maps whole pages)")
            + " PROT_NONE"
            + (c.mapFlags().contains("MAP_NORESERVE") ? "|MAP_NORESERVE" : "")
            + " with MAP_FIXED over memory the program could use, at offset "
            + hex(c.addr() - reservationStart(s))
            + " of "
            + within(s)
            + ": the kernel unmaps what was there first (mmap_region), so those pages are freed"
            + " and what they held is gone, while the addresses stay the program's: an access"
            + " faults, and pages made usable there again read as zeros. Nothing new is committed;"
            + " it fits an allocator giving back pages whose address range it keeps (a decommit:"
            + " mozjemalloc's pages_decommit maps PROT_NONE so) or a guard laid over memory, the"
            + " call alone does not tell which";
    return Said.of(
            text,
            Basis.PATTERN,
            "PROT_NONE MAP_FIXED over usable anonymous memory made at line " + s.tag().line())
        .tag(RegionClass.RESERVED, "PROT_NONE part of " + reservationName(s.tag()))
        .within(s.tag());
  }

  /**
   * SBCL's runtime (the sbcl executable): os_alloc_gc_space (src/runtime/linux-mman.c) maps every
   * space PROT_READ|PROT_WRITE|PROT_EXEC|MAP_NORESERVE, and PROT_NONE only for IS_GUARD_PAGE, which
   * ensure_undefined_alien (validate.c) asks for: one page at an address of the kernel's choosing.
   */
  static boolean sbclGuardPage(Ctx c) {
    return c.sp.runs().equals("sbcl")
        && c.length() == Glibc.PAGE
        && c.mapFlags().contains("MAP_NORESERVE")
        && !c.mapFlags().contains("MAP_FIXED");
  }

  /**
   * A PROT_NONE MAP_HUGETLB mapping without MAP_NORESERVE: hugetlbfs_file_mmap reserves its huge
   * pages at mmap (hugetlb_reserve_pages), whatever the protection.
   */
  private static boolean hugetlbReserved(Ctx c) {
    return c.mapFlags().contains("MAP_HUGETLB") && !c.mapFlags().contains("MAP_NORESERVE");
  }

  /** Who reserves like this, as the reservation row says it outside a sanitizer's fixed layout. */
  private static String reserverWords(Ctx c) {
    return (JvmRules.jvm().test(c)
        ? "In a JVM this is one of HotSpot's reservations (os::reserve_memory: "
            + "metaspace, class space, a GC table or a VM page); its size "
            + "alone does not tell which"
        : "mimalloc".equals(c.sp.allocator) && c.mapFlags().contains("MAP_NORESERVE")
            ? "It fits mimalloc reserving memory it has not committed "
                + "(mi_unix_mmap maps PROT_NONE when asked for memory "
                + "uncommitted, and mi_os_commitx commits parts later "
                + "with mprotect PROT_READ|PROT_WRITE): "
                + AllocatorRules.mimallocNoreserve(c.sp)
                + "; the program or another library may reserve like "
                + "this too"
            : "Runtimes (a JVM's heap, V8's cage and code range) and "
                + "allocators reserve like this; the call alone does not "
                + "tell whose it is");
  }

  /** GHC's megablock: MBLOCK_SIZE, 1 MiB (rts/include/rts/Constants.h: MBLOCK_SHIFT 20). */
  static final long MBLOCK = 1L << 20;

  /**
   * GHC's heap hint on 64-bit: osReserveHeapMemory tries 0x4200000000 + attempt * BLOCK_SIZE
   * (4096), moving up a block each time the kernel put the reservation elsewhere.
   */
  static boolean ghcHint(long addr) {
    long off = addr - 0x4200000000L;
    return off >= 0 && off < MBLOCK && off % Glibc.PAGE == 0;
  }

  /**
   * Mono: the mono executable (SGen linked in) or a program that loaded libmonosgen. SGen maps its
   * memory with mono_valloc, which calls mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|
   * MAP_ANONYMOUS) itself (mono/utils/mono-mmap.c), in whole pages: malloc's shape.
   */
  static boolean mono(Space sp) {
    String p = sp.runs();
    return sp.monoLoaded || p.equals("mono") || p.startsWith("mono-sgen");
  }

  /**
   * A mapping of malloc's mmap shape in a Mono process: SGen's large objects get pages of their own
   * (sgen_los_alloc_large_inner: sgen_alloc_os_memory of ALIGN_UP(size + sizeof (LOSObject), page),
   * unmapped whole by sgen_free_os_memory when the object dies), so a whole munmap of it need not
   * be free(): it is tagged as anonymous memory, and glibc's dynamic threshold is not moved by it.
   */
  private static Said mallocOrMono(Ctx c) {
    long len = c.length();
    return Said.of(
            "an anonymous PROT_READ|PROT_WRITE mapping of "
                + len
                + " bytes: its shape fits glibc malloc's mmap path (malloc(n) for n from "
                + Glibc.smallestMmappedRequest(len)
                + " to "
                + Glibc.largestMmappedRequest(len)
                + "), but this is a Mono process, whose SGen collector maps memory of this "
                + "shape itself with mono_valloc: a large object gets pages of its own "
                + "(sgen_los_alloc_large_inner maps ALIGN_UP(its size + the LOSObject header, "
                + "4096) and sgen_free_os_memory unmaps them whole when it dies), and so do its "
                + "nursery and major-heap blocks; which of the two asked for it the trace does not "
                + "tell (with -k, the stack does), so its munmap is not counted as a free() that "
                + "raises malloc's mmap threshold",
            Basis.PATTERN,
            "whole pages, PROT_READ|PROT_WRITE at NULL, in " + c.sp.runs())
        .tag(RegionClass.ANON, len + MALLOC_OR_SGEN);
  }

  /** The malloc-or-mono row, which a munmap of part of its mapping retells (unmap-not-malloc). */
  static final Rule MALLOC_OR_MONO =
      Rule.on("malloc-or-mono", "mmap")
          .when(
              ok(),
              privateAnonRwAtNull(),
              c -> c.length() % Glibc.PAGE == 0 && c.length() - 16 >= c.sp.mmapThreshold,
              c -> !c.sp.noMmapChunks,
              c -> mono(c.sp),
              c -> c.ev.stack().isEmpty())
          .says(MappingRules::mallocOrMono);

  /** How the malloc-or-mono row's tag ends: which of the two made it, the mmap did not tell. */
  private static final String MALLOC_OR_SGEN =
      "-byte anonymous mapping (a malloc chunk or SGen memory)";

  /** Whether the tag is one the malloc-or-mono row gave, not yet told apart. */
  static boolean mallocOrSgen(Tag t) {
    return t.cls() == RegionClass.ANON && t.what().endsWith(MALLOC_OR_SGEN);
  }

  /** ERTS_LITERAL_VIRTUAL_AREA_SIZE (erts/emulator/sys/common/erl_mmap.h): 1 GiB. */
  static final long ERTS_LITERAL_AREA = 1L << 30;

  /** V8's guard region for a 32-bit WebAssembly memory: kFullGuardSize (backing-store.cc). */
  static final long WASM_FULL_GUARD = 10L << 30;

  /** Runtimes' own allocators, read before malloc's rows (their sizes could pass for malloc's). */
  /**
   * The huge page size a MAP_HUGETLB mmap asks for: the log2 of it in the bits from MAP_HUGE_SHIFT
   * (26) up, as strace prints 21<<MAP_HUGE_SHIFT; with none, the default size (Hugepagesize in
   * /proc/meminfo), taken as x86-64's 2 MiB, which the trace does not show.
   */
  static long hugePageSize(Ctx c) {
    return MemoryOps.hugePageSize(mmapFlags(c));
  }

  /** An mmap's flags as a number, 0 for another call or flags the line does not give. */
  private static long mmapFlags(Ctx c) {
    return c.call instanceof Mmap m ? m.flags().orElse(0) : 0;
  }

  /**
   * "; the kernel rounds the length up to whole huge pages: N bytes ..." for an anonymous
   * MAP_HUGETLB mmap whose length is not whole huge pages; "" when it is.
   */
  static String hugePagesRounding(Ctx c, long len) {
    long size = MemoryOps.hugePagesUp(len, mmapFlags(c));
    if (size == 0 || size == LinuxFlags.pageUp(len)) {
      return "";
    }
    return "; the kernel maps the length rounded up to whole huge pages, "
        + size
        + " bytes (ksys_mmap_pgoff)"
        + (hugePageNamed(c)
            ? ""
            : ", with the default huge page size taken as x86-64's 2 MiB (Hugepagesize in"
                + " /proc/meminfo), which the trace does not show");
  }

  /** Whether a MAP_HUGETLB mmap names its huge page size (21<<MAP_HUGE_SHIFT). */
  static boolean hugePageNamed(Ctx c) {
    return MemoryOps.hugePageNamed(mmapFlags(c));
  }

  /**
   * The same thread's next mapping after a private MAP_HUGETLB mmap failed, of a length that the
   * failed one is rounded up from (ksys_mmap_pgoff aligns a MAP_HUGETLB length to the huge page
   * size): the request again in ordinary pages. glibc malloc falls back so only where
   * glibc.malloc.hugetlb is 2 or a page size (sysmalloc tries sysmalloc_mmap with mp_.hp_pagesize,
   * then with the page size); MariaDB's my_large_malloc does so for --large-pages.
   */
  static boolean hugetlbFallback(Ctx c) {
    Space sp = c.sp;
    return sp.failedHugeLine > 0
        && c.tid() == sp.failedHugeTid
        && sp.memoryEvents == sp.failedHugeEvents
        && !c.mapFlags().contains("MAP_HUGETLB")
        && c.mapFlags().contains("MAP_SHARED") == sp.failedHugeShared
        && c.length() > 0
        && Glibc.alignUp(c.length(), sp.failedHugePage) == sp.failedHugeLen;
  }

  /**
   * For shared anonymous memory right after a shared MAP_HUGETLB mmap of its rounded size failed:
   * the clause that says it is the same request in ordinary pages, naming PostgreSQL's
   * CreateAnonymousSharedMemory in postgres (huge_pages=try falls back so, with the size asked
   * for); else "".
   */
  static String sharedHugetlbFallback(Ctx c) {
    if (!hugetlbFallback(c)) {
      return "";
    }
    Space sp = c.sp;
    return "; "
        + sameRequest(c)
        + ")"
        + (sp.runs().equals("postgres") || sp.runs().equals("postmaster")
            ? ", as PostgreSQL's CreateAnonymousSharedMemory (sysv_shmem.c) falls back with"
                + " huge_pages=try"
            : "");
  }

  /**
   * "the same thread's next mapping after its mmap with MAP_HUGETLB failed at line N: the same
   * request in ordinary pages (LEN bytes rounded up to whole SIZE huge pages is the LEN' that line
   * asked for", its parenthesis left open for the caller.
   */
  private static String sameRequest(Ctx c) {
    Space sp = c.sp;
    return "the same thread's next mapping after its mmap with MAP_HUGETLB failed at line "
        + sp.failedHugeLine
        + ": the same request in ordinary pages ("
        + c.length()
        + " bytes rounded up to whole "
        + Human.bytes(sp.failedHugePage)
        + " huge pages"
        + (sp.failedHugeNamed
            ? ""
            : " (x86-64's usual default Hugepagesize; the call names no size)")
        + " is the "
        + sp.failedHugeLen
        + " that line asked for";
  }

  private static Said hugetlbFallbackSays(Ctx c) {
    Space sp = c.sp;
    long len = c.length();
    boolean wholePages = len % Glibc.PAGE == 0;
    long v = MallocEnv.hugetlb(sp);
    String entry = MallocEnv.hugetlbEntry(sp);
    boolean glibc = !AllocatorRules.foreign(sp);
    String whose;
    boolean malloc = false;
    if (!wholePages) {
      whose =
          "; "
              + len
              + " is not whole pages (the kernel maps "
              + Glibc.alignUp(len, Glibc.PAGE)
              + "), which glibc malloc's mappings always are, so the program or a library falls"
              + " back so itself";
    } else if (!glibc) {
      whose = "; the program, a library or its allocator falls back so";
    } else {
      String how =
          "; glibc malloc falls back so when GLIBC_TUNABLES sets glibc.malloc.hugetlb to 2 or a"
              + " huge page size (sysmalloc tries sysmalloc_mmap with the huge page size, then with"
              + " the page size)";
      if (v >= 2 || entry != null && v < 0) {
        // a value of 2 or a page size sets it; one strace cut may
        malloc = v >= 2;
        whose =
            how
                + ", and the environment execve passed at line "
                + sp.envLine
                + " sets "
                + entry
                + " (strace -v shows it)"
                + (malloc ? "" : ", which may set it")
                + ": this fits malloc as well as the program or a library falling back itself";
      } else if (sp.envLine != 0) {
        whose =
            how
                + ", and the environment execve passed at line "
                + sp.envLine
                + " does not (strace -v shows it), so the program or a library falls back itself";
      } else {
        whose =
            how
                + ", which the trace does not show (strace -v prints execve's environment): unless"
                + " it does, the program or a library falls back itself";
      }
    }
    String runs = sp.runs();
    if (runs.equals("mariadbd") || runs.equals("mysqld")) {
      whose +=
          "; in MariaDB it fits my_large_malloc (mysys/my_largepage.c), which with --large-pages"
              + " tries each huge page size in turn, then ordinary pages with the size asked for";
    }
    Said said =
        Said.of(
            sameRequest(c)
                + ", as ksys_mmap_pgoff rounds a MAP_HUGETLB length), a"
                + " fallback from huge pages"
                + whose,
            Basis.PATTERN,
            "ALIGN_UP(" + len + ", " + sp.failedHugePage + ") = " + sp.failedHugeLen,
            "line " + sp.failedHugeLine);
    return malloc
        ? said.tag(RegionClass.MALLOC_MMAP, len + "-byte mapping")
        : said.tag(RegionClass.ANON, len + "-byte anonymous mapping");
  }

  static List<Rule> runtimeRules() {
    return List.of(
        Rule.on("hugetlb-fallback", "mmap")
            .when(
                ok(),
                anon(),
                addrNull(),
                flag("MAP_PRIVATE"),
                c -> !c.prot().isEmpty(),
                MappingRules::hugetlbFallback)
            .effect((c, before) -> c.sp.failedHugeLine = 0)
            .says(MappingRules::hugetlbFallbackSays),
        Rule.on("v8-wasm-memory", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_NORESERVE"),
                noFlag("MAP_FIXED"),
                v8(),
                c -> c.length() >= WASM_FULL_GUARD && c.length() < WASM_FULL_GUARD + (64 << 10))
            .frames(
                "v8::internal::BackingStore::TryAllocateAndPartiallyCommitMemory",
                "v8::internal::BackingStore::AllocateWasmMemory")
            .says(
                c ->
                    Said.of(
                            "fits V8's reservation for a WebAssembly memory with guard regions: "
                                + "10 GiB of address space (kFullGuardSize in V8's "
                                + "src/objects/backing-store.cc"
                                + (c.length() > WASM_FULL_GUARD
                                    ? ", here with "
                                        + (c.length() - WASM_FULL_GUARD)
                                        + " bytes of slack for alignment"
                                    : "")
                                + "): the memory starts 2 GiB in (kNegativeGuardSize), and a "
                                + "32-bit index plus offset stays within the 8 GiB above its "
                                + "start; what the memory does not use stays PROT_NONE so that an "
                                + "out-of-bounds access faults and V8's trap handler turns the "
                                + "SIGSEGV into a WebAssembly trap; only the memory's own pages "
                                + "are made read-write, with mprotect, as it is created and grown",
                            Basis.PATTERN,
                            c.length()
                                + " bytes PROT_NONE|MAP_NORESERVE in node, 10 GiB = "
                                + WASM_FULL_GUARD)
                        .tag(RegionClass.RESERVED, "V8 WebAssembly memory reservation")),
        Rule.on("v8-reservation", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_NORESERVE"),
                noFlag("MAP_FIXED"),
                c -> c.addr() != 0,
                v8())
            .frames(
                "v8::internal::VirtualMemory::VirtualMemory",
                "v8::base::PageAllocator::AllocatePages",
                "v8::base::OS::Allocate")
            .says(
                c ->
                    Said.of(
                            "likely V8's: it reserves "
                                + c.length()
                                + " bytes ("
                                + Human.bytes(c.length())
                                + ") of address space PROT_NONE|MAP_NORESERVE at a hint address ("
                                + hex(c.addr())
                                + "; V8's page allocator picks random hints) and "
                                + "commits pieces later with mprotect: heap pages, the code range. "
                                + "Not a glibc malloc arena, which is reserved at NULL (128 MiB) or "
                                + "at a 64 MiB-aligned hint (64 MiB)",
                            Basis.PATTERN,
                            "hinted PROT_NONE|MAP_NORESERVE mmap in node")
                        .tag(RegionClass.RESERVED, "V8 reservation of " + c.length() + " bytes")),
        Rule.on("v8-code-pages", "mprotect")
            .when(
                ok(),
                v8(),
                c -> c.prot().contains("PROT_EXEC"),
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  return s != null && s.tag().what().startsWith("V8 ");
                })
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  long off = c.addr() - reservationStart(s);
                  return Said.of(
                          "makes "
                              + c.length()
                              + " bytes at offset "
                              + hex(off)
                              + " of the V8 "
                              + "reservation made at line "
                              + s.tag().line()
                              + " "
                              + c.protText()
                              + ": executable pages in a JIT runtime's reservation are its code "
                              + "space (likely V8's generated code: builtins, compiled functions)",
                          Basis.PATTERN,
                          "PROT_EXEC inside the reservation made at line " + s.tag().line())
                      .tag(RegionClass.ANON, "V8 code pages")
                      .within(s.tag());
                }),
        Rule.on("guard-after-failed-mprotect", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_FIXED"),
                c ->
                    c.sp.failedGuardLine > 0
                        && c.addr() == c.sp.failedGuardAddr
                        && c.length() == c.sp.failedGuardLen)
            .effect((c, before) -> c.sp.failedGuardLine = 0)
            .says(
                c ->
                    Said.of(
                            "maps "
                                + c.length()
                                + " bytes PROT_NONE with MAP_FIXED exactly where the "
                                + "mprotect(PROT_NONE) at line "
                                + c.sp.failedGuardLine
                                + " failed with ENOMEM, as it does where nothing is mapped: the "
                                + "range ends up inaccessible either way, a guard zone where any "
                                + "access faults (SIGSEGV)"
                                + (mono(c.sp)
                                    ? ". It fits Mono's stack-overflow guard: mono_setup_altstack "
                                        + "(mono/mini/mini-exceptions.c) protects 32 KiB one page above the "
                                        + "lowest address the thread's stack may reach, and for the "
                                        + "main thread, whose stack has not grown that far, maps it "
                                        + "instead"
                                    : ""),
                            Basis.ARITHMETIC,
                            "mprotect("
                                + hex(c.addr())
                                + ", "
                                + c.length()
                                + ", PROT_NONE) = -1 ENOMEM at line "
                                + c.sp.failedGuardLine)
                        .tag(RegionClass.GUARD, c.length() + "-byte guard zone")),
        Rule.on("ghc-heap-reserve", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_NORESERVE"),
                noFlag("MAP_FIXED"),
                c -> ghcHint(c.addr()) && c.result() == c.addr(),
                c -> c.length() % MBLOCK == 0 && c.length() > MBLOCK)
            .frames("osReserveHeapMemory")
            .says(
                c ->
                    Said.of(
                            (c.frame(Set.of("osReserveHeapMemory")) != null
                                    ? "GHC's runtime reserves the address space of its heap: "
                                    : "fits GHC's runtime reserving the address space of its heap: ")
                                + "osReserveHeapMemory (rts/posix/OSMem.c) asks for the heap's "
                                + "size (1 TiB by default; two thirds of RLIMIT_AS where that is"
                                + " lower; after an mmap that fails, seven eighths of the size"
                                + " before) plus one 1 MiB megablock "
                                + "(MBLOCK_SIZE), to keep a part aligned to 1 MiB, PROT_NONE with "
                                + "MAP_NORESERVE at the hint 0x4200000000 (4096 bytes higher for "
                                + "each try before it that mmap refused or placed below 8 GiB);"
                                + " its my_mmap then "
                                + "advises the range MADV_DONTNEED and MADV_DONTDUMP, and "
                                + "osCommitMemory later maps megablocks in it read-write with "
                                + "mmap(MAP_FIXED). Here "
                                + c.length()
                                + " = "
                                + Human.bytes(c.length() - MBLOCK)
                                + " + 1 MiB"
                                + ghcAsLimit(c)
                                + "; nothing is committed or charged to overcommit yet"
                                + (c.frame(Set.of("osReserveHeapMemory")) != null
                                    ? ""
                                    : ". The hint is GHC's; the call alone does not prove whose"
                                        + " it is"),
                            Basis.PATTERN,
                            "PROT_NONE|MAP_NORESERVE at " + hex(c.addr()))
                        .tag(RegionClass.RESERVED, c.length() + "-byte GHC heap reservation")),
        Rule.on("ghc-recommit", "mmap")
            .when(
                ok(),
                anon(),
                flag("MAP_FIXED"),
                prot("PROT_READ", "PROT_WRITE"),
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  return s != null
                      && s.tag().cls() == RegionClass.ANON
                      && s.tag().part()
                      && s.end() >= c.addr() + c.length()
                      && reservationName(s.tag()).contains("GHC heap reservation");
                })
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  long base = reservationStart(s);
                  return Said.of(
                          "maps "
                              + c.length()
                              + " bytes (PROT_READ|PROT_WRITE) afresh at offset "
                              + hex(c.addr() - base)
                              + " of "
                              + MallocRules.the(s.tag().what())
                              + " made at line "
                              + s.tag().line()
                              + ", memory already committed: MAP_FIXED replaces its pages with "
                              + "new zero-filled ones (the old contents are gone), while the maps "
                              + "need not change, the protection staying the same. It fits GHC's osCommitMemory "
                              + "taking back megablocks that osDecommitMemory gave back with "
                              + "MADV_FREE (rts/posix/OSMem.c)",
                          Basis.PATTERN,
                          hex(c.addr())
                              + " lies in the committed part made at line "
                              + s.tag().line())
                      .tag(RegionClass.ANON, s.tag().what())
                      .within(s.tag());
                }),
        Rule.on("erts-literal-area", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_NORESERVE"),
                noFlag("MAP_FIXED"),
                addrNull(),
                lengthIs(ERTS_LITERAL_AREA),
                c -> c.sp.beam())
            .frames("erts_mmap_init")
            .says(
                c ->
                    Said.of(
                            "reserves 1073741824 bytes of address space PROT_NONE|MAP_NORESERVE:"
                                + " nothing is committed or charged to overcommit. It fits the"
                                + " Erlang runtime's literal area, where the constants of loaded"
                                + " modules live: erts_mmap_init (erts/emulator/sys/common/"
                                + "erl_mmap.c) reserves ERTS_LITERAL_VIRTUAL_AREA_SIZE, 1 GiB, as"
                                + " a super carrier with os_mmap_virtual; os_reserve_physical then"
                                + " maps each part it hands out read-write with MAP_FIXED, and"
                                + " os_unreserve_physical gives a part back PROT_NONE with"
                                + " MAP_NORESERVE|MAP_FIXED",
                            Basis.PATTERN,
                            "1 GiB PROT_NONE|MAP_NORESERVE at NULL in " + c.sp.runs())
                        .tag(
                            RegionClass.RESERVED,
                            "1073741824-byte reservation (erts literal area)")),
        MALLOC_OR_MONO,
        Rule.on("python-obmalloc-arena", "mmap")
            .when(ok(), privateAnonRwAtNull(), lengthIs(1 << 20), program("python"))
            .frames("_PyObject_ArenaMmap", "new_arena")
            .says(
                c ->
                    Said.of(
                            "fits CPython's small-object allocator (obmalloc) taking a new 1 MiB "
                                + "arena straight from mmap (_PyObject_ArenaMmap; ARENA_SIZE is 1 MiB "
                                + "since 3.10); objects up to 512 bytes live in its pools. "
                                + (c.sp.allocator != null
                                    ? "glibc malloc, whose mmap path would map 1048576 bytes for a "
                                        + "malloc(n) too, is not this process's allocator: "
                                        + AllocatorRules.notGlibcMalloc(c.sp)
                                    : c.sp.noMmapChunks
                                        ? "It is not a glibc malloc chunk: "
                                            + MallocEnv.noMmapBy(c.sp)
                                        : "The size alone does not rule out glibc malloc: malloc(n)"
                                            + " for n from 1044457 to 1048552 maps exactly 1048576"
                                            + " bytes too"),
                            Basis.PATTERN,
                            "1048576-byte anonymous RW mmap in a python process")
                        .tag(RegionClass.ANON, "CPython obmalloc arena")),
        Rule.on("python-datastack", "mmap")
            .when(ok(), privateAnonRwAtNull(), lengthIs(16384), program("python"))
            .frames("_PyObject_VirtualAlloc", "push_chunk", "_PyThreadState_PushFrame")
            .says(
                c ->
                    Said.of(
                            "CPython (3.11+) gives a thread a 16 KiB data-stack chunk for its frames "
                                + "(DATA_STACK_CHUNK_SIZE, allocated with mmap via "
                                + "_PyObject_VirtualAlloc)",
                            Basis.PATTERN,
                            "16384-byte anonymous RW mmap in a python process")
                        .tag(RegionClass.ANON, "CPython frame data stack")),
        Rule.on("php-pcre-jit-stack", "mmap")
            .when(
                ok(),
                privateAnonRwAtNull(),
                lengthIs(PHP_PCRE_JIT_STACK),
                program("php"),
                c -> FileRules.loaded(c.sp, "libpcre2-8.so"))
            .frames("pcre2_jit_stack_create_8")
            .says(MappingRules::phpPcreJitStack),
        Rule.on("pcre2-jit", "mmap")
            .when(anonRwxOf("libpcre2-", SLJIT_CHUNK))
            .frames("pcre2_jit_compile_8", "pcre2_jit_compile_16", "pcre2_jit_compile_32")
            .says(
                c ->
                    Said.of(
                            "fits PCRE2's JIT compiler (pcre2_jit_compile; libpcre2 is loaded"
                                + " here): sljit's executable allocator (sljit_malloc_exec,"
                                + " src/sljit/sljitExecAllocator.c) maps the machine code of"
                                + " compiled patterns in chunks of whole 64 KiB (CHUNK_SIZE),"
                                + " anonymous and PROT_READ|PROT_WRITE|PROT_EXEC, and puts the"
                                + " code of patterns compiled later in the same chunk while it has"
                                + " room; a chunk is unmapped only when none of its code is in use"
                                + " any more and enough other room stays free (sljit_free_exec),"
                                + " or by pcre2_jit_free_unused_memory",
                            Basis.PATTERN,
                            c.length()
                                + "-byte anonymous RWX mmap, a multiple of 65536, with libpcre2"
                                + " loaded")
                        .tag(RegionClass.ANON, "PCRE2 JIT code chunk")),
        Rule.on("libffi-closure", "mmap")
            .when(anonRwxOf("libffi.so", Glibc.PAGE))
            .frames("ffi_closure_alloc")
            .says(
                c ->
                    Said.of(
                            "fits libffi's closure allocator (ffi_closure_alloc, src/closures.c;"
                                + " libffi is loaded here): its own dlmalloc takes the memory for"
                                + " closures' trampolines from dlmmap, a page at a time unless a"
                                + " request needs more (DEFAULT_GRANULARITY), which maps it"
                                + " PROT_READ|PROT_WRITE|PROT_EXEC when it finds neither SELinux"
                                + " (/proc/mounts) nor PaX MPROTECT (/proc/self/status); otherwise,"
                                + " or where that mapping is refused, it maps a temporary file"
                                + " twice instead, once executable and once writable"
                                + " (dlmmap_locked)",
                            Basis.PATTERN,
                            c.length() + "-byte anonymous RWX mmap with libffi loaded")
                        .tag(RegionClass.ANON, "libffi closure pages")));
  }

  /**
   * An anonymous private PROT_READ|PROT_WRITE|PROT_EXEC mmap at an address of the kernel's choice,
   * a multiple of {@code unit} long, in a space where the library whose file name starts with
   * {@code lib} is loaded; under -k, only where the stack goes through that library.
   */
  @SuppressWarnings("unchecked")
  private static Predicate<Ctx>[] anonRwxOf(String lib, long unit) {
    List<Predicate<Ctx>> all =
        List.of(
            ok(),
            anon(),
            addrNull(),
            prot("PROT_READ", "PROT_WRITE", "PROT_EXEC"),
            flags("MAP_PRIVATE", "MAP_ANONYMOUS"),
            c -> c.length() % unit == 0,
            c -> FileRules.loaded(c.sp, lib),
            c -> c.ev.stack().isEmpty() || c.stackIn("/" + lib));
    return all.toArray(new Predicate[0]);
  }

  /** sljit's CHUNK_SIZE (src/sljit/sljitExecAllocator.c): its exec chunks are multiples of it. */
  private static final long SLJIT_CHUNK = 0x10000;

  /**
   * Where the size of GHC's heap reservation is the one osReserveHeapMemory takes from RLIMIT_AS:
   * when the limit is below the 1 TiB default it asks for (W_)(rlim_cur * 0.666), rounded down to a
   * page and then to whole megablocks (GHC #18623, to leave room for thread stacks), plus the
   * megablock osTryReserveHeapMemory adds; the words that say so, else "".
   */
  private static String ghcAsLimit(Ctx c) {
    long limit = c.sp.rlimitAs;
    if (limit <= 0 || limit >= 1L << 40) {
      return "";
    }
    long heap = ((long) (limit * 0.666) & ~(Glibc.PAGE - 1)) & ~(MBLOCK - 1);
    if (heap + MBLOCK != c.length()) {
      return "";
    }
    return ": "
        + Human.bytes(heap)
        + " is two thirds (× 0.666) of RLIMIT_AS ("
        + limit
        + " bytes, read at line "
        + c.sp.rlimitAsLine
        + ") rounded down to whole megablocks, which osReserveHeapMemory asks for when the"
        + " limit is below its 1 TiB default, to leave room for thread stacks";
  }

  /** PHP's PCRE_JIT_STACK_MAX_SIZE (ext/pcre/php_pcre.c), 192 KiB, whole pages already. */
  private static final long PHP_PCRE_JIT_STACK = 192 * 1024;

  /**
   * PHP's pcre extension makes its JIT stack as the process starts (PHP_GINIT_FUNCTION(pcre) calls
   * php_pcre_init_pcre2, which calls pcre2_jit_stack_create(32 KiB, 192 KiB)), and PCRE2's
   * sljit_allocate_stack maps the maximum itself with mmap; pcre2_jit_stack_free unmaps it when the
   * process ends (PHP_GSHUTDOWN_FUNCTION). A malloc of the same size maps as much, so without a -k
   * frame it only fits.
   */
  private static Said phpPcreJitStack(Ctx c) {
    boolean seen = c.frame(Set.of("pcre2_jit_stack_create_8")) != null;
    long len = c.length();
    String malloc;
    if (seen) {
      malloc = "PCRE2 maps it itself, so it is no malloc chunk";
    } else if (c.sp.allocator != null) {
      malloc =
          "glibc malloc, whose mmap path would map "
              + len
              + " bytes for a malloc(n) too, is not this process's allocator: "
              + AllocatorRules.notGlibcMalloc(c.sp);
    } else if (c.sp.noMmapChunks) {
      malloc = "it is not a glibc malloc chunk: " + MallocEnv.noMmapBy(c.sp);
    } else if (len - 16 < c.sp.mmapThreshold) {
      malloc =
          "glibc malloc maps no chunk this small at the current mmap threshold "
              + c.sp.mmapThreshold;
    } else {
      malloc =
          "the size alone does not rule out glibc malloc: malloc(n) for n from 192489 to 196584"
              + " maps exactly 196608 bytes too, so the trace does not tell which";
    }
    return Said.of(
            (seen ? "PCRE2's JIT stack, as PHP makes it" : "fits PCRE2's JIT stack as PHP makes it")
                + ": the pcre extension calls pcre2_jit_stack_create(32 KiB, 192 KiB) when the"
                + " process starts (php_pcre_init_pcre2 from PHP_GINIT_FUNCTION(pcre),"
                + " ext/pcre/php_pcre.c), and sljit_allocate_stack maps the whole 192 KiB maximum"
                + " with mmap itself, for the stack of the JIT-compiled matchers;"
                + " pcre2_jit_stack_free unmaps it when the process ends, which is no free() and"
                + " moves no malloc threshold. Here "
                + malloc,
            Basis.PATTERN,
            len + "-byte anonymous RW mmap in a php process that loaded libpcre2-8")
        .tag(RegionClass.ANON, "PCRE2 JIT stack");
  }

  /** What the less common mmap flags ask for. */
  static final Map<String, String> FLAG_MEANING =
      Map.of(
          "MAP_POPULATE", "fault every page in now instead of on first touch",
          "MAP_NORESERVE",
              "no commit charge (overcommit) is taken for it, unless vm.overcommit_memory is 2, "
                  + "where do_mmap ignores the flag",
          "MAP_LOCKED", "lock the pages in RAM like mlock",
          "MAP_HUGETLB", "back it with hugetlbfs huge pages",
          "MAP_GROWSDOWN", "a stack-like mapping that grows down on faults below it",
          "MAP_STACK",
              "a stack: since Linux 6.7 the kernel keeps transparent huge pages off it "
                  + "(VM_NOHUGEPAGE)",
          "MAP_32BIT", "place it in the low 2 GiB",
          "MAP_FIXED_NOREPLACE", "at exactly this address, failing with EEXIST if taken",
          "MAP_SHARED_VALIDATE", "shared, with unknown flags rejected");

  static List<Rule> rules() {
    return List.of(
        Rule.on("reservation-commit", "mmap")
            .when(
                ok(),
                anon(),
                flag("MAP_FIXED"),
                taggedAs(RegionClass.RESERVED, RegionClass.MALLOC_ARENA))
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  boolean none = c.prot().isEmpty();
                  List<TagMap.Span> pieces = reservationsUnder(c, s);
                  if (pieces.size() != 1) {
                    return pieces.isEmpty() ? null : across(c, pieces, none);
                  }
                  long base = reservationStart(s);
                  String whole = reservationName(s.tag());
                  return Said.of(
                          (none ? "re-reserves " : "commits ")
                              + c.length()
                              + " bytes ("
                              + c.protText()
                              + ") at offset "
                              + hex(c.addr() - base)
                              + " of "
                              + whole
                              + " made at line "
                              + s.tag().line()
                              + (none || !JvmRules.jvm().test(c)
                                  ? ""
                                  : ": HotSpot commits its reservations piece by piece "
                                      + "(os::commit_memory maps over them with mmap(MAP_FIXED) "
                                      + "rather than calling mprotect)")
                              + (none || !whole.contains("GHC heap reservation")
                                  ? ""
                                  : ": fits GHC's osCommitMemory, which maps "
                                      + (c.length() == MBLOCK
                                          ? "one 1 MiB megablock (MBLOCK_SIZE)"
                                          : c.length() % MBLOCK == 0
                                              ? c.length() / MBLOCK + " megablocks of 1 MiB"
                                              : "memory")
                                      + " over its heap reservation with mmap(MAP_FIXED), "
                                      + "then advises it MADV_WILLNEED and MADV_DODUMP (my_mmap)"),
                          Basis.ARITHMETIC,
                          hex(c.addr())
                              + " - reservation start "
                              + hex(base)
                              + " = "
                              + hex(c.addr() - base))
                      .tag(
                          none ? RegionClass.RESERVED : RegionClass.ANON,
                          (none ? "reserved part of " : "committed part of ") + whole)
                      .within(s.tag());
                }),
        RESERVATION,
        Rule.on("anon-direct", "mmap")
            .when(
                ok(),
                anon(),
                flag("MAP_PRIVATE"),
                // ld.so's minimal malloc maps two whole pages at least, and only from ld.so:
                // another mapping at NULL is not ld.so's even while the trace shows no end of
                // startup (-e trace=memory hides arch_prctl, and another
                // allocator's malloc never starts glibc's)
                c -> afterStartup().test(c) || c.addr() == 0 && LoaderRules.notMinimalMalloc(c))
            .says(MappingRules::directAnon),
        Rule.on("unmap-known", "munmap")
            .when(ok(), tagged())
            .effect(MappingRules::partOfASmallMapping)
            .says(MappingRules::unmapKnown),
        Rule.on("mprotect-known", "mprotect")
            .when(ok(), tagged())
            .effect(
                (c, before) -> {
                  MallocRules.protectedChunk(c);
                  // all of a reservation but its low end made RW: musl's pthread_create makes a
                  // thread's stack with a guard so (src/thread/pthread_create.c); a clone that
                  // runs on it retells both calls (Specials)
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  if (s.tag().cls() == RegionClass.RESERVED
                      && c.prot().equals(Set.of("PROT_READ", "PROT_WRITE"))
                      && c.addr() > s.start()
                      && c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE) == s.end()
                      && s.tag().what().equals(s.size() + "-byte reservation")) {
                    c.sp.guardedCommit =
                        new Space.GuardedCommit(
                            s.tag(), s.start(), s.end(), c.addr(), c.ev.pid(), c.line());
                  }
                })
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  long base = reservationStart(s);
                  // do_mprotect_pkey (mm/mprotect.c) takes len = PAGE_ALIGN(len): the last
                  // partial page changes whole (libguile's loader, scm_load_thunk_from_file,
                  // asks for a .go file's writable data so)
                  long pages = Glibc.alignUp(c.length(), Glibc.PAGE);
                  return Said.of(
                      "changes "
                          + c.length()
                          + " bytes"
                          + (pages != c.length()
                              ? " (" + pages + ": the kernel widens the range to whole pages)"
                              : "")
                          + " at offset "
                          + hex(c.addr() - base)
                          + " of "
                          // told as protectedChunk retells it once this row has spoken
                          + (MallocRules.protectsAChunk(c, s)
                              ? "the "
                                  + s.size()
                                  + "-byte anonymous mapping made at line "
                                  + s.tag().line()
                              : within(s))
                          + " to "
                          + c.protText()
                          + (c.prot().isEmpty() ? ": touching them now faults (SEGV_ACCERR)" : "")
                          + mimallocCommit(c, s),
                      Basis.PATTERN,
                      "range lies in the region made at line " + s.tag().line());
                }),
        Rule.on("unmap-model", "munmap")
            .when(ok(), c -> modelRegion(c) != null)
            .says(
                c ->
                    Said.of(
                        "unmaps " + bytesOf(c, modelRegion(c), "", true),
                        RegionOrigin.basis(modelRegion(c)),
                        "the model holds " + describe(modelRegion(c), c.sp.exe))),
        Rule.on("mprotect-model", "mprotect")
            .when(ok(), c -> modelRegion(c) != null)
            .says(
                c ->
                    Said.of(
                        "changes " + bytesOf(c, modelRegion(c), " to " + c.protText(), false),
                        RegionOrigin.basis(modelRegion(c)),
                        "the model holds " + describe(modelRegion(c), c.sp.exe))),
        Rule.on("madvise-probe", "madvise")
            .when(ok(), c -> c.length() == 0)
            .says(
                c ->
                    Said.of(
                        "a madvise of 0 bytes changes nothing: the kernel checks only that it knows"
                            + " the advice ("
                            + c.text(2)
                            + "; EINVAL if not) and returns 0 at once (do_madvise in"
                            + " mm/madvise.c ends there when the length is 0): this fits a program"
                            + " learning whether the running kernel supports the advice",
                        Basis.ARITHMETIC,
                        "length 0")),
        Rule.on("madvise", "madvise")
            .when(ok(), c -> c.advice().stream().anyMatch(ADVICE::containsKey))
            .says(
                c -> {
                  String a = c.advice().stream().filter(ADVICE::containsKey).findFirst().get();
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  String where = s == null ? "" : over(c);
                  String meaning = ADVICE.get(a);
                  if (a.equals("MADV_DONTNEED")) {
                    meaning = dontneed(c, s);
                  } else if (a.equals("MADV_WILLNEED")) {
                    meaning = willneed(c);
                  }
                  if ((a.equals("MADV_DONTNEED") || a.equals("MADV_FREE"))
                      && s != null
                      && (s.tag().cls() == RegionClass.ANON || s.tag().cls() == RegionClass.HEAP)
                      && c.sp.allocator != null) {
                    meaning += AllocatorRules.purge(c, s, a);
                  } else if ((a.equals("MADV_DONTNEED") || a.equals("MADV_FREE"))
                      && s != null
                      && s.tag().cls() == RegionClass.MALLOC_MMAP
                      && !AllocatorRules.foreign(c.sp)) {
                    where = Objects.requireNonNullElse(sizeOnlyChunk(c, s), where);
                    meaning += MallocRules.advisedChunk(c, s, a);
                  } else if (a.equals("MADV_HUGEPAGE")
                      && s != null
                      && (s.tag().cls() == RegionClass.HEAP
                          || s.tag().cls() == RegionClass.MALLOC_MMAP)
                      && !AllocatorRules.foreign(c.sp)) {
                    boolean part =
                        s.tag().cls() == RegionClass.MALLOC_MMAP
                            && (c.addr() != s.start()
                                || Glibc.alignUp(c.length(), Glibc.PAGE) != s.size());
                    if (part) {
                      where = Objects.requireNonNullElse(sizeOnlyChunk(c, s), where);
                    }
                    meaning +=
                        "; "
                            + (part
                                ? MallocEnv.thpAdvicePart(
                                    c.sp, c.addr() - s.start(), c.length(), s.size())
                                : MallocEnv.thpAdvice(c.sp, c.length()));
                  } else if (a.equals("MADV_DONTNEED")
                      && s != null
                      && s.tag().cls() == RegionClass.HEAP
                      && !AllocatorRules.foreign(c.sp)) {
                    // mtrim (malloc/malloc.c) is glibc's only MADV_DONTNEED in the main arena
                    meaning +=
                        "; in [heap] glibc malloc does this only in malloc_trim, which drops "
                            + "the whole pages inside free chunks (mtrim) before trimming the top";
                  }
                  return Said.of(
                      a + " on " + c.length() + " bytes" + where + ": " + meaning,
                      Basis.PATTERN,
                      "advice " + a);
                }),
        Rule.on("mremap-move", "mremap")
            .when(ok(), c -> c.result() != c.addr())
            .says(
                c ->
                    Said.of(
                        "moves a mapping from "
                            + hex(c.addr())
                            + " to "
                            + hex(c.result())
                            + (c.newLength() == c.length()
                                ? ""
                                : (c.newLength() < c.length() ? ", shrinking it" : ", growing it")
                                    + " from "
                                    + c.length()
                                    + " to "
                                    + c.newLength()
                                    + " bytes")
                            + ": the result is not the old address, so the kernel moved its pages"
                            + " (MREMAP_MAYMOVE, or MREMAP_FIXED to a chosen address: move_vma)",
                        Basis.ARITHMETIC,
                        "mremap returned " + hex(c.result()) + ", not " + hex(c.addr()))),
        Rule.on("mremap-in-place", "mremap")
            .when(ok())
            .says(
                c ->
                    Said.of(
                        (c.newLength() < c.length() ? "shrinks " : "grows ")
                            + "a mapping in place from "
                            + c.length()
                            + " to "
                            + c.newLength()
                            + " bytes"
                            + (c.call instanceof Mremap m && m.mayMove()
                                ? ""
                                : " (without MREMAP_MAYMOVE it may not move: growing fails with "
                                    + "ENOMEM if the next pages are taken)"),
                        Basis.PATTERN,
                        "mremap flags " + c.text(3))),
        Rule.on("mlock", "mlock", "mlock2", "munlock", "mlockall", "munlockall")
            .when(ok())
            .says(MappingRules::lock),
        Rule.on("mbind", "mbind")
            .when(ok(), c -> c.call instanceof Mbind m && m.mode() != null)
            .effect(MallocRules::mbindChunk)
            .says(MappingRules::mbind));
  }

  /**
   * What a successful mbind did (mbind(2), mm/mempolicy.c): a policy for the pages of the range
   * faulted in from now on (pages already there move only with MPOL_MF_MOVE), the range an area of
   * its own, since vma_merge joins areas only with equal policies; MPOL_DEFAULT removes it.
   */
  private static Said mbind(Ctx c) {
    Mbind m = (Mbind) c.call;
    long bytes = Glibc.alignUp(c.length(), Glibc.PAGE);
    TagMap.Span s = c.sp.tags.at(c.addr());
    String what = bytes + " bytes" + (s == null ? " at " + hex(c.addr()) : over(c));
    if (m.removes()) {
      return Said.of(
          "removes the memory policy of "
              + what
              + " (MPOL_DEFAULT): the task's own policy (set_mempolicy) applies to its pages again,"
              + " and the range may merge with neighbours that have no policy (mbind(2))",
          Basis.ARITHMETIC,
          "mode " + m.mode());
    }
    String mode = m.mode();
    boolean noNodes = "NULL".equals(c.text(3));
    String how =
        mode.startsWith("MPOL_PREFERRED") && noNodes
            ? ", with no nodemask: pages come preferably from the node of the CPU that first touches"
                + " them (local allocation)"
            : mode.startsWith("MPOL_LOCAL")
                ? ": pages come preferably from the node of the CPU that first touches them"
                : noNodes ? "" : ", nodemask " + c.text(3);
    String flags = c.text(5);
    boolean move = flags != null && flags.contains("MPOL_MF_MOVE");
    return Said.of(
        "sets the memory policy "
            + mode
            + " on "
            + what
            + how
            + (move
                ? "; with " + flags + " the pages already there are moved to fit it"
                : "; it applies to pages faulted in from now on, not to those already there")
            + ". The kernel merges areas only when their policies are equal (mpol_equal), so"
            + " the range stays apart from neighbours that have none (mbind(2))",
        Basis.ARITHMETIC,
        "mode " + mode + ", nodemask " + c.text(3));
  }

  /**
   * What a successful mlock, mlock2, munlock, mlockall or munlockall did, read from its arguments
   * (mlock(2), mm/mlock.c): mlock faults the range in now (__mm_populate); mlock2's MLOCK_ONFAULT
   * and mlockall's MCL_ONFAULT lock each page only as it is first touched (VM_LOCKONFAULT);
   * MCL_FUTURE locks what is mapped later (mm->def_flags), not what is mapped now.
   */
  private static Said lock(Ctx c) {
    String name = c.name();
    if (name.equals("munlockall")) {
      return Said.of(
          "unlocks every mapping of the process, and ends mlockall(MCL_FUTURE) if it was in force:"
              + " mappings made from now on are not locked; the kernel may page all of it out"
              + " again (munlockall(2))",
          Basis.ARITHMETIC,
          "munlockall");
    }
    if (name.equals("mlockall")) {
      String flags = c.text(0);
      long f = c.call.flags(0, LinuxFlags.MLOCKALL).orElse(0);
      boolean onFault = (f & LinuxFlags.MCL_ONFAULT) != 0;
      List<String> parts = new ArrayList<>();
      if ((f & LinuxFlags.MCL_CURRENT) != 0) {
        parts.add(
            "locks every mapping the process has now but the kernel's special ones ([vdso],"
                + " [vvar]: mlock_fixup leaves VM_SPECIAL mappings unlocked)"
                + (onFault
                    ? ", each page as it is first touched (MCL_ONFAULT): nothing is faulted in by"
                        + " this call"
                    : " and faults in every page its protection lets it touch, so those stay in"
                        + " RAM, never swapped out"
                        + protNoneLocked(c)));
      }
      if ((f & LinuxFlags.MCL_FUTURE) != 0) {
        parts.add(
            (parts.isEmpty() ? "locks no mapping the process has now, only " : ", and ")
                + "every mapping made from now on (mmap, brk, stack growth: mm->def_flags gets"
                + " VM_LOCKED), "
                + (onFault
                    ? "each page as it is first touched (MCL_ONFAULT)"
                    : "each faulted in whole as it is made")
                + ", until munlockall or an mlockall without MCL_FUTURE");
      }
      if ((f & LinuxFlags.MCL_FUTURE) == 0 && c.sp.lockFutureLine > 0 && !parts.isEmpty()) {
        // apply_mlockall_flags clears VM_LOCKED_MASK from mm->def_flags before it looks at
        // MCL_FUTURE: an mlockall without it undoes an earlier one's
        parts.add(
            "; it ends the mlockall(MCL_FUTURE) of line "
                + c.sp.lockFutureLine
                + " (apply_mlockall_flags clears VM_LOCKED from mm->def_flags): mappings made"
                + " from now on are not locked");
      }
      return parts.isEmpty()
          ? null
          : Said.of(String.join("", parts) + " (mlockall(2))", Basis.ARITHMETIC, "flags " + flags);
    }
    long addr = c.addr();
    long len = c.length();
    long lo = Glibc.alignDown(addr, Glibc.PAGE);
    // the syscall rounds: len = PAGE_ALIGN(len + offset_in_page(start)), which may wrap to 0
    long bytes = Glibc.alignUp(len + (addr - lo), Glibc.PAGE);
    if (bytes == 0) {
      return Said.of(
          "no page is "
              + (name.equals("munlock") ? "unlocked" : "locked")
              + ": the length"
              + (len == 0
                  ? " is 0"
                  : ", " + Long.toUnsignedString(len) + ", rounded up to whole pages wraps to 0")
              + ", and the kernel returns 0 at once ("
              + name
              + "(2))",
          Basis.ARITHMETIC,
          "length " + Long.toUnsignedString(len));
    }
    TagMap.Span s = c.sp.tags.at(addr);
    String what = bytes + " bytes" + (s == null ? " at " + hex(lo) : over(c));
    if (name.equals("munlock")) {
      return Said.of(
          "unlocks " + what + ": the kernel may page them out again (munlock(2))",
          Basis.ARITHMETIC,
          "munlock of " + bytes + " bytes");
    }
    boolean onFault =
        name.equals("mlock2")
            && (c.call.flags(2, LinuxFlags.MLOCK2).orElse(0) & LinuxFlags.MLOCK_ONFAULT) != 0;
    return Said.of(
        "locks "
            + what
            + (bytes != len ? " (the range widened to whole pages)" : "")
            + " until munlock, munlockall, munmap"
            + (s != null && s.tag().cls() == RegionClass.HEAP
                ? ", a brk that moves the break below it (malloc's systrim, or the program's sbrk)"
                : "")
            + ", execve or exit (a fork child's copy is not"
            + " locked: dup_mmap clears VM_LOCKED)"
            + (onFault
                ? ", on fault (MLOCK_ONFAULT): the pages already present are locked now and each"
                    + " other page as it is first touched; nothing is faulted in by this call"
                : ": the kernel faults every page of it in now (__mm_populate) and keeps it in"
                    + " RAM, never swapped out")
            + " ("
            + name
            + "(2))",
        Basis.ARITHMETIC,
        name + " of " + bytes + " bytes" + (onFault ? ", MLOCK_ONFAULT" : ""));
  }

  /**
   * mlockall(MCL_CURRENT) marks PROT_NONE mappings locked too, but __mm_populate cannot fault them
   * in (populate_vma_page_range: no access is allowed), and mm_populate goes on past them: what the
   * model holds of them, said after the clause that faults the rest in; "" when it holds none.
   */
  private static String protNoneLocked(Ctx c) {
    AddressSpaceView v = c.ex.view(c.ev.pid());
    if (v == null) {
      return "";
    }
    int n = 0;
    long bytes = 0;
    for (Region r : v.regions()) {
      if (r.perms() != null && r.perms().startsWith("---")) {
        n++;
        bytes += r.size();
      }
    }
    return n == 0
        ? ""
        : "; its "
            + (n == 1 ? "PROT_NONE mapping" : n + " PROT_NONE mappings")
            + " ("
            + Human.bytes(bytes)
            + ") "
            + (n == 1 ? "is" : "are")
            + " locked but not faulted in (populate_vma_page_range cannot touch memory no access"
            + " is allowed to)";
  }

  /**
   * MADV_WILLNEED by what the range holds (madvise_willneed, mm/madvise.c): a file's pages are read
   * into the page cache (vfs_fadvise POSIX_FADV_WILLNEED), not mapped; in private anonymous memory
   * only pages that were swapped out are read back, and untouched ones are not allocated.
   */
  private static String willneed(Ctx c) {
    Region r = modelRegion(c);
    if (r != null && r.isAnonymous() && r.perms() != null && r.perms().endsWith("p")) {
      return "anonymous memory has no file to read ahead: the kernel only starts reading back"
          + " pages of the range that were swapped out (madvise_willneed), and pages never"
          + " touched stay unallocated until first touched";
    }
    String path = r == null || r.path() == null ? "" : r.path();
    if (path.startsWith("/") && !FileRules.shmem(path)) {
      return "start reading the range's file pages into the page cache now (madvise_willneed:"
          + " vfs_fadvise POSIX_FADV_WILLNEED), without mapping them: a first touch then finds"
          + " them in memory";
    }
    return ADVICE.get("MADV_WILLNEED");
  }

  /**
   * What a call's range lies in, from the span holding its start: " of the X made at line N", or,
   * when it runs on past what that line made, " over the X made at line N, then the Y made at line
   * M" (memory no call in the trace made named as such). The range is the whole pages the call acts
   * on: mlock and munlock take any start and round it down, and the length up from there (do_mlock:
   * len = PAGE_ALIGN(len + offset_in_page(start))), so an unaligned start does not carry the end
   * into the next page.
   */
  private static String over(Ctx c) {
    long at = Glibc.alignDown(c.addr(), Glibc.PAGE);
    long end = Glibc.alignUp(c.addr() + c.length(), Glibc.PAGE);
    List<String> ranges = new ArrayList<>();
    for (List<TagMap.Span> run : runsByLine(c.sp.tags.overlapping(at, end), at, end)) {
      ranges.add(
          run.isEmpty()
              ? "memory the trace did not show being made"
              : runName(run) + " made at line " + run.get(0).tag().line());
    }
    return (ranges.size() == 1 ? " of " : " over ") + String.join(", then ", ranges);
  }

  /**
   * The spans over [from, to), in address order, grouped into runs of neighbours one line made; an
   * empty run stands for memory no span covers, between them or at either end.
   */
  static List<List<TagMap.Span>> runsByLine(List<TagMap.Span> spans, long from, long to) {
    List<List<TagMap.Span>> runs = new ArrayList<>();
    List<TagMap.Span> run = new ArrayList<>();
    long at = from;
    for (TagMap.Span s : spans) {
      if (s.start() > at || !run.isEmpty() && s.tag().line() != run.get(0).tag().line()) {
        if (!run.isEmpty()) {
          runs.add(run);
          run = new ArrayList<>();
        }
        if (s.start() > at) {
          runs.add(List.of());
        }
      }
      run.add(s);
      at = s.end();
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    if (at < to) {
      runs.add(List.of());
    }
    return runs;
  }

  /**
   * The name of neighbouring spans one line made, as a range: the first's, when they all have it;
   * else, when they are parts of one range that later calls committed, reserved again or protected
   * (a buffer pool's committed and reserved parts), the range's own name without the part's words,
   * or, when even those differ, the range as such. Naming all of them by the first part would call
   * the whole a part ("8 TiB of the committed part").
   */
  static String runName(List<TagMap.Span> run) {
    String first = run.get(0).tag().what();
    boolean same = true;
    for (TagMap.Span s : run) {
      same &= s.tag().what().equals(first);
    }
    if (same) {
      return MallocRules.the(first);
    }
    String whole = reservationName(run.get(0).tag());
    for (TagMap.Span s : run) {
      if (!reservationName(s.tag()).equals(whole)) {
        // the range itself among its parts keeps its name (V8's reservation, pieces of which
        // later mprotects made its code space)
        for (TagMap.Span r : run) {
          if (!r.tag().part()) {
            return MallocRules.the(r.tag().what());
          }
        }
        return "the range";
      }
    }
    return whole;
  }

  /**
   * The reservations a MAP_FIXED call's range lies in, one span each (the span holding the range's
   * start in it), in address order; empty when some of the range lies in no reservation or
   * committed part of one.
   */
  private static List<TagMap.Span> reservationsUnder(Ctx c, TagMap.Span first) {
    long end = c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE);
    List<TagMap.Span> out = new ArrayList<>();
    long at = c.addr();
    TagMap.Span s = first;
    while (at < end) {
      if (s == null || s.start() > at || !inReservation(s.tag())) {
        return List.of();
      }
      TagMap.Span last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last == null
          || last.tag().line() != s.tag().line()
          || reservationStart(last) != reservationStart(s)) {
        out.add(s);
      }
      at = s.end();
      s = at < end ? c.sp.tags.at(at) : null;
    }
    return out;
  }

  private static boolean inReservation(Tag t) {
    return t.cls() == RegionClass.RESERVED
        || t.cls() == RegionClass.MALLOC_ARENA
        || t.cls() == RegionClass.ANON && t.part();
  }

  /**
   * A commit that runs from one reservation on into the next (Go reserves its heap arenas one by
   * one, end to end, and one sysMap may span two): each reservation's piece is told, and the range
   * gets a tag of its own, so that later calls in it cite this line, not a reservation that does
   * not hold them.
   */
  private static Said across(Ctx c, List<TagMap.Span> pieces, boolean none) {
    long end = c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE);
    List<String> told = new ArrayList<>();
    List<String> evidence = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      TagMap.Span s = pieces.get(i);
      long base = reservationStart(s);
      long from = Math.max(c.addr(), base);
      long to = i + 1 < pieces.size() ? reservationStart(pieces.get(i + 1)) : end;
      told.add(
          (to - from)
              + " bytes at offset "
              + hex(from - base)
              + " of "
              + reservationName(s.tag())
              + " made at line "
              + s.tag().line());
      evidence.add(hex(from) + " - reservation start " + hex(base) + " = " + hex(from - base));
    }
    return new Said(
        (none ? "re-reserves " : "commits ")
            + c.length()
            + " bytes ("
            + c.protText()
            + ") across "
            + pieces.size()
            + " reservations that lie end to end: "
            + String.join(", then ", told),
        Basis.ARITHMETIC,
        evidence,
        none ? RegionClass.RESERVED : RegionClass.ANON,
        (none ? "range re-reserved" : "range committed") + " (across reservations)",
        null,
        null);
  }

  /**
   * Where advice falls in a mapping taken for a malloc chunk only by its size (no -k frame showed
   * the allocator), as the clause names it: the mapping, not a chunk as fact; null where the range
   * runs past it or the chunk is known.
   */
  private static String sizeOnlyChunk(Ctx c, TagMap.Span s) {
    if (MallocRules.chunkSeenInStack(c, s)
        || !s.tag().what().endsWith("-byte malloc chunk")
        || c.addr() + c.length() > s.end()) {
      return null;
    }
    return " of the "
        + s.tag().what().replace("-byte malloc chunk", "-byte mapping")
        + " made at line "
        + s.tag().line();
  }

  /** node (V8) runs in this address space. */
  static Predicate<Ctx> v8() {
    return c -> {
      String p = c.sp.runs();
      return p.equals("node")
          || p.startsWith("node")
          || p.equals("nodejs")
          || p.equals("d8")
          || c.stackIn("/node") && !c.stackIn("/libjvm.so")
          || c.stackIn("libnode");
    };
  }

  /** Where the reservation holding the span began: offsets are measured from there. */
  static long reservationStart(TagMap.Span s) {
    long b = s.tag().base();
    return b >= 0 && b <= s.start() ? b : s.start();
  }

  /**
   * The range a span lies in, as a sentence names it: "the X made at line N", or, for a part of a
   * larger range (a commit inside a reservation), the whole range and what this part is.
   */
  static String within(TagMap.Span s) {
    Tag t = s.tag();
    if (t.part() && t.base() >= 0) {
      return "the range made at line " + t.line() + " (this part: " + t.what() + ")";
    }
    return MallocRules.the(t.what()) + " made at line " + t.line();
  }

  /**
   * The reservation a committed or re-reserved part belongs to, without the part's words: a part of
   * a part (HotSpot commits a thread's guard zone, uncommits it, commits it again) is a part of the
   * same reservation.
   */
  static String reservationName(Tag t) {
    String w = t.what();
    for (boolean stripped = true; stripped; ) {
      stripped = false;
      for (String part : PART_WORDS) {
        if (w.startsWith(part)) {
          w = w.substring(part.length());
          stripped = true;
        }
      }
    }
    return MallocRules.the(w);
  }

  private static final List<String> PART_WORDS =
      List.of(
          "committed part of ", "reserved part of ", "uncommitted part of ", "PROT_NONE part of ");

  /** The model's region at argument 0, or null. */
  /**
   * What MADV_DONTNEED does to the range, by the kind of mapping it lies in (madvise(2); the kernel
   * zaps the page table entries, zap_page_range_single): private anonymous memory reads back as
   * zeros, a private file mapping as the file's contents again (its private changes are lost), a
   * shared mapping loses nothing (the page cache or shmem keeps the data). The model's region tells
   * the kind, else the tag; a range over more than one region, or in none known, gets all three.
   */
  private static String dontneed(Ctx c, TagMap.Span s) {
    Region r = modelRegion(c);
    long end = c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE);
    Space.Untouched none = c.sp.untouchedNone(c.addr(), end);
    if (none != null) {
      // no page of a PROT_NONE mapping can be faulted in (any access is SEGV_ACCERR), and no
      // memory call reached it since it was made: zap_page_range_single finds nothing to drop
      // (GHC's my_mmap advises each heap reservation so, rts/posix/OSMem.c)
      return "nothing to drop: the range has been PROT_NONE since the mmap at line "
          + none.line()
          + " made it, with no memory call on any of it between, so the program can have touched"
          + " none of its pages; the mapping stays as it is";
    }
    String kind = null;
    if (r != null) {
      // every region the range covers, one after another (V8 drops a range over several parts
      // of its reservation): one kind when they all agree
      kind = kindOf(r);
      AddressSpaceView v = c.ex.view(c.ev.pid());
      while (kind != null && Long.compareUnsigned(r.end(), end) < 0) {
        r = v == null ? null : v.regionAt(r.end());
        if (r == null || !kind.equals(kindOf(r))) {
          kind = null;
        }
      }
    } else if (s != null) {
      kind =
          switch (s.tag().cls()) {
            case SHARED_MEMORY, FILE_SHARED -> "shared";
            case FILE_PRIVATE -> "file";
            default -> null;
          };
    }
    if (kind == null) {
      return "drop the pages now; the mapping stays. What the next touch finds depends on the "
          + "mapping: zeros in private anonymous memory, the file's contents in a private file "
          + "mapping (its private changes are lost), the same data in a shared one (the page cache "
          + "keeps it)";
    }
    return switch (kind) {
      case "shared" ->
          "drop this process's pages now; shared or file-backed contents are kept and come back "
              + "on the next touch";
      case "file" ->
          "drop the pages now; this private file mapping reads back the file's contents on the "
              + "next touch, and the private changes made to its pages are lost; the mapping stays";
      default ->
          "drop the pages now (private anonymous memory reads back as zeros); the mapping stays";
    };
  }

  /** What MADV_DONTNEED leaves in a region: "shared", "file" (private), "anon", or null. */
  private static String kindOf(Region r) {
    String path = r.path() == null ? "" : r.path();
    if (r.perms() != null && r.perms().endsWith("s")) {
      return "shared";
    }
    if (path.startsWith("/") && !path.startsWith("/dev/zero")) {
      return "file";
    }
    return r.perms() != null && r.perms().endsWith("p") ? "anon" : null;
  }

  static Region modelRegion(Ctx c) {
    long a = c.addr();
    for (var ch : c.changes) {
      if (ch.before() != null && ch.before().contains(a)) {
        return ch.before();
      }
    }
    var v = c.ex.view(c.ev.pid());
    return v == null ? null : v.regionAt(a);
  }

  /**
   * Where a region the model holds but no tag names came from: a call in the trace when the model
   * knows its line (chromium's threads: a mapping placed where another thread's munmap, whose line
   * comes later, had just freed memory; the model keeps it, MemoryOps.munmap), the kernel at an
   * execve for the executable and ld.so laid out from their ELF headers, else not shown.
   */
  static String notMade(Region r, boolean guess) {
    if (r.originLine() > 0) {
      return ", the mapping " + RegionOrigin.madeAtLine(r);
    }
    return ", a region the trace did not show being made"
        + (guess ? " (the kernel's, or mapped before the trace began)" : "");
  }

  /**
   * "N bytes of REGION" and what the call does, or, when the call's range runs past the end of the
   * region it begins in (chromium's and node's V8 protecting a code range across several), where it
   * runs and how many more regions it reaches.
   */
  private static String bytesOf(Ctx c, Region r, String what, boolean guess) {
    // munmap and mprotect act on whole pages (PAGE_ALIGN(len) in __do_munmap, do_mprotect_pkey)
    long pages = Glibc.alignUp(c.length(), Glibc.PAGE);
    String widened =
        pages == c.length() ? "" : " (" + pages + ": the kernel widens the range to whole pages)";
    long end = c.addr() + pages;
    if (end <= r.end()) {
      return c.length()
          + " bytes"
          + widened
          + " of "
          + describe(r, c.sp.exe)
          + what
          + notMade(r, guess);
    }
    long more =
        c.changes.stream()
            .map(ch -> ch.before())
            .filter(b -> b != null && b.start() >= r.end() && b.start() < end)
            .count();
    return c.length()
        + " bytes"
        + widened
        + " from "
        + hex(c.addr())
        + " to "
        + hex(end)
        + what
        + ": they begin in "
        + describe(r, c.sp.exe)
        + notMade(r, guess)
        + (more == 0
            ? ", and run past its end"
            : ", and run into " + more + (more == 1 ? " more region" : " more regions"));
  }

  /**
   * A region as the model holds it: its path, class (the executable's segments by exe) and range.
   */
  static String describe(Region r, String exe) {
    RegionClass k = Classifier.classify(r, null, exe);
    return (r.path().isEmpty() ? "an anonymous region" : RawText.name(r.path()))
        + " ("
        + k.label
        + ", "
        + hex(r.start())
        + "-"
        + hex(r.end())
        + ")";
  }

  /**
   * Retells the mmap that made t, which row took for an allocator's (a malloc chunk by its size,
   * ld.so's minimal malloc), as what a later call showed it is: a direct anonymous mmap of size
   * bytes, the sentence going on with {@code rest}.
   */
  static void retellAsDirect(
      Ctx c, Tag t, long size, Rule row, String rest, Basis basis, String evidence) {
    t.refine(RegionClass.ANON, size + "-byte anonymous mapping");
    c.ex.retell(
        t,
        row,
        new Explanation(
            "anon-direct",
            "a direct anonymous mmap of " + size + " bytes" + rest,
            basis,
            List.of(evidence)));
  }

  private static Said directAnon(Ctx c) {
    long len = c.length();
    long smallest = Glibc.mmapForChunk(Glibc.alignUp(c.sp.mmapThreshold, 16)).value();
    if (len % Glibc.PAGE != 0) {
      long pages = Glibc.alignUp(len, Glibc.PAGE);
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + "), which the "
                  + "kernel rounds up to "
                  + pages
                  + " bytes (whole pages): not glibc malloc, "
                  + "whose mappings are always whole pages, so the program or a library asked "
                  + "the kernel for it itself",
              Basis.ARITHMETIC,
              len + " % 4096 = " + len % Glibc.PAGE)
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    Set<String> extra = new TreeSet<>(c.mapFlags());
    extra.removeAll(Set.of("MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_FIXED"));
    if (extra.equals(Set.of("MAP_HUGETLB"))
        && (c.prot().equals(Set.of("PROT_READ", "PROT_WRITE")) || c.prot().isEmpty())
        && !AllocatorRules.foreign(c.sp)) {
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + ") with MAP_HUGETLB, to back it with hugetlbfs huge pages"
                  + hugePagesRounding(c, len)
                  + ": "
                  + MallocEnv.hugetlbMalloc(c.sp),
              Basis.PATTERN,
              "flags " + c.text(3))
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    if (!extra.isEmpty()) {
      StringBuilder what = new StringBuilder();
      for (String f : extra) {
        what.append("; ").append(f).append(": ").append(FLAG_MEANING.getOrDefault(f, "as asked"));
      }
      if (extra.contains("MAP_HUGETLB")) {
        what.append(hugePagesRounding(c, len));
      }
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + ") with "
                  + String.join("|", extra)
                  + ", which glibc malloc never passes, so the "
                  + "program or a library asked the kernel for it itself"
                  + what
                  + ("jemalloc".equals(c.sp.allocator) && extra.equals(Set.of("MAP_NORESERVE"))
                      ? ". It fits jemalloc's own mappings: jemalloc is this process's malloc "
                          + "("
                          + AllocatorRules.whence(c.sp)
                          + "), and pages_boot adds MAP_NORESERVE to the flags of every mmap it "
                          + "makes when /proc/sys/vm/overcommit_memory lets the kernel overcommit"
                      : "mimalloc".equals(c.sp.allocator) && extra.equals(Set.of("MAP_NORESERVE"))
                          ? ". It fits mimalloc's own mappings: "
                              + AllocatorRules.mimallocNoreserve(c.sp)
                          : ""),
              Basis.PATTERN,
              "flags " + c.text(3))
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    StackFrame own = c.wrapperCaller();
    if (own != null) {
      String who = Explainer.frameText(own);
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + "): the stack shows "
                  + who
                  + (own.symbol() == null || own.symbol().isEmpty()
                      ? ""
                      : " (" + Explainer.FRAME_NAMES + ")")
                  + " calling libc's mmap itself, with no malloc frame between, so it is not "
                  + "glibc malloc's mmap path, whatever its size: the program or a library maps "
                  + "this memory and manages it itself",
              Basis.STACK,
              "frame " + who)
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    if (AllocatorRules.foreign(c.sp) && c.prot().equals(Set.of("PROT_READ", "PROT_WRITE"))) {
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + "): glibc malloc's mmap threshold says nothing here, since "
                  + AllocatorRules.notGlibcMalloc(c.sp)
                  + "; "
                  + (c.sp.allocator != null ? c.sp.allocator + ", " : "")
                  + "the program or a library asked the kernel for it",
              Basis.PATTERN,
              "glibc malloc is not this process's allocator")
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    if (!c.prot().equals(Set.of("PROT_READ", "PROT_WRITE"))) {
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes with "
                  + c.protText()
                  + ": not "
                  + "glibc malloc, which maps PROT_READ|PROT_WRITE only, so the program or a "
                  + "library (a JIT, a runtime) asked the kernel for it itself",
              Basis.PATTERN,
              "protection " + c.protText())
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    if (c.sp.withoutGlibc()) {
      if (len >= smallest) {
        return null; // malloc's shape: GoRuntimeTest keeps such mappings unexplained
      }
      // no glibc malloc here, so no mmap threshold to measure the mapping against
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + "): this process has made no brk since its execve, which glibc's startup "
                  + "always makes first, so no glibc malloc runs in it; the program or its own "
                  + "runtime (Go's, in a static Go binary) asked the kernel for it itself",
              Basis.PATTERN,
              "no brk since execve")
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    if (c.addr() != 0 && !c.mapFlags().contains("MAP_FIXED")) {
      return hinted(c);
    }
    String noChunks = MallocEnv.noMmapBy(c.sp);
    if (noChunks != null) {
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + "), not a malloc chunk: "
                  + noChunks
                  + ". So the program or a library asked the kernel for it itself, unless mallopt"
                  + "(M_MMAP_MAX), which the trace does not show, let malloc map chunks again, or"
                  + " a brk failed (sysmalloc then maps heap memory of at least 1 MiB instead,"
                  + " sysmalloc_mmap_fallback)",
              Basis.PATTERN,
              "environment at line " + c.sp.envLine)
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    if (len >= smallest) {
      return null;
    }
    String belowSmallest =
        "ALIGN_UP("
            + Glibc.alignUp(c.sp.mmapThreshold, 16)
            + " + 8, 4096) = "
            + smallest
            + " > "
            + len;
    if (!c.sp.envThreshold
        && MallocEnv.setting(c.sp, "MALLOC_MMAP_THRESHOLD_", "glibc.malloc.mmap_threshold")
            != null) {
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + "): smaller than the "
                  + smallest
                  + " bytes glibc malloc's mmap path maps at least at the threshold "
                  + c.sp.mmapThreshold
                  + " it would have here untuned, but "
                  + MallocEnv.setBy(
                      c.sp,
                      "M_MMAP_THRESHOLD",
                      "MALLOC_MMAP_THRESHOLD_",
                      "glibc.malloc.mmap_threshold")
                  + ": if that lowers the threshold, malloc maps chunks this small itself, so"
                  + " this fits a malloc chunk as well as memory the program or a library asked"
                  + " the kernel for",
              Basis.PATTERN,
              belowSmallest,
              "environment at line " + c.sp.envLine)
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    if (len == c.sp.thresholdFreedLen && c.sp.mmapThreshold == len && !c.sp.envThreshold) {
      // free() set the threshold to chunksize(p): for an aligned chunk, the mapping less its lead
      return Said.of(
              "a direct anonymous mmap of "
                  + len
                  + " bytes ("
                  + c.protText()
                  + "), the size of the malloc chunk whose free() at line "
                  + c.sp.thresholdFreedLine
                  + " raised glibc's mmap threshold to at most "
                  + len
                  + ": had that chunk been an aligned allocation's (aligned_alloc, posix_memalign),"
                  + " free() took its size less the lead bytes before the aligned block, the"
                  + " threshold is that much lower, and the same allocation again maps this size"
                  + " through malloc's mmap path (_int_memalign); else the program or a library"
                  + " asked the kernel for it itself. The trace does not tell which",
              Basis.PATTERN,
              belowSmallest,
              "free() of a " + len + "-byte mapping at line " + c.sp.thresholdFreedLine)
          .tag(RegionClass.ANON, len + "-byte anonymous mapping");
    }
    return Said.of(
            "a direct anonymous mmap of "
                + len
                + " bytes ("
                + c.protText()
                + "): too small "
                + "for glibc malloc's mmap path, whose smallest mapping at the current "
                + "threshold "
                + c.sp.mmapThreshold
                + (c.sp.envThreshold ? MallocEnv.thresholdSetBy(c.sp) : "")
                + " is "
                + smallest
                + " bytes, so likely the "
                + "program or a library asked the kernel for it itself, unless it lowered the "
                + "threshold "
                + (c.sp.envThreshold
                    ? "further (mallopt(M_MMAP_THRESHOLD), which the trace does not show)"
                    : "("
                        + MallocEnv.setBy(
                            c.sp,
                            "M_MMAP_THRESHOLD",
                            "MALLOC_MMAP_THRESHOLD_",
                            "glibc.malloc.mmap_threshold")
                        + ")")
                + " and malloc mapped it",
            Basis.PATTERN,
            belowSmallest)
        .tag(RegionClass.ANON, len + "-byte anonymous mapping");
  }

  /** The evidence the rows below put under a mapping too small for malloc's mmap path. */
  private static boolean belowSmallest(String evidence) {
    return evidence.startsWith("ALIGN_UP(")
        && evidence.contains(") = ")
        && evidence.contains(" > ");
  }

  /**
   * A munmap of part of a mapping told as too small for glibc malloc's mmap path unless the program
   * lowered the threshold, which the trace does not show: free() unmaps a chunk's whole mapping
   * (munmap_chunk), so whatever the threshold it was no malloc chunk, and its mmap is retold so
   * where it still waits. Ruby 3.1 maps each 16 KiB heap page so: 32 KiB, then it unmaps the slack
   * around a page aligned to 16 KiB (gc.c, where HEAP_PAGE_ALLOC_USE_MMAP).
   */
  private static void partOfASmallMapping(Ctx c, TagMap.Span before) {
    if (before == null || before.tag().cls() != RegionClass.ANON || before.tag().origin == null) {
      return;
    }
    long a = c.addr();
    long end = a + Glibc.alignUp(c.length(), Glibc.PAGE);
    if (Long.compareUnsigned(a, before.start()) <= 0
        && Long.compareUnsigned(end, before.end()) >= 0) {
      return; // all of it: what free() would do too
    }
    Integer maker = before.tag().origin.in.event().pid();
    if (c.ex.view(maker) != c.ex.view(c.ev.pid())) {
      return; // a fork child's munmap of what its parent mapped: the parent's call is not retold
    }
    boolean hedged =
        before.tag().origin.why.stream()
            .anyMatch(
                e ->
                    e.rule().equals("anon-direct")
                        && e.basis() == Basis.PATTERN
                        && e.evidence().stream().anyMatch(MappingRules::belowSmallest));
    if (!hedged) {
      return;
    }
    c.ex.retell(
        before.tag(),
        RESERVATION,
        new Explanation(
            "anon-direct",
            "a direct anonymous mmap of "
                + before.size()
                + " bytes: the munmap at line "
                + c.line()
                + " unmaps only part of it, which glibc's free() never does (munmap_chunk unmaps"
                + " a chunk's whole mapping), so it is no malloc chunk, whatever the mmap"
                + " threshold: the program or a library asked the kernel for it itself",
            Basis.ARITHMETIC,
            List.of("munmap(" + hex(a) + ", " + c.length() + ") at line " + c.line())));
  }

  /**
   * A read-write anonymous mmap asked for at an address (a hint: no MAP_FIXED). glibc malloc maps
   * its chunks at NULL (sysmalloc_mmap), and only a new arena's PROT_NONE reservation at a hint
   * (new_heap), so the program or a runtime's own allocator made it. A hint where an earlier
   * mapping ends fits an allocator that asks for each mapping right after its last one: Boehm GC's
   * GC_unix_mmap_get_mem (os_dep.c: last_addr = result + bytes) and LuaJIT's mmap_probe
   * (lj_alloc.c: hint_addr = addr + size) do.
   */
  private static Said hinted(Ctx c) {
    long hint = c.addr();
    List<String> evidence = new ArrayList<>();
    evidence.add("address argument " + hex(hint) + " without MAP_FIXED");
    String chain = "";
    TagMap.Span prev = c.sp.tags.at(hint - 1);
    if (prev != null && prev.end() == hint && prev.tag().line() < c.line()) {
      chain =
          ". The hint is where "
              + MallocRules.the(prev.tag().what())
              + " made at line "
              + prev.tag().line()
              + " ends: "
              + hintChainAllocator(c.sp);
      evidence.add(hex(hint) + " = the end of the range made at line " + prev.tag().line());
    }
    String placed =
        c.result() == hint
            ? "; the kernel placed it at the hint"
            : "; the range at the hint was not free (or not allowed), so the kernel placed it at "
                + hex(c.result())
                + " instead (without MAP_FIXED the address is only a hint: mmap(2))";
    return Said.of(
            "a direct anonymous mmap of "
                + c.length()
                + " bytes ("
                + c.protText()
                + ") asked for at "
                + hex(hint)
                + ": glibc malloc never passes an address for its chunks (sysmalloc_mmap maps at "
                + "NULL), so the program or a library, such as a runtime's own allocator, asked "
                + "the kernel for it itself"
                + placed
                + chain,
            Basis.ARITHMETIC,
            evidence.toArray(String[]::new))
        .tag(RegionClass.ANON, c.length() + "-byte anonymous mapping");
  }

  /** Who asks for each mapping where its last one ended, by what the process loaded. */
  private static String hintChainAllocator(Space sp) {
    boolean luajit = sp.runs().startsWith("luajit");
    boolean boehm = false;
    boolean llvm = false;
    for (TagMap.Span s : sp.tags.all()) {
      String o = s.tag().object();
      if (o != null && s.tag().cls().isImage()) {
        String n = LoaderRules.shortName(o);
        boehm |= n.startsWith("libgc.so");
        luajit |= n.startsWith("libluajit");
        llvm |= n.startsWith("libLLVM");
      }
    }
    if (boehm) {
      return "fits Boehm GC (libgc, loaded here), whose GC_unix_mmap_get_mem (os_dep.c) asks for "
          + "each new heap block at last_addr, where its last one ended; the collector manages "
          + "this memory itself, not glibc malloc";
    }
    if (luajit) {
      return "fits LuaJIT's own allocator, whose mmap_probe (lj_alloc.c) asks for each new "
          + "mapping at hint_addr, where its last one ended; LuaJIT manages this memory itself, "
          + "not glibc malloc";
    }
    if (llvm) {
      return "fits LLVM (libLLVM, loaded here), whose sys::Memory::allocateMappedMemory"
          + " (lib/Support/Unix/Memory.inc) asks for each new block right after the near block its"
          + " caller passes, as a JIT's SectionMemoryManager does for the code and data of what it"
          + " compiles, which it then makes read-execute or read-only with mprotect; also an"
          + " allocator that asks for each new mapping right after its last one, as Boehm GC's"
          + " GC_unix_mmap_get_mem (os_dep.c) does";
    }
    return "fits an allocator that asks for each new mapping right after its last one, as Boehm "
        + "GC's GC_unix_mmap_get_mem (os_dep.c) and LuaJIT's mmap_probe (lj_alloc.c) do";
  }

  /**
   * An mprotect RW of part of an anonymous mapping made after mimalloc's library was loaded, in a
   * process whose malloc is mimalloc: mimalloc 2.0's mi_os_commitx (src/os.c) commits with
   * mprotect(PROT_READ|PROT_WRITE), whether or not the range was PROT_NONE (it decommits with
   * MADV_DONTNEED), as a clause; else empty.
   */
  private static String mimallocCommit(Ctx c, TagMap.Span s) {
    if (!"mimalloc".equals(c.sp.allocator)
        || !c.prot().equals(Set.of("PROT_READ", "PROT_WRITE"))
        || (s.tag().cls() != RegionClass.RESERVED && s.tag().cls() != RegionClass.ANON)
        || s.tag().line() <= c.sp.allocatorLine) {
      return "";
    }
    return "; fits mimalloc committing memory of one of its segments (mi_os_commitx in src/os.c"
        + " commits with mprotect PROT_READ|PROT_WRITE, whether or not the range was PROT_NONE,"
        + " and decommits with MADV_DONTNEED): mimalloc is this process's malloc (its library"
        + " mapped before libc.so.6 at line "
        + c.sp.allocatorLine
        + "), though the program or another library may commit so too";
  }

  private static Said unmapKnown(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    long len = c.length();
    long end = c.addr() + Glibc.alignUp(len, Glibc.PAGE);
    List<TagMap.Span> spans = c.sp.tags.overlapping(c.addr(), end);
    if (s.start() == c.addr() && spans.size() > 1) {
      return unmapSeveral(c, spans, end);
    }
    boolean whole = s.start() == c.addr() && Glibc.alignUp(len, Glibc.PAGE) >= s.size();
    boolean rest = whole && s.tag().cut();
    return Said.of(
        (rest
                ? "unmaps the " + s.size() + " bytes left of "
                : whole ? "unmaps " : "unmaps " + len + " bytes of ")
            + MallocRules.the(s.tag().what())
            + " made at line "
            + s.tag().line()
            + (rest ? ", which an earlier munmap cut" : "")
            // ldso-cache's own tag: a file the program mapped whose name holds "cache" is not it
            + (s.tag().cls() == RegionClass.FILE_PRIVATE && "ld.so.cache".equals(s.tag().what())
                ? ": ld.so no longer needs the cache once the libraries are loaded"
                : ""),
        Basis.PATTERN,
        "range starts in the region made at line " + s.tag().line());
  }

  /**
   * A munmap from the start of one known range over others: a library's whole image (dlclose:
   * _dl_unmap_segments unmaps from its first segment's start to the end of its last, .bss
   * included), or several ranges, each named.
   */
  private static final String UNSEEN = "memory the trace did not show being made";

  /** Past this many pieces, an unmap over many mappings names the first and last few. */
  private static final int MAX_PIECES = 6;

  /**
   * The pieces an unmap runs over, the middle ones counted when there are many (an allocator
   * releasing hundreds of merged mappings at once): "N more pieces (made between lines A and B)".
   */
  private static List<String> shortened(List<String> parts, List<Integer> lines) {
    if (parts.size() <= MAX_PIECES) {
      return parts;
    }
    int head = 3;
    int tail = parts.size() - 2;
    int lo = Integer.MAX_VALUE;
    int hi = -1;
    boolean gap = false;
    for (int i = head; i < tail; i++) {
      int l = lines.get(i);
      gap |= l < 0;
      if (l >= 0) {
        lo = Math.min(lo, l);
        hi = Math.max(hi, l);
      }
    }
    int n = tail - head;
    List<String> what = new ArrayList<>(2);
    if (hi >= 0) {
      what.add(lo == hi ? "made at line " + lo : "made between lines " + lo + " and " + hi);
    }
    if (gap) {
      what.add("with " + UNSEEN + " among them");
    }
    String middle = n + " more pieces (" + String.join(", ", what) + ")";
    List<String> out = new ArrayList<>(parts.subList(0, head));
    out.add(middle);
    out.addAll(parts.subList(tail, parts.size()));
    return out;
  }

  /**
   * Neighbouring spans one line made, as an unmap names them: a musl thread stack's guard and its
   * RW part are the stack; parts of one range told apart by later calls are that range, with the
   * bytes the unmap takes of it.
   */
  private static String unmapRunName(Ctx c, List<TagMap.Span> run, long end) {
    TagMap.Span first = run.get(0);
    String what =
        first.tag().what().equals(ThreadRules.GUARDED_STACK_GUARD)
            ? ThreadRules.GUARDED_STACK
            : first.tag().what();
    boolean same = true;
    long bytes = 0;
    for (TagMap.Span s : run) {
      same &= s.tag().what().equals(first.tag().what());
      bytes += Math.min(s.end(), end) - Math.max(s.start(), c.addr());
    }
    String name =
        same || first.tag().what().equals(ThreadRules.GUARDED_STACK_GUARD)
            ? MallocRules.the(what)
            : bytes + " bytes of " + runName(run);
    return name + " made at line " + first.tag().line();
  }

  private static Said unmapSeveral(Ctx c, List<TagMap.Span> spans, long end) {
    String object = spans.get(0).tag().object();
    boolean image = object != null;
    int first = Integer.MAX_VALUE;
    int last = 0;
    long at = c.addr();
    for (TagMap.Span s : spans) {
      image =
          image && s.tag().cls().isImage() && object.equals(s.tag().object()) && s.start() == at;
      first = Math.min(first, s.tag().line());
      last = Math.max(last, s.tag().line());
      at = s.end();
    }
    image &= at == end;
    if (image) {
      return Said.of(
          "unmaps the whole image of "
              + LoaderRules.shortName(object)
              + " that ld.so mapped at lines "
              + first
              + " to "
              + last
              + " ("
              + c.length()
              + " bytes, the span ld.so reserved for it): fits dlclose, whose"
              + " _dl_unmap_segments unmaps from the first segment's start to the end of the last",
          Basis.PATTERN,
          "range covers the image of " + object);
    }
    List<String> parts = new ArrayList<>();
    List<Integer> lines = new ArrayList<>(); // each part's line, -1 for a gap
    for (List<TagMap.Span> run : runsByLine(spans, c.addr(), end)) {
      parts.add(run.isEmpty() ? UNSEEN : unmapRunName(c, run, end));
      lines.add(run.isEmpty() ? -1 : run.get(0).tag().line());
    }
    return Said.of(
        "unmaps " + String.join(", then ", shortened(parts, lines)),
        Basis.PATTERN,
        "range starts in the region made at line " + spans.get(0).tag().line());
  }
}
