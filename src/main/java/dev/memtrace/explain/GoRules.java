package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;
import java.util.Set;

/**
 * Go's heap as -k shows it (Go 1.19, linux/amd64: runtime/malloc.go, runtime/mem_linux.go): the
 * heap reserves address space PROT_NONE in whole 64 MiB arenas (heapArenaBytes) at its arena hints,
 * which start at 0xc000000000, and sysMap commits the parts the heap grows into. Only where a frame
 * of the call shows it: without -k the trace does not tell a Go binary's reservations from
 * another's.
 */
final class GoRules {
  private GoRules() {}

  /** The Go heap's arena allocator, as -k names it. */
  static final String HEAP_SYS_ALLOC = "runtime.(*mheap).sysAlloc";

  static final long HEAP_ARENA_BYTES = 64L << 20;

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
            .says(
                c ->
                    Said.of(
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
                            Basis.PATTERN,
                            c.length() + " = " + c.length() / HEAP_ARENA_BYTES + " × 64 MiB")
                        .tag(
                            RegionClass.RESERVED, c.length() + "-byte Go heap arena reservation")));
  }
}
