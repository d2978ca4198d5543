package dev.memtrace.explain;

import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;
import java.util.Set;

/**
 * GCC's garbage collector in its compiler proper (cc1, cc1plus, lto1, ...): ggc-page.cc's
 * alloc_page maps its pages itself (alloc_anon: mmap of anonymous PROT_READ|PROT_WRITE memory at
 * NULL). init_ggc maps one page first and keeps it; wanting one page later, alloc_page maps
 * GGC_QUIRE_SIZE 512 of them at once, 2 MiB with 4 KiB pages, and keeps the others on its free
 * list; a page entry whose objects need more than a page gets a mapping of exactly those whole
 * pages. Without -k these mappings only fit it (a -k stack shows ggc_internal_alloc calling mmap,
 * and the stack rules say so).
 */
final class GccRules {
  private GccRules() {}

  /** The executables of GCC's compilers proper, which run its garbage collector. */
  private static final Set<String> COMPILERS =
      Set.of("cc1", "cc1plus", "cc1obj", "cc1objplus", "f951", "lto1", "d21", "go1", "gnat1");

  /** GGC_QUIRE_SIZE pages of 4 KiB (ggc-page.cc, when it maps with mmap). */
  static final long QUIRE = 512 * Glibc.PAGE;

  static boolean compiler(Space sp) {
    String exe = sp.exe;
    return exe != null && COMPILERS.contains(exe.substring(exe.lastIndexOf('/') + 1));
  }

  static List<Rule> rules() {
    return List.of(
        Rule.on("gcc-ggc-pages", "mmap")
            .when(
                ok(),
                privateAnonRwAtNull(),
                c -> c.ev.stack().isEmpty(),
                afterStartup(),
                c -> compiler(c.sp),
                c ->
                    c.length() == QUIRE
                        || c.length() == Glibc.PAGE && c.sp.ggcLine == 0
                        || c.length() % Glibc.PAGE == 0
                            && c.length() >= 2 * Glibc.PAGE
                            && c.length() - 16 < c.sp.mmapThreshold)
            .effect(
                (c, before) -> {
                  if (c.sp.ggcLine == 0) {
                    c.sp.ggcLine = c.line();
                  }
                })
            .says(GccRules::pages));
  }

  private static Said pages(Ctx c) {
    String name = c.sp.exe.substring(c.sp.exe.lastIndexOf('/') + 1);
    String gc =
        "fits GCC's garbage collector: this process is "
            + name
            + ", a GCC compiler proper, whose ggc-page.cc maps the pages it allocates objects in"
            + " itself (alloc_page calls alloc_anon, an anonymous mmap at NULL)";
    if (c.length() == Glibc.PAGE) {
      return Said.of(
              gc
                  + ": init_ggc maps one page before anything else and keeps it on its free list"
                  + " (alloc_anon(NULL, G.pagesize)); this is the process's first mapping of that"
                  + " shape, so it likely is that page; the trace alone does not tell (with -k, the"
                  + " stack does)",
              Basis.PATTERN,
              "one page, the first such mapping in " + name)
          .tag(RegionClass.ANON, "4096-byte GCC garbage-collector page");
    }
    if (c.length() == QUIRE) {
      return Said.of(
              gc
                  + ": wanting one page, it maps GGC_QUIRE_SIZE 512 pages of 4 KiB, 2 MiB, at"
                  + " once and keeps the others on its free list for the pages that follow."
                  + " glibc malloc maps exactly 2 MiB only for a request just below it (from "
                  + Glibc.smallestMmappedRequest(c.length())
                  + " to "
                  + Glibc.largestMmappedRequest(c.length())
                  + " bytes), so this likely is a group of the collector's pages; the trace"
                  + " alone does not tell (with -k, the stack does)",
              Basis.PATTERN,
              "2097152 = 512 × 4096, in " + name)
          .tag(RegionClass.ANON, c.length() + "-byte GCC garbage-collector page group");
    }
    return Said.of(
            gc
                + ": a page entry whose objects need more than a page gets a mapping of exactly"
                + " those whole pages, as this one of "
                + c.length()
                + " bytes is; too small for glibc malloc's mmap path (its threshold is "
                + c.sp.mmapThreshold
                + " bytes), so likely the collector's, unless the program lowered the threshold;"
                + " the trace alone does not tell (with -k, the stack does)",
            Basis.PATTERN,
            c.length() + " bytes, whole pages, in " + name)
        .tag(RegionClass.ANON, c.length() + "-byte GCC garbage-collector page entry");
  }
}
