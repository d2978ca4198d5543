package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;
import java.util.Set;

/**
 * Go's heap as -k shows it (Go 1.19, linux/amd64: runtime/malloc.go, runtime/mem_linux.go): the
 * heap reserves address space PROT_NONE in whole 64 MiB arenas (heapArenaBytes) at its arena hints,
 * which start at 0xc000000000, and sysMap commits the parts the heap grows into. Told as Go's where
 * a -k frame of the call shows it; without -k, a reservation at one of Go's hints only fits it, and
 * then glibc malloc's mmap path is no longer told in that process, whose anonymous mappings of that
 * shape may be the Go runtime's.
 */
final class GoRules {
  private GoRules() {}

  /** The Go heap's arena allocator, as -k names it. */
  static final String HEAP_SYS_ALLOC = "runtime.(*mheap).sysAlloc";

  static final long HEAP_ARENA_BYTES = 64L << 20;

  /**
   * Whether the address is one of Go's heap arena hints on linux/amd64: i<<40 | 0x00c000000000 for
   * i from 0 to 0x7f (mallocinit in runtime/malloc.go).
   */
  static boolean arenaHint(long addr) {
    return (addr & ((1L << 40) - 1)) == 0xc000000000L && addr >>> 40 <= 0x7f;
  }

  /**
   * A reservation that is or fits Go's heap: from then on an anonymous RW mapping of malloc's shape
   * may as well be the Go runtime's, so glibc malloc's mmap path is no longer told (but where -k
   * shows the allocator), and what it said before that and still waits is retold as undecided.
   */
  private static void goHeapSeen(Ctx c) {
    Space sp = c.sp;
    if (sp.goHeapLine > 0) {
      return;
    }
    sp.goHeapLine = c.line();
    for (TagMap.Span s : sp.tags.all()) {
      Tag t = s.tag();
      if (t.cls() != RegionClass.MALLOC_MMAP || c.ex.said(t, MallocRules.MALLOC_MMAP) == null) {
        continue;
      }
      t.refine(RegionClass.ANON, s.size() + "-byte anonymous mapping");
      c.ex.retell(
          t,
          MallocRules.MALLOC_MMAP,
          new Explanation(
              "malloc-or-go",
              "an anonymous PROT_READ|PROT_WRITE mapping of "
                  + s.size()
                  + " bytes: its shape fits glibc malloc's mmap path, but this process likely "
                  + "runs Go's runtime too (the heap arena reservation at line "
                  + c.line()
                  + "), which maps memory of this shape itself (persistentalloc, its heap's "
                  + "index); which of the two asked for it the trace does not tell (with -k, the "
                  + "stack does)",
              Basis.PATTERN,
              List.of("Go heap arena hint at line " + c.line())));
    }
  }

  private static Said reserved(Ctx c, String text, Basis basis) {
    return Said.of(
            text,
            basis,
            "PROT_NONE, "
                + c.length()
                + " = "
                + c.length() / HEAP_ARENA_BYTES
                + " × 64 MiB, at "
                + hex(c.result()))
        .tag(RegionClass.RESERVED, c.length() + "-byte Go heap arena reservation");
  }

  static List<Rule> rules() {
    return List.of(
        Rule.on("go-heap-reserve", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                noFlag("MAP_FIXED"),
                c -> c.length() % HEAP_ARENA_BYTES == 0,
                c -> c.frame(Set.of(HEAP_SYS_ALLOC)) != null)
            .frames(HEAP_SYS_ALLOC)
            .effect((c, before) -> goHeapSeen(c))
            .says(
                c ->
                    reserved(
                        c,
                        "Go's heap reserves "
                            + c.length() / HEAP_ARENA_BYTES
                            + " heap arena"
                            + (c.length() == HEAP_ARENA_BYTES ? "" : "s")
                            + " of 64 MiB (heapArenaBytes) PROT_NONE at "
                            + hex(c.result())
                            + ", asked for at "
                            + (c.addr() == 0 ? "no hint" : "its arena hint " + hex(c.addr()))
                            + " (the hints start at 0xc000000000, runtime/malloc.go); "
                            + "runtime.sysMap commits the parts the heap grows into with "
                            + "mmap(MAP_FIXED, PROT_READ|PROT_WRITE), and the scavenger gives "
                            + "pages back with madvise (runtime/mem_linux.go)",
                        Basis.PATTERN)),
        Rule.on("go-heap-hint", "mmap")
            .when(
                ok(),
                anon(),
                prot(),
                noFlag("MAP_FIXED"),
                noFlag("MAP_NORESERVE"),
                c -> c.length() % HEAP_ARENA_BYTES == 0,
                c -> arenaHint(c.addr()) && c.result() == c.addr())
            .effect((c, before) -> goHeapSeen(c))
            .says(
                c ->
                    reserved(
                        c,
                        "fits Go's heap: it reserves whole 64 MiB arenas (heapArenaBytes; "
                            + c.length() / HEAP_ARENA_BYTES
                            + " here) PROT_NONE at one of its arena hints, "
                            + hex(c.addr())
                            + " (on linux/amd64 they run from 0x00c000000000 to 0x7fc000000000, "
                            + "runtime/malloc.go), and commits parts later with mmap(MAP_FIXED, "
                            + "PROT_READ|PROT_WRITE). The call alone does not prove it is Go's; "
                            + "with -k the stack would",
                        Basis.PATTERN)));
  }
}
