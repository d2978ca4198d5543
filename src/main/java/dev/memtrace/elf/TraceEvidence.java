package dev.memtrace.elf;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a trace showed of the files it names, to check that a file read for its ELF headers is the
 * one the trace ran: the size a stat or fstat printed ({@code st_size}), and the segments ld.so
 * mapped of it ({@code mmap} with {@code MAP_FIXED|MAP_DENYWRITE} of the file at the page holding a
 * {@code PT_LOAD}'s first byte, as long as the pages up to its last file byte: _dl_map_segments; or
 * the whole span, placed at an alignment larger than a page: _dl_map_segment). A file the trace
 * opened for writing or renamed onto is not checked: what the trace showed of it may be older than
 * what ran.
 */
final class TraceEvidence {

  /** A part of a file ld.so mapped: a page offset and a length. */
  private record Mapped(long offset, long length) {}

  private final Map<String, Long> sizes = new HashMap<>();
  private final Map<String, Set<Mapped>> segments = new HashMap<>();
  private final Set<String> written = new HashSet<>();

  void size(String path, long size) {
    if (!written.contains(path)) {
      sizes.put(path, size);
    }
  }

  void segment(String path, long offset, long length) {
    if (!written.contains(path)) {
      segments.computeIfAbsent(path, p -> new HashSet<>()).add(new Mapped(offset, length));
    }
  }

  void written(String path) {
    written.add(path);
    sizes.remove(path);
    segments.remove(path);
  }

  boolean isEmpty() {
    return sizes.isEmpty() && segments.isEmpty();
  }

  /**
   * Why elf, read for the file the trace names by one of paths (null ones are skipped), is not the
   * one the trace ran, or null when nothing the trace showed says so.
   *
   * @param read how to name the file read ("this machine's /usr/bin/cat")
   */
  String differs(ElfFile elf, String read, String... paths) {
    for (String path : paths) {
      if (path == null) {
        continue;
      }
      Long size = sizes.get(path);
      if (size != null && size != elf.size()) {
        return "the trace shows " + path + " of " + size + " bytes, " + read + " has " + elf.size();
      }
      for (Mapped m : segments.getOrDefault(path, Set.of())) {
        if (!isLoad(elf, m) && !isSpan(elf, m)) {
          return "the trace shows ld.so mapping "
              + m.length()
              + " bytes of "
              + path
              + " from offset 0x"
              + Long.toHexString(m.offset())
              + ", which is no PT_LOAD segment of "
              + read;
        }
      }
    }
    return null;
  }

  /**
   * Whether m is the object's whole span, from its first PT_LOAD's page to the end of its last
   * one's memory: what _dl_map_segment maps MAP_FIXED in a reservation when the object asks for an
   * alignment larger than a page (its maplength).
   */
  private static boolean isSpan(ElfFile elf, Mapped m) {
    if (elf.loads().isEmpty()) {
      return false;
    }
    Segment first = elf.loads().get(0);
    Segment last = elf.loads().get(elf.loads().size() - 1);
    long span = last.vaddr() + last.memsz() - (first.vaddr() & ~0xfffL);
    return (first.offset() & ~0xfffL) == m.offset() && span == m.length();
  }

  private static boolean isLoad(ElfFile elf, Mapped m) {
    for (Segment s : elf.loads()) {
      long start = s.vaddr() & ~0xfffL;
      long end = (s.vaddr() + s.filesz() + 0xfff) & ~0xfffL;
      if ((s.offset() & ~0xfffL) == m.offset() && end - start == m.length()) {
        return true;
      }
    }
    return false;
  }
}
