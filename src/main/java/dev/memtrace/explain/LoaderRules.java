package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.model.Backing;
import dev.memtrace.model.Who;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.RawText;
import java.util.List;
import java.util.Set;

/**
 * What ld.so does at startup and at dlopen: the initial brk query, its minimal malloc, the
 * ld.so.cache mapping, each shared object's span reservation, segments and .bss, holes, and RELRO
 * (elf/dl-load.c, elf/dl-map-segments.h, elf/dl-reloc.c, elf/dl-minimal-malloc.c).
 */
final class LoaderRules {
  private LoaderRules() {}

  /** LD_SO_CACHE, the one cache ld.so reads (SYSCONFDIR "/ld.so.cache"). */
  private static final String LD_SO_CACHE = "/etc/ld.so.cache";

  /** ld.so's functions that map the cache, as a -k stack would name them. */
  private static final Set<String> CACHE_READERS =
      Set.of("_dl_sysdep_read_whole_file", "_dl_load_cache_lookup");

  /** ld.so's minimal malloc mapping (retold when ARCH_SET_FS shows it holds the TLS block). */
  static final Rule MINIMAL_MALLOC =
      Rule.on("ldso-minimal-malloc", "mmap")
          .when(
              ok(),
              anon(),
              addrNull(),
              prot("PROT_READ", "PROT_WRITE"),
              c -> startup().test(c) || relocating(c),
              c -> c.mapFlags().equals(Set.of("MAP_PRIVATE", "MAP_ANONYMOUS")),
              // __minimal_malloc maps ALIGN_UP(n, pagesize) plus one page only when n does not
              // fit what is left: n > 0, so never less than two pages
              c -> !notMinimalMalloc(c),
              lengthBelow(1 << 20))
          .frames("__minimal_malloc")
          .says(LoaderRules::minimalMalloc);

  /**
   * An anonymous mmap that cannot be ld.so's minimal malloc's, whatever the trace shows of the
   * startup: __minimal_malloc maps nup = ALIGN_UP(n, pagesize) + pagesize for n > 0, so whole pages
   * and never fewer than two (elf/dl-minimal-malloc.c); and a -k stack with no frame in ld.so shows
   * another caller. Under -e trace=%memory the thread pointer's arch_prctl is hidden, and a program
   * whose malloc is its own (firefox-esr's mozjemalloc) never starts glibc's, so the startup never
   * seems to end: firefox-esr's threads mmap 47808 bytes from its own code, and each read "ld.so's
   * minimal malloc ... maps ALIGN_UP(request, 4096) plus one extra page".
   */
  static boolean notMinimalMalloc(Ctx c) {
    return c.length() < 2 * Glibc.PAGE
        || c.length() % Glibc.PAGE != 0
        || c.ev.stack().stream().anyMatch(f -> f.object() != null) && !c.stackIn("/ld-linux");
  }

  static List<Rule> rules() {
    return List.of(
        Rule.on("ldso-brk-unseen-exec", "brk")
            .when(addrIs(0), c -> c.made() != null && c.made().kind() == Who.Kind.EXEC)
            .says(
                c ->
                    Said.of(
                        "brk(0) finds the break at "
                            + hex(c.result())
                            + ", not where this task's last brk left it: only brk and execve move"
                            + " the break, so an execve the trace does not show (a -e trace= set"
                            + " without it) has replaced the address space, and this is likely"
                            + " the new program's first brk(0), ld.so learning the initial break"
                            + " (_dl_sysdep_start). Which program runs, and what execve mapped,"
                            + " the trace does not say",
                        Basis.PATTERN,
                        "brk(NULL) returned a break no brk in the trace set")),
        Rule.on("ldso-brk-query", "brk")
            .when(addrIs(0), c -> c.sp.startBrk < 0 && !c.sp.tpBeforeBrk)
            .frames("_dl_sysdep_start")
            .effect(
                (c, before) -> {
                  if (c.sp.midway && !c.byLdso() && !c.staticProgram()) {
                    c.sp.breakMetMidway = true; // malloc-brk-first hedges the growth after it
                  }
                })
            .says(
                c ->
                    c.staticProgram()
                        // csu/libc-start.c: __libc_start_main calls __libc_setup_tls
                        // (csu/libc-tls.c)
                        // early, which takes the main thread's TLS block from the break
                        ? Said.of(
                            "the first brk(0) of a fresh address space, in a statically linked "
                                + "program (its ELF headers name no interpreter, PT_INTERP, so no "
                                + "ld.so runs): fits glibc's static startup, __libc_start_main "
                                + "calling __libc_setup_tls, which learns the initial program break "
                                + "before taking the main thread's TLS block from it "
                                + "(_dl_early_allocate since glibc 2.36, __sbrk before). [heap] "
                                + "will start at "
                                + hex(c.result())
                                + " but does not exist yet (break = its start)",
                            Basis.PATTERN,
                            "first brk(NULL) of a fresh address space; the program's ELF headers"
                                + " have no PT_INTERP")
                        : c.sp.midway && !c.byLdso()
                            // strace -p, or -e trace= without execve: the start is not shown,
                            // and no -k stack shows the call in ld.so
                            ? Said.of(
                                "the first brk(0) the trace shows: fits ld.so learning the initial"
                                    + " program break at a process start (_dl_sysdep_start), but"
                                    + " the trace does not show this process start (strace -p,"
                                    + " or -e trace= without execve), so it may instead be glibc's"
                                    + " sbrk asking for the break the first time (its own copy,"
                                    + " __curbrk, still unset) or the program calling brk itself."
                                    + " The break is at "
                                    + hex(c.result()),
                                Basis.PATTERN,
                                "first brk(NULL) the trace shows; no execve, no clone before it")
                            : Said.of(
                                "the first brk(0) of a fresh address space: ld.so learns the"
                                    + " initial program break (_dl_sysdep_start; in a static"
                                    + " binary libc's startup does, before taking its TLS block"
                                    + " from the break). [heap] will start at "
                                    + hex(c.result())
                                    + " but does not exist yet (break = its start)",
                                Basis.PATTERN,
                                "first brk(NULL) of a fresh address space")),
        Rule.on("ldso-cache", "mmap")
            // ld.so reads LD_SO_CACHE, SYSCONFDIR "/ld.so.cache" (sysdeps/generic/dl-cache.h): a
            // file of that name elsewhere is one the program maps itself (git add hashing a copy
            // of a root file system's etc/ld.so.cache)
            .when(
                ok(),
                file(),
                c -> LD_SO_CACHE.equals(c.filePath()) || c.frame(CACHE_READERS) != null)
            .frames("_dl_sysdep_read_whole_file", "_dl_load_cache_lookup")
            .effect(
                (c, before) -> {
                  c.sp.cacheAddress = c.result();
                  c.sp.startupCache = !c.sp.tlsInstalled && !c.sp.mallocStarted;
                  c.sp.preloadAsked = false;
                })
            .says(
                c ->
                    Said.of(
                            "ld.so maps /etc/ld.so.cache whole ("
                                + c.length()
                                + " bytes, the file's size) "
                                // startup sets the thread pointer (init_tls) after loading the
                                // libraries; a later lookup is a dlopen's, and _dl_open unmaps
                                // the cache when it returns (elf/dl-open.c)
                                + ((c.sp.tlsInstalled || c.sp.mallocStarted) && !c.sp.preloadAsked
                                    ? "read-only to find a library that dlopen asked for (the"
                                        + " process is past its startup); _dl_open unmaps it when"
                                        + " that dlopen returns"
                                    : "read-only to look up where the libraries live; it unmaps it"
                                        + " once startup is done"),
                            Basis.PATTERN,
                            "fd is " + c.fileName())
                        .tag(RegionClass.FILE_PRIVATE, "ld.so.cache", c.filePath())),
        Rule.on("ldso-span", "mmap")
            .when(ok(), file(), flag("MAP_DENYWRITE"), noFlag("MAP_FIXED"))
            .frames("_dl_map_object_from_fd", "_dl_map_segments", "_dl_map_segment")
            .effect((c, before) -> loading(c, null))
            .says(LoaderRules::span),
        Rule.on("ldso-span-aligned", "mmap")
            .when(
                ok(),
                file(),
                flag("MAP_FIXED"),
                flag("MAP_DENYWRITE"),
                c -> c.offset() == 0 && alignment(c, c.sp.tags.at(c.addr())) > 0)
            .frames("_dl_map_segment")
            .effect(LoaderRules::alignedSpan)
            .says(LoaderRules::alignedSpanSaid),
        Rule.on("ldso-align-trim", "munmap")
            .when(ok(), LoaderRules::inAlignmentSlack)
            .frames("_dl_map_segment")
            .says(LoaderRules::alignmentTrim),
        Rule.on("ldso-segment", "mmap")
            .when(ok(), file(), flag("MAP_FIXED"), inLoadingSpan())
            .frames("_dl_map_object_from_fd", "_dl_map_segments")
            .effect(LoaderRules::firstSegment)
            .says(LoaderRules::segment),
        Rule.on("ldso-bss", "mmap")
            .when(ok(), anon(), flag("MAP_FIXED"), inLoadingSpan())
            .frames("_dl_map_object_from_fd", "_dl_map_segments")
            .says(LoaderRules::bss),
        Rule.on("ldso-hole", "mprotect")
            .when(ok(), prot(), inLoadingSpan())
            .frames("_dl_map_segments")
            .says(
                c ->
                    Said.of(
                            "ld.so makes "
                                + c.length()
                                + " bytes of the span of "
                                + c.sp.loading.name()
                                + " PROT_NONE, from the end of its first segment to the start of "
                                + "its last: the object has gaps between its PT_LOAD segments, and "
                                + "_dl_map_segments (elf/dl-map-segments.h) makes all of that "
                                + "inaccessible at once; the segments between, if any, are then "
                                + "mapped over it with MAP_FIXED, and only the gaps stay PROT_NONE",
                            Basis.PATTERN,
                            "mprotect PROT_NONE inside the span being loaded")
                        // its own piece of the span, so the first segment's class stops below it
                        .tag(
                            RegionClass.IMAGE_RESERVED,
                            c.sp.loading.shortName() + " gap between segments",
                            c.sp.loading.path())),
        Rule.on("relro", "mprotect")
            .when(
                ok(),
                prot("PROT_READ"),
                // _dl_protect_relro rounds both ends of PT_GNU_RELRO down to a page, so its
                // length is whole pages: an mprotect of 4110 bytes (chromium's own, in a process
                // forked from its zygote) is not one
                c -> c.length() % Glibc.PAGE == 0,
                // a data segment ld.so mapped; or, in a startup the trace shows, memory no call
                // in it made (the executable's and ld.so's own data, mapped by the kernel): not an
                // anonymous mapping a call made, nor anything in a process met midway
                c ->
                    inDataSegment(c)
                        || c.sp.tags.at(c.addr()) == null
                            && !When.midwayUnknown(c)
                            // a fork's child: ld.so ran in the parent, before main; chromium's
                            // zygote children mprotect their own data long after
                            && !c.sp.forked
                            && (!c.sp.mallocStarted
                                // musl: its malloc takes its first brk pages while the dynamic
                                // linker loads, before reloc_all protects each object's RELRO
                                || c.sp.tpBeforeBrk && !c.sp.bits32 && c.sp.loading == null
                                || !c.sp.bits32
                                    && c.addr() < 0x7f0000000000L
                                    && c.sp.loading == null))
            .frames("_dl_protect_relro")
            .says(LoaderRules::relro),
        Rule.on("ldso-minimal-unmapped", "munmap")
            .when(ok(), taggedAs(RegionClass.LOADER_MALLOC))
            .effect(LoaderRules::notMinimal)
            .says(LoaderRules::minimalUnmapped),
        MINIMAL_MALLOC);
  }

  /**
   * The reason ld.so's minimal malloc never unmaps: __minimal_free takes back only the last block,
   * in place (elf/dl-minimal-malloc.c), and ld.so keeps what it mapped for the whole run.
   */
  private static final String NEVER_UNMAPS =
      "ld.so's minimal malloc never unmaps its memory (__minimal_free takes back only its last"
          + " block, in place: elf/dl-minimal-malloc.c)";

  /**
   * A munmap of memory taken for ld.so's minimal malloc: it was not (a trace that showed neither
   * the thread pointer nor malloc starting, such as strace -e trace=mmap,munmap, left the mapping
   * in startup).
   */
  private static Said minimalUnmapped(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    return Said.of(
        "unmaps "
            + (c.addr() == s.start() && Glibc.alignUp(c.length(), Glibc.PAGE) >= s.size()
                ? "the "
                : c.length() + " bytes of the ")
            + s.size()
            + "-byte mapping made at line "
            + s.tag().line()
            + ", so it was not ld.so's minimal malloc's, as it looked: "
            + NEVER_UNMAPS,
        Basis.PATTERN,
        "munmap of the mapping made at line " + s.tag().line());
  }

  /** Retells the mmap taken for ld.so's minimal malloc, which a munmap showed it was not. */
  private static void notMinimal(Ctx c, TagMap.Span before) {
    if (before == null) {
      return;
    }
    MappingRules.retellAsDirect(
        c,
        before.tag(),
        before.size(),
        MINIMAL_MALLOC,
        ", unmapped at line "
            + c.line()
            + ": not ld.so's minimal malloc, though the trace had shown no end of startup"
            + " (neither the thread pointer nor malloc starting), since "
            + NEVER_UNMAPS
            + "; glibc malloc's mmap path, another allocator or the program made it, which"
            + " the trace does not tell apart (inferred from the pattern)",
        Basis.PATTERN,
        "munmap at line " + c.line());
  }

  /**
   * What is left of the reservation below the first segment mapped over it is the object's first
   * PT_LOAD: ELF and program headers, dynamic symbols, relocations, and in an object whose first
   * segment is its code (mapped PROT_EXEC), the code too. Only the part at the span's start: a hole
   * ld.so made PROT_NONE between the segments stays the span's.
   */
  private static void firstSegment(Ctx c, TagMap.Span before) {
    Space sp = c.sp;
    Space.Loading l = sp.loading;
    long start = c.result();
    for (TagMap.Span left : sp.tags.overlapping(l.base(), start)) {
      if (left.tag().cls() == RegionClass.IMAGE_RESERVED && left.start() == l.base()) {
        sp.tags.put(
            left.start(),
            Math.min(left.end(), start),
            left.tag()
                .withClass(
                    l.textFirst() ? RegionClass.IMAGE_TEXT : RegionClass.IMAGE_HEADERS,
                    l.shortName()
                        + (l.textFirst()
                            ? " first segment (headers and code)"
                            : " first segment (headers, dynamic symbols, relocations)")));
      }
    }
  }

  /**
   * ld.so starts mapping an object: its span, the reservation it was aligned in ({@code reserved},
   * or null: its tag's line is the reservation's), and what the object tells of the process (a JVM,
   * an allocator of its own).
   */
  private static void loading(Ctx c, TagMap.Span reserved) {
    c.sp.loading =
        new Space.Loading(
            c.filePath(),
            c.result(),
            c.result() + c.length(),
            c.line(),
            c.fd().getAsLong(),
            c.prot().contains("PROT_EXEC"),
            reserved == null ? 0 : reserved.tag().line(),
            reserved == null ? 0 : reserved.start(),
            reserved == null ? 0 : reserved.end());
    c.sp.jvm = c.sp.jvm || String.valueOf(c.filePath()).contains("libjvm.so");
    c.sp.monoLoaded = c.sp.monoLoaded || String.valueOf(c.filePath()).contains("libmonosgen");
    AllocatorRules.loaded(c);
  }

  /**
   * The alignment a file mapping at offset 0 was placed at inside a PROT_NONE reservation, as
   * _dl_map_segment (elf/dl-map-segments.h) places an object whose PT_LOAD alignment is larger than
   * a page: it reserves the span plus the alignment (twice the alignment for a span smaller than
   * it) and maps the span at ALIGN_UP(reservation start, alignment). 0 when the call does not fit
   * that.
   */
  static long alignment(Ctx c, TagMap.Span reserved) {
    if (reserved == null
        || reserved.tag().cls() != RegionClass.RESERVED
        || reserved.tag().base() != reserved.start()) {
      return 0;
    }
    long size = reserved.end() - reserved.start();
    long span = Glibc.alignUp(c.length(), Glibc.PAGE);
    for (long align : new long[] {size - span, size / 2}) {
      boolean fits =
          align > Glibc.PAGE
              && Long.bitCount(align) == 1
              && (align == size - span ? c.length() >= align : c.length() < align)
              && c.addr() == Glibc.alignUp(reserved.start(), align);
      if (fits) {
        return align;
      }
    }
    return 0;
  }

  /** The span mapped in an alignment reservation: the reservation (waiting still) is retold. */
  private static void alignedSpan(Ctx c, TagMap.Span before) {
    long align = alignment(c, before);
    Tag reservation = before.tag();
    loading(c, before);
    String obj = c.sp.loading.name();
    // what _dl_map_segment asked for: the kernel rounded the reservation up to pages
    long size = c.length() >= align ? c.length() + align : 2 * align;
    c.ex.retell(
        reservation,
        MappingRules.RESERVATION,
        new Explanation(
            "ldso-align-reserve",
            "ld.so reserves "
                + size
                + " bytes PROT_NONE to place "
                + obj
                + " at a "
                + align
                + "-byte boundary (_dl_map_segment, elf/dl-map-segments.h): the object's PT_LOAD"
                + " segments ask for an alignment (p_align) larger than a page, so ld.so reserves"
                + " its span plus the alignment (twice the alignment for a span smaller than it),"
                + " maps the span at the first aligned address inside (line "
                + c.line()
                + ") and unmaps the rest",
            Basis.PATTERN,
            List.of(
                "line "
                    + c.line()
                    + " maps "
                    + obj
                    + " at "
                    + hex(c.addr())
                    + " = ALIGN_UP("
                    + hex(before.start())
                    + ", "
                    + hex(align)
                    + ")")));
  }

  private static Said alignedSpanSaid(Ctx c) {
    TagMap.Span reserved = c.sp.tags.at(c.addr());
    long align = alignment(c, reserved);
    String path = c.filePath();
    String obj = path == null ? c.fileName() : RawText.name(path);
    int at = reserved.tag().line();
    return Said.of(
            "ld.so maps the whole address span of "
                + obj
                + " ("
                + c.length()
                + " = "
                + hex(c.length())
                + " bytes: first PT_LOAD start to the end of the last one, .bss included) with the"
                + " first segment's protection at the first "
                + align
                + "-byte aligned address in the PROT_NONE reservation made at line "
                + at
                + " (_dl_map_segment: the object asks for an alignment larger than a page); the"
                + " segments are then mapped over the span with MAP_FIXED, and the reservation's"
                + " unused ends unmapped",
            Basis.PATTERN,
            "MAP_FIXED|MAP_DENYWRITE file mapping at offset 0 at "
                + hex(c.addr())
                + " = ALIGN_UP("
                + hex(reserved.start())
                + ", "
                + hex(align)
                + "), in the reservation made at line "
                + at)
        .tag(
            RegionClass.IMAGE_RESERVED,
            (path == null ? "unnamed object" : shortName(path)) + " reserved span",
            path);
  }

  /** An munmap of a reservation's part outside the aligned span ld.so placed in it. */
  private static boolean inAlignmentSlack(Ctx c) {
    Space.Loading l = c.sp.loading;
    if (l == null || l.reservedAt() == 0) {
      return false;
    }
    long from = c.addr();
    long to = from + Glibc.alignUp(c.length(), Glibc.PAGE);
    long spanEnd = Glibc.alignUp(l.end(), Glibc.PAGE);
    return from >= l.reservedStart()
        && to <= l.reservedEnd()
        && (to <= l.base() || from >= spanEnd);
  }

  private static Said alignmentTrim(Ctx c) {
    Space.Loading l = c.sp.loading;
    boolean head = c.addr() < l.base();
    return Said.of(
        "ld.so unmaps the unused "
            + (head ? "head" : "tail")
            + " of the PROT_NONE reservation made at line "
            + l.reservedAt()
            + " ("
            + c.length()
            + " bytes "
            + (head ? "below" : "above")
            + " the span of "
            + l.name()
            + " it placed at line "
            + l.line()
            + "): _dl_map_segment keeps only the aligned span",
        Basis.ARITHMETIC,
        hex(c.addr())
            + "-"
            + hex(c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE))
            + " lies in the reservation "
            + hex(l.reservedStart())
            + "-"
            + hex(l.reservedEnd())
            + ", "
            + (head ? "below the span's start " + hex(l.base()) : "above the span's end"));
  }

  private static Said span(Ctx c) {
    String path = c.filePath();
    String obj = path == null ? c.fileName() : path;
    long len = c.length();
    long base = c.result();
    return Said.of(
            "ld.so reserves the whole address span of "
                + obj
                + " ("
                + len
                + " = "
                + hex(len)
                + " bytes: first PT_LOAD start to the end of the last one, "
                + ".bss included) by mapping the file with the first segment's protection; "
                + "the segments are then mapped over it with MAP_FIXED. MAP_DENYWRITE is "
                + "ignored by the kernel but marks an ld.so segment map",
            Basis.PATTERN,
            "MAP_PRIVATE|MAP_DENYWRITE file mapping at a kernel-chosen address",
            "span " + hex(base) + "-" + hex(base + Glibc.alignUp(len, Glibc.PAGE)))
        .tag(
            RegionClass.IMAGE_RESERVED,
            (path == null ? "unnamed object" : shortName(path)) + " reserved span",
            path);
  }

  private static Said segment(Ctx c) {
    Space.Loading l = c.sp.loading;
    var prot = c.prot();
    String kind;
    RegionClass cls;
    if (prot.contains("PROT_EXEC")) {
      kind = "text segment (where a linker puts code: .text, .plt)";
      cls = RegionClass.IMAGE_TEXT;
    } else if (prot.contains("PROT_WRITE")) {
      kind =
          "data segment (its file part; where a linker puts writable data: .data, .got, .dynamic)";
      cls = RegionClass.IMAGE_DATA;
    } else {
      kind =
          "read-only data segment (where a linker puts constants and unwind tables: .rodata, .eh_frame)";
      cls = RegionClass.IMAGE_RODATA;
    }
    long off = c.offset();
    long at = c.result();
    return Said.of(
            "ld.so maps the "
                + kind
                + " of "
                + l.name()
                + " from file offset "
                + hex(off)
                + " at base + "
                + hex(at - l.base())
                + " ("
                + c.length()
                + " bytes, "
                + c.protText()
                + "), replacing that part of the reservation made at line "
                + l.line(),
            Basis.ARITHMETIC,
            hex(at) + " - base " + hex(l.base()) + " = " + hex(at - l.base()))
        .tag(cls, l.shortName() + " " + cls.label.substring(7), l.path());
  }

  private static Said bss(Ctx c) {
    Space.Loading l = c.sp.loading;
    long at = c.result();
    long end = at + c.length();
    boolean toEnd =
        end == l.end() || Glibc.alignUp(end, Glibc.PAGE) == Glibc.alignUp(l.end(), Glibc.PAGE);
    String arith =
        hex(at)
            + " + "
            + c.length()
            + " = "
            + hex(end)
            + (toEnd ? " = the end of the span reserved at line " + l.line() : "");
    return Said.of(
            "the .bss of "
                + l.name()
                + " beyond its last file-backed page: zero-filled "
                + "anonymous memory ("
                + c.length()
                + " bytes); the partial page before it is "
                + "cleared with memset, no syscall",
            toEnd ? Basis.ARITHMETIC : Basis.PATTERN,
            arith)
        .tag(RegionClass.IMAGE_BSS, l.shortName() + " .bss", l.path());
  }

  /** Whether the mprotect address lies in a data segment ld.so mapped (its file named or not). */
  private static boolean inDataSegment(Ctx c) {
    return dataSegment(c) != null;
  }

  /** The object whose data segment the mprotect address lies in, or null. */
  static String relroTarget(Ctx c) {
    TagMap.Span s = dataSegment(c);
    return s == null ? null : s.tag().object();
  }

  /** The data segment ld.so mapped that holds the call's address, or null. */
  private static TagMap.Span dataSegment(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    return s != null && s.tag().cls() == RegionClass.IMAGE_DATA ? s : null;
  }

  /**
   * Where load_elf_binary puts a position-independent program that names an interpreter on x86-64:
   * ELF_ET_DYN_BASE (2/3 of the 47-bit TASK_SIZE, 0x555555554000) plus at most 2^28 pages of
   * randomisation (arch_mmap_rnd), so below 0x565555554000. RLIMIT_STACK does not move it.
   */
  private static final long PIE_BASE = 0x555555554000L;

  private static final long PIE_END = 0x565555554000L;

  /** At and above this, a 64-bit address is in the mmap area under the default layout. */
  private static final long EXECUTABLE_BELOW = 0x600000000000L;

  /** Below this, a 64-bit address is a program linked at a fixed address (0x400000), never mmap. */
  private static final long FIXED_PROGRAM_BELOW = 0x100000000L;

  /** How near a file mapping the trace showed an address must lie to be in the same mmap area. */
  private static final long NEAR = 1L << 32;

  /**
   * Why the mmap area lies below the executable, as a clause: the legacy layout the trace showed
   * asked for (arch_pick_mmap_layout's mmap_legacy_base: TASK_UNMAPPED_BASE, 1/3 of the 47-bit
   * address space, plus mmap_rnd), or else either cause, which the address does not tell apart.
   */
  private static String lowMmapArea(Space sp) {
    return sp.legacyLayoutLine > 0
        ? "the process asked for the legacy bottom-up layout with personality(ADDR_COMPAT_LAYOUT)"
            + " at line "
            + sp.legacyLayoutLine
            + " (setarch -L), so the mmap area starts at TASK_UNMAPPED_BASE, a third of the"
            + " address space, "
            + (sp.noRandomizeLine > 0
                ? "with no random offset, since personality(ADDR_NO_RANDOMIZE) at line "
                    + sp.noRandomizeLine
                    + " (setarch -R) turned randomisation off"
                : "plus randomisation")
            + " (mmap_is_legacy, mmap_legacy_base)"
        : "the mmap area sits this low when RLIMIT_STACK is large or unlimited (mmap_base), or"
            + " under the legacy bottom-up layout (setarch -L's ADDR_COMPAT_LAYOUT, or"
            + " vm.legacy_va_layout: mmap_is_legacy); the trace does not show which";
  }

  private static Said relro(Ctx c) {
    String obj = relroTarget(c);
    String who = obj != null ? obj : c.ex.objectAt(c, c.addr());
    String fd = who == null ? null : Backing.unknownFileFd(who);
    if (fd != null) {
      who = null;
    }
    // The kernel maps the executable and ld.so; ld.so protects the libraries first, then the
    // executable, then itself. A PIE executable with an interpreter loads in [PIE_BASE, PIE_END);
    // ld.so in the mmap area. Its base (mmap_base, arch/x86/mm/mmap.c) is the stack's gap below
    // the stack top plus up to 2^40 bytes of randomisation: near 0x7f… (it can start at 0x7efd…,
    // as it did under cat), but the gap follows RLIMIT_STACK up to 5/6 of the address space, so
    // under `ulimit -s unlimited` the mmap area starts near 0x155555554000 (and with the legacy
    // layout, mm/util.c, at TASK_UNMAPPED_BASE, 1/3 of it): below the executable. Between them the
    // address alone does not tell; a file mapping the trace showed nearby (a library ld.so
    // mapped, its cache) puts the address in the mmap area. In a 32-bit process (ld.so near 0xf7…)
    // the address names neither.
    long a = c.addr();
    boolean pie = a >= PIE_BASE && a < PIE_END;
    // looked for only where the address alone does not tell (it scans up to 8 GiB of tags)
    TagMap.Span near =
        c.sp.bits32 || pie || a < FIXED_PROGRAM_BELOW || a >= EXECUTABLE_BELOW
            ? null
            : fileMappingNear(c, a);
    String ldso =
        c.sp.tpBeforeBrk
            ? "the dynamic linker itself (mapped by the kernel at execve; musl's reloc_all"
                + " protects it before the program)"
            : "ld.so itself (mapped by the kernel; it protects its own data last)";
    String guess =
        c.sp.bits32
            ? "an object the kernel mapped at execve (the executable or ld.so: in a 32-bit "
                + "process the address alone does not tell which)"
            : pie || a < FIXED_PROGRAM_BELOW
                ? "the executable ("
                    + (c.sp.interpreter != null
                        // a #! script: load_script (fs/binfmt_script.c) has the kernel map the
                        // interpreter its first line names, which then reads the script
                        ? RawText.name(c.sp.interpreter)
                            + ", the interpreter the #! line of "
                            + RawText.name(c.sp.program())
                            + " names, which the kernel mapped at execve in the script's place)"
                        : RawText.name(c.sp.program()) + ", mapped by the kernel at execve)")
                : a >= EXECUTABLE_BELOW
                    ? ldso
                    : near != null
                        ? ldso
                            + ", by its address in the mmap area beside "
                            + near.tag().object()
                            + " (mapped at line "
                            + near.tag().line()
                            + "): "
                            + lowMmapArea(c.sp)
                        : "an object the kernel mapped at execve (the executable, or ld.so in an"
                            + " mmap area that RLIMIT_STACK, large or unlimited, or the legacy"
                            + " bottom-up layout moved this low: the address alone does not tell"
                            + " which)";
    return Said.of(
            "RELRO: after relocating "
                + (fd != null
                    ? "a shared object the trace does not name (fd " + fd + ")"
                    : who == null ? guess : who)
                + (c.staticProgram()
                    // a static program: no ld.so; _dl_relocate_static_pie (a static PIE) and
                    // ARCH_SETUP_IREL relocate it in __libc_start_main (csu/libc-start.c), and
                    // _dl_non_dynamic_init (elf/dl-support.c) calls _dl_protect_relro
                    ? ", libc's startup (no ld.so runs: the program's ELF headers name no"
                        + " interpreter, PT_INTERP; __libc_start_main applies its IRELATIVE"
                        + " relocations, ARCH_SETUP_IREL, and a static PIE's own,"
                        + " _dl_relocate_static_pie, then _dl_non_dynamic_init calls"
                        + " _dl_protect_relro) makes "
                    : c.sp.tpBeforeBrk
                        // musl: its dynamic linker is its libc.so; reloc_all (ldso/dynlink.c)
                        // mprotects each object's RELRO range once it is relocated
                        ? ", the dynamic linker (this fits musl, whose dynamic linker is its"
                            + " libc.so: reloc_all in ldso/dynlink.c) makes "
                        : ", ld.so (or, in a static binary, libc's startup) makes ")
                + c.length()
                + " bytes of its data segment read-only (PT_GNU_RELRO: what is written only while "
                + "relocating, such as .got and .data.rel.ro), so the "
                + "relocated pointers cannot be overwritten; the data mapping splits into an "
                + "r--p and an rw-p part",
            obj != null ? Basis.ARITHMETIC : Basis.PATTERN,
            obj != null
                ? "address is inside the data segment of " + obj
                : "mprotect(PROT_READ) during startup")
        .tag(RegionClass.IMAGE_RELRO, (who == null ? "" : shortName(who) + " ") + "relro", who);
  }

  /**
   * After TLS_INIT_TP, before malloc: ld.so still relocates the objects, through its minimal malloc
   * (dl_main calls __rtld_malloc_init_real after relocating them, then unmaps ld.so.cache).
   */
  static boolean relocating(Ctx c) {
    return c.sp.tlsInstalled
        && !c.sp.mallocStarted
        && c.sp.startupCache
        && c.sp.cacheAddress != -1
        && !midwayUnknown(c);
  }

  private static Said minimalMalloc(Ctx c) {
    long len = c.length();
    long maxRequest = len - Glibc.PAGE;
    if (c.sp.tlsInstalled) {
      return Said.of(
              "fits ld.so's minimal malloc (__minimal_malloc), which maps ALIGN_UP(request, "
                  + "4096) plus one extra page: a request of at most "
                  + maxRequest
                  + " bytes. The thread pointer is set, but ld.so is still relocating the objects"
                  + " (its /etc/ld.so.cache is still mapped: dl_main unmaps it once relocation is"
                  + " done) and libc's malloc is not in use before then (dl_main switches to it"
                  + " with __rtld_malloc_init_real after relocating), so an allocation while it"
                  + " relocates still comes from there. It stays for the whole run",
              Basis.PATTERN,
              "ALIGN_UP(n, 4096) + 4096 = " + len + " → n ≤ " + maxRequest,
              "after arch_prctl(ARCH_SET_FS), before ld.so.cache's munmap and any malloc brk")
          .tag(RegionClass.LOADER_MALLOC, "ld.so minimal-malloc pages");
    }
    return Said.of(
            "ld.so's minimal malloc (__minimal_malloc, before libc's malloc exists) maps "
                + "ALIGN_UP(request, 4096) plus one extra page: a request of at most "
                + maxRequest
                + " bytes (search paths, link maps). It stays for the whole run",
            Basis.ARITHMETIC,
            "ALIGN_UP(n, 4096) + 4096 = " + len + " → n ≤ " + maxRequest)
        .tag(RegionClass.LOADER_MALLOC, "ld.so minimal-malloc pages");
  }

  /**
   * The file mapping a trace call made nearest to the address, within {@link #NEAR} of it, or null:
   * ld.so maps the libraries and its cache next to itself, in the mmap area.
   */
  private static TagMap.Span fileMappingNear(Ctx c, long a) {
    TagMap.Span best = null;
    for (TagMap.Span s : c.sp.tags.overlapping(a - NEAR, a + NEAR)) {
      if (s.tag().object() != null
          && Backing.unknownFileFd(s.tag().object()) == null
          && (best == null || distance(s, a) < distance(best, a))) {
        best = s;
      }
    }
    return best;
  }

  private static long distance(TagMap.Span s, long a) {
    return a < s.start() ? s.start() - a : a >= s.end() ? a - s.end() + 1 : 0;
  }

  static String shortName(String path) {
    if (path == null) {
      return "?";
    }
    int s = path.lastIndexOf('/');
    return path.substring(s + 1);
  }
}
