package dev.memtrace.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The headers of one ELF64 little-endian file: its type, program headers, interpreter, RELRO
 * segment, build id and allocated sections, read once when it is opened; the symbol table ({@code
 * .symtab}, else {@code .dynsym}) is read the first time a symbol is asked for.
 */
public final class ElfFile {

  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;

  private static final int SHT_SYMTAB = 2;
  private static final int SHT_NOBITS = 8;
  private static final int SHT_DYNSYM = 11;
  private static final long SHF_ALLOC = 2;

  /** Header tables larger than this are not those of a real program. */
  private static final int MAX_TABLE = 1 << 20;

  private final Path path;
  private final long size;
  private final int type;
  private final List<Segment> loads;
  private final String interp;
  private final Segment relro;
  private final String buildId;
  private final List<Section> sections;
  private final long[] symtab; // offset, size, string table offset, string table size; or null
  private List<Symbol> symbols;

  private ElfFile(
      Path path,
      long size,
      int type,
      List<Segment> loads,
      String interp,
      Segment relro,
      String buildId,
      List<Section> sections,
      long[] symtab) {
    this.path = path;
    this.size = size;
    this.type = type;
    this.loads = loads;
    this.interp = interp;
    this.relro = relro;
    this.buildId = buildId;
    this.sections = sections;
    this.symtab = symtab;
  }

  /**
   * The headers a recording carried for a file this machine may not have: what the kernel's execve
   * layout needs (type, PT_LOAD segments, interpreter, RELRO, build id), without sections or
   * symbols.
   */
  public static ElfFile recorded(
      Path path,
      long size,
      int type,
      List<Segment> loads,
      String interp,
      Segment relro,
      String buildId) {
    return new ElfFile(
        path, size, type, List.copyOf(loads), interp, relro, buildId, List.of(), null);
  }

  /** Reads the headers of a file; an {@link ElfException} says in one line why it cannot. */
  public static ElfFile read(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer h = size < 64 ? null : bytes(ch, 0, 64, size);
      if (h == null || h.getInt(0) != 0x464c457f) {
        throw new ElfException(path + " is not an ELF file");
      }
      if (h.get(4) != 2 || h.get(5) != 1) {
        throw new ElfException(path + " is not a 64-bit little-endian ELF file");
      }
      int type = Short.toUnsignedInt(h.getShort(16));
      long phoff = h.getLong(32);
      long shoff = h.getLong(40);
      int phentsize = Short.toUnsignedInt(h.getShort(54));
      int phnum = Short.toUnsignedInt(h.getShort(56));
      int shentsize = Short.toUnsignedInt(h.getShort(58));
      int shnum = Short.toUnsignedInt(h.getShort(60));
      int shstrndx = Short.toUnsignedInt(h.getShort(62));
      if (phentsize < 56 && phnum > 0 || (long) phentsize * phnum > MAX_TABLE) {
        throw new ElfException(path + ": damaged program header table");
      }
      List<Segment> loads = new ArrayList<>();
      String interp = null;
      Segment relro = null;
      String buildId = null;
      ByteBuffer ph = bytes(ch, phoff, phentsize * phnum, size);
      for (int i = 0; i < phnum; i++) {
        int o = i * phentsize;
        Segment s =
            new Segment(
                ph.getInt(o),
                ph.getInt(o + 4),
                ph.getLong(o + 8),
                ph.getLong(o + 16),
                ph.getLong(o + 32),
                ph.getLong(o + 40));
        switch (s.type()) {
          case Segment.PT_LOAD -> loads.add(s);
          case Segment.PT_INTERP ->
              interp = cString(bytes(ch, s.offset(), small(s.filesz()), size), 0);
          case Segment.PT_GNU_RELRO -> relro = s;
          case Segment.PT_NOTE ->
              buildId =
                  buildId != null
                      ? buildId
                      : buildId(bytes(ch, s.offset(), small(s.filesz()), size));
          default -> {}
        }
      }
      List<Section> sections = new ArrayList<>();
      long[] symtab = null;
      if (shnum > 0
          && shentsize >= 64
          && (long) shentsize * shnum <= MAX_TABLE
          && shstrndx < shnum) {
        ByteBuffer sh = bytes(ch, shoff, shentsize * shnum, size);
        int so = shstrndx * shentsize;
        ByteBuffer names = bytes(ch, sh.getLong(so + 24), small(sh.getLong(so + 32)), size);
        long[] dynsym = null;
        for (int i = 0; i < shnum; i++) {
          int o = i * shentsize;
          int shType = sh.getInt(o + 4);
          long flags = sh.getLong(o + 8);
          long addr = sh.getLong(o + 16);
          long secSize = sh.getLong(o + 32);
          if ((flags & SHF_ALLOC) != 0 && secSize > 0) {
            sections.add(
                new Section(cString(names, sh.getInt(o)), addr, secSize, shType == SHT_NOBITS));
          }
          if (shType == SHT_SYMTAB || shType == SHT_DYNSYM) {
            int link = sh.getInt(o + 40);
            if (link > 0 && link < shnum) {
              int lo = link * shentsize;
              long[] t = {sh.getLong(o + 24), secSize, sh.getLong(lo + 24), sh.getLong(lo + 32)};
              if (shType == SHT_SYMTAB) {
                symtab = t;
              } else {
                dynsym = t;
              }
            }
          }
        }
        symtab = symtab != null ? symtab : dynsym;
      }
      sections.sort(Comparator.comparingLong(Section::addr));
      return new ElfFile(
          path,
          size,
          type,
          List.copyOf(loads),
          interp,
          relro,
          buildId,
          List.copyOf(sections),
          symtab);
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new ElfException(path + ": damaged ELF headers");
    } catch (ElfException e) {
      throw e.getMessage().startsWith(path.toString())
          ? e
          : new ElfException(path + ": " + e.getMessage());
    }
  }

  private static int small(long n) throws ElfException {
    if (n < 0 || n > MAX_TABLE) {
      throw new ElfException("ELF header field out of range");
    }
    return (int) n;
  }

  private static ByteBuffer bytes(FileChannel ch, long at, int n, long size) throws IOException {
    if (at < 0 || at + n > size) {
      throw new ElfException(n + " bytes at offset " + at + " lie past the end of the file");
    }
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new ElfException("the file ended early");
      }
    }
    return b.flip();
  }

  private static String cString(ByteBuffer b, int at) {
    int end = at;
    while (end < b.limit() && b.get(end) != 0) {
      end++;
    }
    byte[] out = new byte[end - at];
    b.get(at, out);
    return new String(out, StandardCharsets.UTF_8);
  }

  /** The NT_GNU_BUILD_ID note of a PT_NOTE segment, as hex, or null. */
  private static String buildId(ByteBuffer b) {
    int o = 0;
    while (o + 12 <= b.limit()) {
      int namesz = b.getInt(o);
      int descsz = b.getInt(o + 4);
      int ntype = b.getInt(o + 8);
      int name = o + 12;
      int desc = name + ((namesz + 3) & ~3);
      if (namesz < 0 || descsz < 0 || desc + descsz > b.limit()) {
        return null;
      }
      if (ntype == 3 && namesz == 4 && b.getInt(name) == 0x00554e47) { // "GNU\0"
        byte[] id = new byte[descsz];
        b.get(desc, id);
        return HexFormat.of().formatHex(id);
      }
      o = desc + ((descsz + 3) & ~3);
    }
    return null;
  }

  public Path path() {
    return path;
  }

  public long size() {
    return size;
  }

  /** Position-independent: the kernel places it at a base it picks (ET_DYN). */
  public boolean movable() {
    return type == ET_DYN;
  }

  public int type() {
    return type;
  }

  public List<Segment> loads() {
    return loads;
  }

  /** The PT_INTERP path (the dynamic loader), or null for a static program. */
  public String interp() {
    return interp;
  }

  /** PT_GNU_RELRO, or null. */
  public Segment relro() {
    return relro;
  }

  /** The GNU build id in hex, or null. */
  public String buildId() {
    return buildId;
  }

  /** The allocated sections, by address. */
  public List<Section> sections() {
    return sections;
  }

  /** The lowest page a PT_LOAD asks for: what a load bias is added to. */
  public long firstPage() {
    return loads.isEmpty() ? 0 : loads.get(0).vaddr() & ~0xfffL;
  }

  /** Sections overlapping the link-address range [lo, hi). */
  public List<Section> sectionsIn(long lo, long hi) {
    List<Section> out = new ArrayList<>();
    for (Section s : sections) {
      if (Long.compareUnsigned(s.addr(), hi) < 0 && Long.compareUnsigned(s.end(), lo) > 0) {
        out.add(s);
      }
    }
    return out;
  }

  /** The function or object at a link address, or null (also when the file has no symbols). */
  public Symbol symbolAt(long addr) {
    for (Symbol s : symbols()) {
      if (Long.compareUnsigned(s.value(), addr) <= 0
          && Long.compareUnsigned(addr, s.value() + Math.max(1, s.size())) < 0) {
        return s;
      }
    }
    return null;
  }

  private synchronized List<Symbol> symbols() {
    if (symbols == null) {
      symbols = readSymbols();
    }
    return symbols;
  }

  private List<Symbol> readSymbols() {
    if (symtab == null || symtab[1] > 64L * MAX_TABLE || symtab[3] > 64L * MAX_TABLE) {
      return List.of();
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer syms = bytes(ch, symtab[0], (int) symtab[1], size);
      ByteBuffer names = bytes(ch, symtab[2], (int) symtab[3], size);
      List<Symbol> out = new ArrayList<>();
      for (int o = 0; o + 24 <= syms.limit(); o += 24) {
        int info = syms.get(o + 4) & 0xf;
        long value = syms.getLong(o + 8);
        if ((info == 1 || info == 2) && value != 0 && syms.getShort(o + 6) != 0) {
          out.add(
              new Symbol(cString(names, syms.getInt(o)), value, syms.getLong(o + 16), info == 2));
        }
      }
      return Collections.unmodifiableList(out);
    } catch (IOException | IndexOutOfBoundsException | IllegalArgumentException e) {
      return List.of(); // unreadable, or a damaged symbol table: a file without symbols
    }
  }
}
