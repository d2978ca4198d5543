package dev.memtrace.explain;

import dev.memtrace.elf.ElfFile;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.elf.Section;
import dev.memtrace.elf.Segment;
import dev.memtrace.elf.Symbol;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.ExplainedClass;
import dev.memtrace.timeline.RegionClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a region of a maps listing holds, read from the ELF headers of the file behind it: which
 * {@code PT_LOAD} segment it maps, the link address of its first byte, the sections in it ({@code
 * .text}, {@code .rodata}, {@code .data}, {@code .bss}, {@code .got}...), whether it is the RELRO
 * part ld.so made read-only, and so its class. An anonymous region right after a file's last mapped
 * page, inside its segment's memory size, is that segment's {@code .bss} tail. A file that cannot
 * be read leaves the class to the name and permissions ({@link Classifier}).
 */
public final class RegionAnatomy {

  private RegionAnatomy() {}

  /**
   * @param elf the headers of the file, or null
   * @param link the link address of the region's first byte, or -1
   * @param problem why the file's headers are unknown, or null
   * @param classLine the line of the call that made the mapping whose explanations gave the class
   *     ({@link Explainer#classOf}), or 0 when the ELF headers or the region's name and permissions
   *     gave it
   */
  public record Facts(
      Region region,
      RegionClass cls,
      List<String> sections,
      boolean relro,
      ElfFile elf,
      long link,
      String problem,
      int classLine) {

    /**
     * The class's label, and where explanations gave the class, the mapping they explained; or,
     * when the line they were given on did not make the region (realloc's mremap growing a malloc
     * chunk in place retells it), that line.
     */
    public String label() {
      if (classLine <= 0) {
        return cls.label;
      }
      return classLine == region.originLine()
          ? cls.label + " (as explained for the mapping made at line " + classLine + ")"
          : cls.label + " (as explained at line " + classLine + ")";
    }

    /** The section and symbol at an address of the region, as words, or null. */
    public String placeOf(long address) {
      if (elf == null || link < 0) {
        return null;
      }
      long at = link + (address - region.start());
      String sec = null;
      for (Section s : elf.sections()) {
        if (Long.compareUnsigned(s.addr(), at) <= 0 && Long.compareUnsigned(at, s.end()) < 0) {
          sec = s.name();
        }
      }
      Symbol sym = elf.symbolAt(at);
      String words = sec == null ? "no section (padding between sections)" : "section " + sec;
      if (sym != null) {
        words +=
            ", in "
                + (sym.function() ? "function " : "object ")
                + sym.name()
                + (at == sym.value() ? "" : " + 0x" + Long.toHexString(at - sym.value()));
      }
      return words + " (link address 0x" + Long.toHexString(at) + ")";
    }
  }

  /** The facts of each region of a listing, in its order. */
  public static List<Facts> all(List<Region> regions, ElfFiles files, String exe) {
    return all(regions, files, exe, r -> null);
  }

  /**
   * As {@link #all(List, ElfFiles, String)}, a region no ELF header lays out classed as {@code
   * traced} says, where it says (what the explanations tagged it), else by its name.
   */
  public static List<Facts> all(
      List<Region> regions, ElfFiles files, String exe, Function<Region, ExplainedClass> traced) {
    Map<String, Long> firstPages = new HashMap<>();
    for (Region r : regions) {
      if (r.offset() == 0 && r.path().startsWith("/") && !ownFileMap(traced.apply(r))) {
        firstPages.putIfAbsent(r.path(), r.start());
      }
    }
    List<Facts> out = new ArrayList<>(regions.size());
    Region before = null;
    for (Region r : regions) {
      Region file = r.isAnonymous() && before != null ? before : r;
      out.add(of(r, before, firstPages.get(file.path()), files, exe, traced.apply(r)));
      before = r;
    }
    return out;
  }

  /**
   * @param before the region just below, or null
   * @param firstPage where the file's page at offset 0 is mapped, or null when not
   * @param exe the path execve ran, or null
   * @param traced the class the explanations gave the region, or null
   */
  static Facts of(
      Region r, Region before, Long firstPage, ElfFiles files, String exe, ExplainedClass traced) {
    // what the region is when no ELF header lays it out: by its name, or as the explanations said
    RegionClass named = Classifier.classify(r, null, exe);
    Facts unlaid =
        traced != null && traced.cls() != named
            ? new Facts(r, traced.cls(), List.of(), false, null, -1, null, traced.line())
            : new Facts(r, named, List.of(), false, null, -1, null, 0);
    if (files == null) {
      return unlaid;
    }
    boolean tail =
        r.isAnonymous()
            && before != null
            && before.end() == r.start()
            && !before.isAnonymous()
            && before.path().startsWith("/");
    Region file = tail ? before : r;
    if (!tail && ownFileMap(traced)) {
      // an ELF file the program mapped itself (lld's inputs: the whole file, read-only, at offset
      // 0): its bytes are the file's, no segment of an object ld.so or the kernel loaded
      return unlaid;
    }
    // ld.so (_dl_map_segments) and the kernel (load_elf_binary) map an ELF file's segments
    // MAP_PRIVATE: a shared mapping (a /dev/shm file, a database) holds no ELF sections
    if (!file.path().startsWith("/")
        || file.path().endsWith(MapsFormat.DELETED)
        || file.perms().endsWith("s")) {
      return unlaid;
    }
    ElfFiles.Opened o = files.open(file.path(), null);
    if (!o.ok()) {
      boolean notElf = o.problem() != null && o.problem().endsWith("is not an ELF file");
      return notElf || tail || o.problem() == null
          ? unlaid
          : new Facts(r, unlaid.cls(), List.of(), false, null, -1, o.problem(), unlaid.classLine());
    }
    ElfFile elf = o.elf();
    Segment seg = null;
    long fileLink = -1;
    if (firstPage != null) {
      // the load bias from the page at offset 0: each region's link address follows
      fileLink = file.start() - firstPage + elf.firstPage();
      seg = segmentAt(elf, fileLink);
      if (seg == null && !tail && r.perms().startsWith("---")) {
        // between two PT_LOADs: the hole ld.so made PROT_NONE (_dl_map_segments), no section
        return new Facts(r, RegionClass.IMAGE_RESERVED, List.of(), false, elf, -1, null, 0);
      }
    }
    if (seg == null) {
      seg = segmentOf(elf, file);
      if (seg == null) {
        return tail
            ? unlaid
            : new Facts(r, unlaid.cls(), List.of(), false, elf, -1, null, unlaid.classLine());
      }
      fileLink = (seg.vaddr() & ~0xfffL) + (file.offset() - (seg.offset() & ~0xfffL));
    }
    long link = tail ? fileLink + file.size() : fileLink;
    long lo = Math.max(link, seg.vaddr());
    long hi = Math.min(link + r.size(), seg.vaddr() + seg.memsz());
    // ld.so (_dl_map_segment's zero fill) and the kernel (load_elf_binary) map a segment's .bss
    // from the page after its last file byte, only where its memory size passes its file size: an
    // anonymous region after some other part of the file is not one (V8's code range, where
    // RemapPages mapped the middle of node's text)
    if (tail
        && (Long.compareUnsigned(lo, hi) >= 0
            || seg.memsz() <= seg.filesz()
            || link != ((seg.vaddr() + seg.filesz() + 0xfff) & ~0xfffL))) {
      return unlaid; // not a bss tail
    }
    List<String> names = new ArrayList<>();
    boolean onlyNobits = true;
    for (Section s : elf.sectionsIn(lo, hi)) {
      names.add(s.name());
      onlyNobits &= s.nobits();
    }
    Segment rel = elf.relro();
    boolean relro =
        rel != null
            && !r.perms().startsWith("rw")
            && Long.compareUnsigned(link, rel.vaddr() & ~0xfffL) >= 0
            && Long.compareUnsigned(link + r.size(), (rel.vaddr() + rel.memsz()) & ~0xfffL) <= 0;
    RegionClass cls;
    if (tail) {
      cls = RegionClass.IMAGE_BSS;
    } else if (relro) {
      cls = RegionClass.IMAGE_RELRO;
    } else if (r.perms().startsWith("---")) {
      cls = RegionClass.IMAGE_RESERVED;
    } else if (names.contains(".text") || r.perms().charAt(2) == 'x') {
      cls = RegionClass.IMAGE_TEXT;
    } else if (r.perms().startsWith("rw")) {
      cls = !names.isEmpty() && onlyNobits ? RegionClass.IMAGE_BSS : RegionClass.IMAGE_DATA;
    } else if (link == (elf.firstPage()) && file.offset() == 0) {
      cls = RegionClass.IMAGE_HEADERS;
    } else {
      cls = RegionClass.IMAGE_RODATA;
    }
    return new Facts(r, cls, names, relro, elf, link, null, 0);
  }

  /** Whether the explanations told the region as a file mapping of the program's own. */
  private static boolean ownFileMap(ExplainedClass traced) {
    return traced != null
        && (traced.cls() == RegionClass.FILE_PRIVATE || traced.cls() == RegionClass.FILE_SHARED);
  }

  /** The PT_LOAD whose pages hold a link address, or null. */
  private static Segment segmentAt(ElfFile elf, long link) {
    for (Segment s : elf.loads()) {
      long from = s.vaddr() & ~0xfffL;
      long to = (s.vaddr() + s.memsz() + 0xfff) & ~0xfffL;
      if (Long.compareUnsigned(from, link) <= 0 && Long.compareUnsigned(link, to) < 0) {
        return s;
      }
    }
    return null;
  }

  /** The PT_LOAD a file region maps: the one whose pages hold its offset, same protection first. */
  private static Segment segmentOf(ElfFile elf, Region r) {
    Segment any = null;
    for (Segment s : elf.loads()) {
      long from = s.offset() & ~0xfffL;
      long to = (s.offset() + s.filesz() + 0xfff) & ~0xfffL;
      if (Long.compareUnsigned(from, r.offset()) <= 0 && Long.compareUnsigned(r.offset(), to) < 0) {
        if (MapsFormat.perms(s.prot(), false).regionMatches(0, r.perms(), 0, 3)) {
          return s;
        }
        any = any == null ? s : any;
      }
    }
    return any;
  }
}
