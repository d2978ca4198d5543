package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;

import dev.memtrace.decode.Prctl;
import dev.memtrace.explain.Explainer.Pending;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;

/**
 * {@code prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, addr, len, "name")}: the program names an
 * anonymous range it mapped, which /proc/PID/maps then shows as {@code [anon:name]} (Linux 5.17 and
 * later, built with CONFIG_ANON_VMA_NAME; kernel/sys.c {@code prctl_set_vma}). Whether or not the
 * kernel took the name, the call shows whose memory the range is: glibc 2.36's malloc names none of
 * its mappings (from 2.39 only with the glibc.mem.decorate_maps tunable, and then as "glibc:
 * malloc"), so a mapping whose size fitted malloc's mmap path is retold as the program's own, and
 * its munmap neither frees a chunk nor raises malloc's threshold. PHP's Zend allocator names every
 * chunk it maps "zend_alloc" so (zend_mm_mmap in Zend/zend_alloc.c).
 */
final class VmaNames {
  private VmaNames() {}

  static void named(Ctx c, Pending p) {
    if (!(c.call instanceof Prctl pr) || !pr.namesAnonRange()) {
      return;
    }
    String name = pr.anonName();
    if (name == null || pr.addr().isEmpty() || pr.length().isEmpty()) {
      return;
    }
    long addr = pr.addr().getAsLong();
    long len = pr.length().getAsLong();
    TagMap.Span s = c.sp.tags.at(addr);
    long pages = Glibc.alignUp(len, Glibc.PAGE);
    boolean inOne = s != null && addr + pages <= s.end();
    // the span is all its line made only when no later call took a part of it: a commit inside a
    // reservation (mozjemalloc names the pages it commits "jemalloc" in the 1040384-byte range it
    // reserved), or a munmap that trimmed it (rlbox keeps 8 GiB of a 16 GiB reservation)
    boolean whole =
        inOne
            && s.start() == addr
            && s.size() == pages
            && !s.tag().part()
            && !s.tag().cut()
            && MappingRules.reservationStart(s) == s.start();
    String range =
        whole
            ? "the " + s.size() + "-byte mapping made at line " + s.tag().line()
            : inOne
                ? len
                    + " bytes at offset "
                    + hex(addr - MappingRules.reservationStart(s))
                    + " of "
                    + MappingRules.within(s)
                : len + " bytes at " + hex(addr);
    String errno = c.ev.result() == null ? null : c.ev.result().errno();
    String text;
    if (c.ok()) {
      text =
          "the program names "
              + range
              + " \""
              + name
              + "\" (PR_SET_VMA_ANON_NAME): /proc/PID/maps shows it as [anon:"
              + name
              + "]";
    } else if ("EINVAL".equals(errno)) {
      text =
          "the program asks the kernel to name "
              + range
              + " \""
              + name
              + "\" (PR_SET_VMA_ANON_NAME); EINVAL is what a kernel built without "
              + "CONFIG_ANON_VMA_NAME answers (kernel/sys.c prctl_set_vma), as it does a name "
              + "or range it does not accept, so /proc/PID/maps shows no name; the call still "
              + "shows the program holds this memory itself";
    } else {
      return;
    }
    p.why.add(
        new Explanation(
            "vma-name",
            text,
            Basis.ARITHMETIC,
            List.of(
                "prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, "
                    + hex(addr)
                    + ", "
                    + len
                    + ", \""
                    + name
                    + "\")")));
    if (!whole || name.contains("glibc")) {
      return;
    }
    Tag t = s.tag();
    if (t.cls() == RegionClass.MALLOC_MMAP) {
      t.refine(RegionClass.ANON, s.size() + "-byte anonymous mapping named \"" + name + "\"");
      c.ex.retell(
          t,
          MallocRules.MALLOC_MMAP,
          new Explanation(
              "anon-named",
              "a direct anonymous mmap of "
                  + s.size()
                  + " bytes that the program names \""
                  + name
                  + "\" with prctl(PR_SET_VMA_ANON_NAME) at line "
                  + c.line()
                  + ": its own memory, not a malloc chunk, though its size fits glibc malloc's "
                  + "mmap path (glibc's malloc names none of its mappings but with the "
                  + "glibc.mem.decorate_maps tunable of 2.39 and later, and then \"glibc: malloc\")",
              Basis.ARITHMETIC,
              List.of("prctl naming " + hex(addr) + ", " + len + " at line " + c.line())));
    }
  }
}
