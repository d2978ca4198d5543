package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;

/**
 * Processes whose memory glibc malloc does not manage, as far as the trace shows it: jemalloc,
 * tcmalloc or mimalloc mapped by ld.so before libc.so.6 (LD_PRELOAD, or linked in), whose malloc
 * then comes first in the lookup scope; and a process that set its thread pointer before any brk,
 * which glibc's startup never does (musl). Their brk and mmap calls are told by what the
 * allocator's own source does (jemalloc 5.3 src/extent_dss.c and src/pages.c, gperftools
 * src/system-alloc.cc, mimalloc 2.0 src/os.c, musl src/malloc/mallocng/malloc.c), never by glibc's
 * thresholds and top_pad.
 */
final class AllocatorRules {
  private AllocatorRules() {}

  /** musl mallocng's MMAP_THRESHOLD, IB and UNIT (src/malloc/mallocng/meta.h). */
  static final long MUSL_MMAP_THRESHOLD = 131052;

  static final long MUSL_OVERHEAD = 4 + 16;

  /** The allocators told apart by their library's file name. */
  private static final List<String[]> LIBRARIES =
      List.of(
          new String[] {"libjemalloc", "jemalloc"},
          new String[] {"libtcmalloc", "tcmalloc"},
          new String[] {"libmimalloc", "mimalloc"},
          new String[] {"libasan", "AddressSanitizer"},
          new String[] {"libtsan", "ThreadSanitizer"},
          new String[] {"liblsan", "LeakSanitizer"},
          new String[] {"libhwasan", "HWAddressSanitizer"});

  /**
   * Whether {@link Space#allocator} is a sanitizer's runtime (GCC's -fsanitize=address, thread or
   * leak links libasan, libtsan or liblsan first): its interceptors take malloc's place and hand
   * out memory from compiler-rt's sanitizer_common allocator, which maps with mmap only.
   */
  static boolean sanitizer(Space sp) {
    return sp.allocator != null && sp.allocator.endsWith("Sanitizer");
  }

  /**
   * ld.so mapped an object (the span of ldso-span): libc.so.6, or an allocator's library before it
   * at startup, which then supplies malloc.
   */
  static void loaded(Ctx c) {
    String path = c.filePath();
    if (path == null) {
      return;
    }
    String file = path.substring(path.lastIndexOf('/') + 1);
    if (file.startsWith("libc.so.6")) {
      c.sp.libcLoaded = true;
      return;
    }
    if (c.sp.libcLoaded || c.sp.tlsInstalled || c.sp.allocator != null) {
      return;
    }
    for (String[] lib : LIBRARIES) {
      if (file.startsWith(lib[0] + ".so") || file.startsWith(lib[0] + "_")) {
        c.sp.allocator = lib[1];
        c.sp.allocatorLine = c.line();
      }
    }
  }

  /**
   * A readlink of /etc/malloc.conf before glibc malloc started: jemalloc's malloc_conf_init looking
   * for its options (obtain_malloc_conf in src/jemalloc.c reads the link "/etc/" JEMALLOC_PREFIX
   * "malloc.conf"; unprefixed, jemalloc's malloc is the process's). glibc's malloc never reads it.
   * When no library of jemalloc's was loaded it is linked into the program (rustc's executable
   * exports jemalloc's malloc, calloc, realloc and free); from then on glibc malloc's rules do not
   * apply.
   */
  static void mallocConf(Ctx c, Explainer.Pending p) {
    String path = c.text(c.name().equals("readlinkat") ? 1 : 0);
    if (!"\"/etc/malloc.conf\"".equals(path)
        || c.sp.allocator != null
        || c.sp.mallocStarted
        || c.sp.withoutGlibc()
        || c.sp.bits32) {
      return;
    }
    c.sp.allocator = "jemalloc";
    c.sp.allocatorLine = c.line();
    c.sp.allocatorLinked = true;
    p.why.add(
        new Explanation(
            "allocator-conf",
            "jemalloc starts: its malloc_conf_init looks for options in the symbolic link "
                + "/etc/malloc.conf (obtain_malloc_conf, src/jemalloc.c), which glibc's malloc "
                + "never reads, and no malloc of glibc's has run yet. No library of jemalloc's was "
                + "loaded, so it is linked into the program and its malloc is the one the program "
                + "calls (rustc's executable, for one, exports jemalloc's malloc, calloc, realloc and "
                + "free); "
                + "from here on glibc malloc's thresholds, top_pad and arenas say nothing about "
                + "this process's memory",
            Basis.PATTERN,
            List.of("readlink(\"/etc/malloc.conf\") before any glibc malloc")));
  }

  /** Where the trace showed jemalloc, tcmalloc or mimalloc become the process's malloc. */
  static String whence(Space sp) {
    return sp.allocatorLinked
        ? "linked into the program, its start at line " + sp.allocatorLine
        : "its library mapped before libc.so.6 at line " + sp.allocatorLine;
  }

  /** Why MAP_NORESERVE fits a mimalloc process's mmaps, as a clause (mimalloc 2.0 src/os.c). */
  static String mimallocNoreserve(Space sp) {
    return "mimalloc is this process's malloc (its library mapped before libc.so.6 at line "
        + sp.allocatorLine
        + "), and mi_unix_mmap adds MAP_NORESERVE to every mmap it makes when "
        + "/proc/sys/vm/overcommit_memory lets the kernel overcommit (os_detect_overcommit)";
  }

  /** Why glibc malloc is not this process's allocator, as a clause. */
  static String notGlibcMalloc(Space sp) {
    if (sp.allocatorLinked) {
      return sp.allocator
          + ", linked into the program (its start at line "
          + sp.allocatorLine
          + "), supplies malloc";
    }
    if (sp.allocator != null) {
      return sp.allocator
          + "'s library, which ld.so mapped before libc.so.6 (line "
          + sp.allocatorLine
          + "), supplies malloc: it comes first in the lookup scope";
    }
    return "this process set its thread pointer before any brk, which glibc's startup never does";
  }

  /**
   * Whether glibc malloc is known not to be this process's allocator, and another one is: jemalloc
   * or tcmalloc, or a C library that set the thread pointer before its malloc's first brk (musl). A
   * process that never called brk (Go) is left to the rules that know its runtime.
   */
  static boolean foreign(Space sp) {
    return sp.allocator != null || (sp.tpBeforeBrk && sp.startBrk >= 0);
  }

  private static long muslBase(Ctx c) {
    return Glibc.alignUp(c.sp.startBrk, Glibc.PAGE);
  }

  static List<Rule> rules() {
    return List.of(
        Rule.on("musl-brk-query", "brk")
            .when(addrIs(0), c -> c.sp.startBrk < 0 && c.sp.tpBeforeBrk)
            .says(
                c ->
                    Said.of(
                        "the first brk(0) of this address space comes after the thread pointer "
                            + "was set, which glibc's startup never does (ld.so's _dl_sysdep_start "
                            + "and a static binary's __libc_setup_tls ask for the break first): not "
                            + "ld.so learning the break. It fits musl's malloc: mallocng's "
                            + "alloc_meta reads the break "
                            + "with brk(0) before it takes two pages there for its metadata. "
                            + "[heap] will start at "
                            + hex(c.result()),
                        Basis.PATTERN,
                        "ARCH_SET_FS before the first brk since execve")),
        Rule.on("musl-brk", "brk")
            .when(ok(), c -> c.sp.tpBeforeBrk && c.sp.startBrk >= 0 && c.addr() > c.sp.brk)
            .says(AllocatorRules::muslBrk),
        Rule.on("musl-meta-guard", "mmap")
            .when(
                ok(),
                anon(),
                flag("MAP_FIXED"),
                prot(),
                lengthIs(Glibc.PAGE),
                c -> c.sp.tpBeforeBrk && c.sp.startBrk >= 0 && c.addr() == muslBase(c))
            .says(
                c ->
                    Said.of(
                            "fits musl's malloc: mallocng's alloc_meta makes the lower of the two "
                                + "pages it took with brk a PROT_NONE guard (MAP_FIXED over "
                                + hex(c.addr())
                                + ", the break brk(0) returned), a guard right below the "
                                + "metadata page above it",
                            Basis.PATTERN,
                            "PROT_NONE page at the first break " + hex(c.sp.startBrk))
                        .tag(RegionClass.GUARD, "guard page below malloc metadata")),
        Rule.on("musl-mmap", "mmap")
            .when(ok(), privateAnonRwAtNull(), c -> c.sp.tpBeforeBrk && c.sp.startBrk >= 0)
            .says(AllocatorRules::muslMmap),
        Rule.on("allocator-brk", "brk")
            .when(c -> c.sp.allocator != null && c.sp.startBrk >= 0)
            .says(AllocatorRules::allocatorBrk),
        Rule.on("asan-layout", "mmap")
            .when(ok(), anon(), flag("MAP_FIXED"), c -> "AddressSanitizer".equals(c.sp.allocator))
            .says(AllocatorRules::asanLayout));
  }

  /**
   * AddressSanitizer's fixed ranges on x86-64 Linux (compiler-rt asan_mapping.h, SHADOW_OFFSET
   * 0x7fff8000, scale 3: a shadow byte at (addr >> 3) + 0x7fff8000 for every 8 bytes),
   * InitializeShadowMemory (asan_shadow_setup.cpp) reserving the low shadow with one page more
   * below it and the high shadow (ReserveShadowMemoryRange: MAP_FIXED|MAP_NORESERVE) and making the
   * gap between them PROT_NONE (ProtectGap), and the primary allocator's space (kAllocatorSpace
   * 0x600000000000, kAllocatorSize 4 TiB, asan_allocator.h).
   */
  private static Said asanLayout(Ctx c) {
    long a = c.addr();
    long end = a + c.length();
    boolean none = c.prot().isEmpty();
    String asan =
        "AddressSanitizer (its runtime mapped before libc.so.6 at line " + c.sp.allocatorLine;
    if (!none && a == 0x7fff7000L && end == 0x8fff7000L) {
      return Said.of(
              "fits "
                  + asan
                  + ") reserving its low shadow (asan_mapping.h, x86-64: kLowShadowBeg 0x7fff8000 "
                  + "to kLowShadowEnd 0x8fff6fff, one page more below it): one shadow byte, at "
                  + "(addr >> 3) + 0x7fff8000, tells how many of 8 bytes of the memory below "
                  + "0x7fff8000 may be used. InitializeShadowMemory maps it MAP_NORESERVE "
                  + "(ReserveShadowMemoryRange), so pages are committed only as they are touched",
              Basis.PATTERN,
              "MAP_FIXED at " + hex(a) + " in a process whose malloc is AddressSanitizer's")
          .tag(RegionClass.ANON, "AddressSanitizer low shadow");
    }
    if (!none && a == 0x2008fff7000L && end == 0x10007fff8000L) {
      return Said.of(
              "fits "
                  + asan
                  + ") reserving its high shadow (asan_mapping.h, x86-64: kHighShadowBeg "
                  + "0x02008fff7000 to kHighShadowEnd 0x10007fff7fff): the shadow, at (addr >> 3) "
                  + "+ 0x7fff8000, of the memory from 0x10007fff8000 up, where the program, its "
                  + "libraries, mappings and stacks lie. InitializeShadowMemory maps it "
                  + "MAP_NORESERVE (ReserveShadowMemoryRange), so pages are committed only as they "
                  + "are touched",
              Basis.PATTERN,
              "MAP_FIXED at " + hex(a) + " in a process whose malloc is AddressSanitizer's")
          .tag(RegionClass.ANON, "AddressSanitizer high shadow");
    }
    if (none && a == 0x8fff7000L && end == 0x2008fff7000L) {
      return Said.of(
              "fits "
                  + asan
                  + ") protecting its shadow gap (asan_mapping.h, x86-64: kShadowGapBeg "
                  + "0x00008fff7000 to kShadowGapEnd 0x02008fff6fff), the shadow of the shadow, "
                  + "which no valid address needs: ProtectGap maps it PROT_NONE so that a wild "
                  + "access there faults; it is not made usable later",
              Basis.PATTERN,
              "PROT_NONE at " + hex(a) + " in a process whose malloc is AddressSanitizer's")
          .tag(RegionClass.RESERVED, "AddressSanitizer shadow gap");
    }
    if (none && a == 0x600000000000L && c.length() >= 0x40000000000L) {
      return Said.of(
              "fits "
                  + asan
                  + ") reserving its primary allocator's space (asan_allocator.h, x86-64: "
                  + "kAllocatorSpace 0x600000000000, kAllocatorSize 4 TiB): SizeClassAllocator64 "
                  + "gives each size class a region of it and maps pieces of a region as blocks "
                  + "of that class are needed; the program's small and medium mallocs come from "
                  + "here, large ones get a mapping of their own (LargeMmapAllocator)",
              Basis.PATTERN,
              "PROT_NONE at " + hex(a) + " in a process whose malloc is AddressSanitizer's")
          .tag(RegionClass.RESERVED, "AddressSanitizer allocator space");
    }
    return null;
  }

  private static Said muslBrk(Ctx c) {
    long inc = c.addr() - c.sp.brk;
    boolean first = c.sp.brk == c.sp.startBrk;
    String text;
    Basis basis = Basis.PATTERN;
    if (first && c.addr() == muslBase(c) + 2 * Glibc.PAGE) {
      text =
          "[heap] appears: the break moves up by "
              + inc
              + " bytes, two pages, as musl's mallocng "
              + "takes them in alloc_meta: the lower becomes a PROT_NONE guard, the upper holds "
              + "malloc's metadata (struct meta records); the memory it hands out comes from mmap";
    } else if (!first && inc == Glibc.PAGE) {
      text =
          "the break moves up by one page: fits musl's mallocng taking one more page of the brk "
              + "area for its metadata (alloc_meta)";
    } else {
      text =
          "the break moves up by "
              + inc
              + " bytes"
              + (first ? "; [heap] appears" : "")
              + ". Not glibc malloc's growth: "
              + notGlibcMalloc(c.sp)
              + "; which code moved it the trace does not show";
      basis = Basis.GUESS;
    }
    return Said.of(text, basis, hex(c.sp.brk) + " + " + inc + " = " + hex(c.addr()))
        .tag(RegionClass.HEAP, "[heap]");
  }

  private static Said muslMmap(Ctx c) {
    long len = c.length();
    long n = len - MUSL_OVERHEAD;
    // malloc(n) maps n + 20 bytes whatever n is (mallocng's malloc), so only a whole-page length
    // can also be a group of slots
    if (len % Glibc.PAGE != 0 && n >= MUSL_MMAP_THRESHOLD) {
      return Said.of(
              "fits musl's malloc("
                  + n
                  + "): mallocng gives a request of n ≥ MMAP_THRESHOLD "
                  + MUSL_MMAP_THRESHOLD
                  + " bytes a mapping of its own of n + IB 4 + UNIT 16 = "
                  + len
                  + " bytes, which the kernel rounds up to whole pages; free() unmaps it. glibc "
                  + "malloc's rules do not apply: "
                  + notGlibcMalloc(c.sp),
              Basis.PATTERN,
              n + " + 4 + 16 = " + len)
          .tag(RegionClass.ANON, "musl malloc mapping");
    }
    if (len % Glibc.PAGE != 0) {
      return null;
    }
    return Said.of(
            "a direct anonymous mmap of "
                + len
                + " bytes: not glibc malloc's, since "
                + notGlibcMalloc(c.sp)
                + ". It fits musl's malloc, whose mallocng maps whole pages for a group of "
                + "same-sized slots (alloc_group)"
                + (n >= MUSL_MMAP_THRESHOLD
                    ? ", or a request of "
                        + n
                        + " bytes (n ≥ MMAP_THRESHOLD "
                        + MUSL_MMAP_THRESHOLD
                        + " gets n + IB 4 + UNIT 16 bytes of its own)"
                    : "")
                + ", though the program or a library may map such itself",
            Basis.PATTERN,
            len + " bytes, whole pages")
        .tag(RegionClass.ANON, len + "-byte anonymous mapping");
  }

  private static Said allocatorBrk(Ctx c) {
    if (c.sp.allocator.equals("mimalloc") || sanitizer(c.sp)) {
      return mmapOnlyBrk(c);
    }
    boolean je = c.sp.allocator.equals("jemalloc");
    String who =
        c.sp.allocator + " (" + whence(c.sp) + ", so its malloc is the one the program calls)";
    if (c.addr() == 0) {
      return Said.of(
          je
              ? who
                  + " reads the break once with sbrk(0) as it starts (extent_dss_boot); glibc's "
                  + "sbrk asks the kernel with brk(0). jemalloc takes memory from the brk area only "
                  + "when mmap fails (its default dss precedence, \"secondary\")"
              : who
                  + " asks for the break with sbrk(0) before it grows it (SbrkSysAllocator::Alloc); "
                  + "glibc's sbrk asks the kernel with brk(0)",
          Basis.PATTERN,
          "brk(NULL) after startup in a process whose malloc is " + c.sp.allocator);
    }
    if (!c.ok() || c.sp.brk < 0 || c.addr() == c.sp.brk) {
      return null;
    }
    long inc = c.addr() - c.sp.brk;
    boolean first = c.sp.brk == c.sp.startBrk;
    String moved =
        (inc > 0 ? "the break moves up by " + inc : "the break moves down by " + -inc)
            + " bytes"
            + (first && inc > 0 ? "; [heap] appears" : "")
            + ": ";
    String text;
    if (inc < 0) {
      text =
          moved
              + "not glibc malloc's systrim, since "
              + notGlibcMalloc(c.sp)
              + "; which code gave the memory back the trace does not show";
    } else if (je) {
      text =
          moved
              + "fits jemalloc's extent_alloc_dss, which "
              + who
              + " reaches only when mmap failed (dss precedence \"secondary\"), unless the "
              + "program moved the break itself; glibc malloc's top_pad arithmetic does not apply";
    } else {
      text =
          moved
              + who
              + " takes memory with sbrk: TCMalloc_SystemAlloc tries SbrkSysAllocator::Alloc before "
              + "mmap unless TCMALLOC_SKIP_SBRK is set"
              + (inc < 8192
                  ? "; a move of less than tcmalloc's 8 KiB page (kPageSize) fits its sbrk(extra), "
                      + "which tops a result up to the alignment asked"
                  : "")
              + ". glibc malloc's top_pad arithmetic does not apply";
    }
    Said s =
        Said.of(
            text,
            inc < 0 ? Basis.GUESS : Basis.PATTERN,
            hex(c.sp.brk) + (inc > 0 ? " + " + inc : " - " + -inc) + " = " + hex(c.addr()));
    return inc > 0 ? s.tag(RegionClass.HEAP, "[heap]") : s;
  }

  /**
   * A brk in a mimalloc or sanitizer process: mimalloc 2.0 takes its memory with mmap alone on
   * Linux (src/os.c uses sbrk only for WebAssembly), and so does compiler-rt's sanitizer allocator
   * (sanitizer_common's MmapOrDie and ReservedAddressRange), so neither it nor glibc malloc, which
   * it replaces, moved the break.
   */
  private static Said mmapOnlyBrk(Ctx c) {
    String not =
        sanitizer(c.sp)
            ? "not the sanitizer's: "
                + c.sp.allocator
                + " (its runtime mapped before libc.so.6 at line "
                + c.sp.allocatorLine
                + ", so its malloc is the one the program calls) takes its memory with mmap only "
                + "(sanitizer_common's MmapOrDie and ReservedAddressRange), and glibc malloc, which "
                + "it replaces, is not called"
            : "not mimalloc's: mimalloc (its library mapped before libc.so.6 at line "
                + c.sp.allocatorLine
                + ", so its malloc is the one the program calls) takes its memory with mmap only "
                + "(src/os.c calls sbrk only when built for WebAssembly), and glibc malloc, which it "
                + "replaces, is not called";
    if (c.addr() == 0) {
      return Said.of(
          "asks for the break (brk(0), as glibc's sbrk or brk does before a first move): "
              + not
              + "; the program or a library asks, which the trace does not show",
          Basis.GUESS,
          "brk(NULL) after startup in a process whose malloc is " + c.sp.allocator);
    }
    if (!c.ok() || c.sp.brk < 0 || c.addr() == c.sp.brk) {
      return null;
    }
    long inc = c.addr() - c.sp.brk;
    boolean first = c.sp.brk == c.sp.startBrk;
    Said s =
        Said.of(
            (inc > 0 ? "the break moves up by " + inc : "the break moves down by " + -inc)
                + " bytes"
                + (first && inc > 0 ? "; [heap] appears" : "")
                + ": "
                + not
                + "; the program or a library moved it with brk/sbrk itself",
            Basis.GUESS,
            hex(c.sp.brk) + (inc > 0 ? " + " + inc : " - " + -inc) + " = " + hex(c.addr()));
    return inc > 0 ? s.tag(RegionClass.HEAP, "[heap]") : s;
  }

  /**
   * What a MADV_DONTNEED or MADV_FREE in a jemalloc, tcmalloc or mimalloc process fits, as a
   * clause: a whole one-page mapping is jemalloc's pages_boot probing the advice; anything else its
   * purging of unused pages (pages_purge_forced and pages_purge_lazy, src/pages.c), or tcmalloc's
   * TCMalloc_SystemRelease (src/system-alloc.cc).
   */
  static String purge(Ctx c, TagMap.Span s, String advice) {
    String who = c.sp.allocator + " is this process's malloc (line " + c.sp.allocatorLine + ")";
    if (c.sp.allocator.equals("mimalloc")) {
      return advice.equals("MADV_DONTNEED")
          ? "; fits mimalloc decommitting memory of its segments it no longer uses "
              + "(mi_os_commitx in src/os.c decommits with MADV_DONTNEED on Linux, and commits "
              + "again with mprotect), or resetting pages where the kernel has no MADV_FREE "
              + "(mi_os_resetx): "
              + who
          : "; fits mimalloc resetting pages it no longer uses (mi_os_resetx in src/os.c: "
              + "MADV_FREE, the pages stay committed): "
              + who;
    }
    if (sanitizer(c.sp)) {
      return advice.equals("MADV_DONTNEED")
          ? "; fits the sanitizer runtime giving back pages it no longer needs "
              + "(ReleaseMemoryPagesToOS in sanitizer_common: madvise MADV_DONTNEED), such as free "
              + "memory of its allocator or shadow of freed memory: "
              + who
          : "; the sanitizer runtime gives pages back with MADV_DONTNEED "
              + "(ReleaseMemoryPagesToOS), so the program or another library advised this: "
              + who;
    }
    if (!c.sp.allocator.equals("jemalloc")) {
      return "; fits tcmalloc giving free spans of its page heap back to the kernel "
          + "(TCMalloc_SystemRelease): "
          + who;
    }
    if (s.size() == Glibc.PAGE && c.addr() == s.start() && c.length() == Glibc.PAGE) {
      return "; fits jemalloc's start-up probe of the advice on a page of its own (pages_boot: "
          + (advice.equals("MADV_DONTNEED")
              ? "madvise_MADV_DONTNEED_zeroes_pages checks that the page reads back as zeros"
              : "it tries MADV_FREE once to learn whether lazy purging works")
          + "): "
          + who;
    }
    return "; fits jemalloc handing unused pages of its extents back ("
        + (advice.equals("MADV_DONTNEED") ? "pages_purge_forced" : "pages_purge_lazy")
        + "): its decay purging (dirty_decay_ms, 10 s by default) or a purge the program asked "
        + "for through mallctl; "
        + who;
  }
}
