package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.model.Who;
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

  /** ld.so's minimal malloc mapping (retold when ARCH_SET_FS shows it holds the TLS block). */
  static final Rule MINIMAL_MALLOC =
      Rule.on("ldso-minimal-malloc", "mmap")
          .when(
              ok(),
              anon(),
              addrNull(),
              prot("PROT_READ", "PROT_WRITE"),
              startup(),
              c -> c.mapFlags().equals(Set.of("MAP_PRIVATE", "MAP_ANONYMOUS")),
              lengthBelow(1 << 20))
          .frames("__minimal_malloc")
          .says(LoaderRules::minimalMalloc);

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
            .says(
                c ->
                    Said.of(
                        "the first brk(0) of a fresh address space: ld.so learns the initial program "
                            + "break (_dl_sysdep_start; in a static binary libc's startup does, before "
                            + "taking its TLS block from the break). [heap] will start at "
                            + hex(c.result())
                            + " but does not exist yet (break = its start)",
                        Basis.PATTERN,
                        "first brk(NULL) of a fresh address space")),
        Rule.on("ldso-cache", "mmap")
            .when(ok(), file(), pathContains("ld.so.cache"))
            .frames("_dl_sysdep_read_whole_file", "_dl_load_cache_lookup")
            .effect(
                (c, before) -> {
                  c.sp.cacheAddress = c.result();
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
            .effect(
                (c, before) -> {
                  c.sp.loading =
                      new Space.Loading(
                          c.filePath(),
                          c.result(),
                          c.result() + c.length(),
                          c.line(),
                          c.fd().getAsLong());
                  c.sp.jvm = c.sp.jvm || String.valueOf(c.filePath()).contains("libjvm.so");
                  AllocatorRules.loaded(c);
                })
            .says(LoaderRules::span),
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
                        "ld.so makes the hole between two segments of "
                            + c.sp.loading.name()
                            + " inaccessible (PROT_NONE, "
                            + c.length()
                            + " bytes): the object has gaps "
                            + "between its PT_LOAD segments",
                        Basis.PATTERN,
                        "mprotect PROT_NONE inside the span being loaded")),
        Rule.on("relro", "mprotect")
            .when(
                ok(),
                prot("PROT_READ"),
                // a data segment ld.so mapped; or, in a startup the trace shows, memory no call
                // in it made (the executable's and ld.so's own data, mapped by the kernel): not an
                // anonymous mapping a call made, nor anything in a process met midway
                c ->
                    inDataSegment(c)
                        || c.sp.tags.at(c.addr()) == null
                            && !When.midwayUnknown(c)
                            && (!c.sp.mallocStarted
                                || !c.sp.bits32
                                    && c.addr() < 0x7f0000000000L
                                    && c.sp.loading == null))
            .frames("_dl_protect_relro")
            .says(LoaderRules::relro),
        MINIMAL_MALLOC);
  }

  /**
   * What is left of the reservation below the first segment mapped over it is the object's first
   * PT_LOAD: ELF and program headers, dynamic symbols, relocations.
   */
  private static void firstSegment(Ctx c, TagMap.Span before) {
    Space sp = c.sp;
    long start = c.result();
    for (TagMap.Span left : sp.tags.overlapping(sp.loading.base(), start)) {
      if (left.tag().cls() == RegionClass.IMAGE_RESERVED) {
        sp.tags.put(
            left.start(),
            Math.min(left.end(), start),
            left.tag()
                .withClass(
                    RegionClass.IMAGE_HEADERS,
                    sp.loading.shortName()
                        + " first segment (headers, dynamic symbols, relocations)"));
      }
    }
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

  private static Said relro(Ctx c) {
    String obj = relroTarget(c);
    String who = obj != null ? obj : c.ex.objectAt(c, c.addr());
    // The kernel maps the executable and ld.so; ld.so protects the libraries first, then the
    // executable, then itself. PIE executables load at 0x55…/0x56…, ld.so high in the mmap area.
    // In a 32-bit process (ld.so near 0xf7…) that address line does not hold: it names neither.
    String guess =
        c.sp.bits32
            ? "an object the kernel mapped at execve (the executable or ld.so: in a 32-bit "
                + "process the address alone does not tell which)"
            : c.addr() < 0x7f0000000000L
                ? "the executable ("
                    + RawText.name(c.sp.program())
                    + ", mapped by the kernel at execve)"
                : "ld.so itself (mapped by the kernel; it protects its own data last)";
    return Said.of(
            "RELRO: after relocating "
                + (who == null ? guess : who)
                + ", ld.so (or, in a static "
                + "binary, libc's startup) makes "
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

  private static Said minimalMalloc(Ctx c) {
    long len = c.length();
    long maxRequest = len - Glibc.PAGE;
    return Said.of(
            "ld.so's minimal malloc (__minimal_malloc, before libc's malloc exists) maps "
                + "ALIGN_UP(request, 4096) plus one extra page: a request of at most "
                + maxRequest
                + " bytes (search paths, link maps). It stays for the whole run",
            Basis.ARITHMETIC,
            "ALIGN_UP(n, 4096) + 4096 = " + len + " → n ≤ " + maxRequest)
        .tag(RegionClass.LOADER_MALLOC, "ld.so minimal-malloc pages");
  }

  static String shortName(String path) {
    if (path == null) {
      return "?";
    }
    int s = path.lastIndexOf('/');
    return path.substring(s + 1);
  }
}
