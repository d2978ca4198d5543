package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Explanation.Basis;
import dev.memtrace.explain.Rule.Said;
import java.util.List;

/**
 * The big mappings of a HotSpot JVM (OpenJDK 17, G1), recognised once libjvm.so is loaded:
 * the Java heap reserved whole and committed with MAP_FIXED, the JIT code cache, the class
 * library image, Java thread stacks without a glibc guard (memory-facts §7). Sizes depend on the
 * machine (RAM, CPUs), so these rules read shapes and placement, not exact figures.
 */
final class JvmRules {
  private JvmRules() {}

  /** Where zero-based compressed oops need the heap to end: 32 GiB. */
  static final long OOPS_TOP = 32L << 30;

  static List<Rule> rules() {
    return List.of(
        Rule.on("jvm-heap-reserve", "mmap")
            .when(ok(), anon(), prot(2), flag(3, "MAP_NORESERVE"), jvm(),
                c -> c.arg(0) != 0 && c.len() != Glibc.HEAP_MAX)
            .frames("os::reserve_memory", "os::attempt_reserve_memory_at")
            .says(c -> {
              long end = c.ret() + c.len();
              boolean zeroBased = end == OOPS_TOP;
              return Said.of(
                      "the JVM reserves the whole Java heap: " + c.len() + " bytes ("
                          + Human.bytes(c.len()) + ", the maximum heap size: -Xmx, by default "
                          + "a quarter of RAM) as PROT_NONE address space at a chosen address"
                          + (zeroBased ? "; it ends exactly at 32 GiB, so compressed oops need "
                              + "no base (zero-based)" : "")
                          + ". Parts are committed later with mmap(MAP_FIXED)",
                      zeroBased ? Basis.ARITHMETIC : Basis.PATTERN,
                      hex(c.ret()) + " + " + c.len() + " = " + hex(end))
                  .tag(RegionClass.RESERVED, "Java heap reservation");
            }),
        Rule.on("jvm-g1-card-tables", "mmap")
            .when(ok(), anon(), prot(2), jvm(), c -> c.sp.javaHeap > 0
                && c.len() == Glibc.alignUp(c.sp.javaHeap / 512, Glibc.PAGE))
            .says(c -> Said.of(
                    "a G1 side table for the Java heap reserved at line " + c.sp.javaHeapLine
                        + ": one byte per 512-byte card (the card table, the block offset table "
                        + "or the card counts), reserved now and committed as the heap grows ("
                        + c.sp.javaHeap + " / 512 = " + c.sp.javaHeap / 512 + ")",
                    Basis.ARITHMETIC, c.sp.javaHeap + " / 512 = " + c.sp.javaHeap / 512
                        + ", page-aligned " + c.len())
                .tag(RegionClass.RESERVED, "G1 card-sized side table")),
        Rule.on("jvm-g1-mark-bitmap", "mmap")
            .when(ok(), anon(), prot(2), jvm(), c -> c.sp.javaHeap > 0
                && c.len() == Glibc.alignUp(c.sp.javaHeap / 64, Glibc.PAGE))
            .says(c -> Said.of(
                    "a G1 marking bitmap for the Java heap reserved at line " + c.sp.javaHeapLine
                        + ": one bit per 8-byte word, committed for the part of the heap in use ("
                        + c.sp.javaHeap + " / 64 = " + c.sp.javaHeap / 64 + ")",
                    Basis.ARITHMETIC, c.sp.javaHeap + " / 64 = " + c.sp.javaHeap / 64
                        + ", page-aligned " + c.len())
                .tag(RegionClass.RESERVED, "G1 mark bitmap")),
        Rule.on("jvm-code-cache-reserve", "mmap")
            .when(ok(), anon(), prot(2), jvm(), size(1, 240L << 20))
            .says(c -> Said.of(
                    "the JIT code cache reserved whole: 240 MiB, HotSpot's default "
                        + "ReservedCodeCacheSize with tiered compilation; its segments (non-"
                        + "method, profiled, non-profiled code) are committed with RWX "
                        + "mmap(MAP_FIXED) later",
                    Basis.PATTERN, "251658240 = 240 MiB PROT_NONE in a JVM")
                .tag(RegionClass.RESERVED, "JIT code cache reservation")),
        Rule.on("jvm-code-cache", "mmap")
            .when(ok(), anon(), flag(3, "MAP_FIXED"), jvm(),
                prot(2, "PROT_READ", "PROT_WRITE", "PROT_EXEC"))
            .says(c -> Said.of(
                    "the JVM commits " + c.len() + " bytes of its JIT code cache read-write-"
                        + "execute: compiled methods and stubs are written and run here "
                        + "(one of the code heap segments, committed at its initial size)",
                    Basis.PATTERN, "anonymous RWX MAP_FIXED in a JVM")
                .tag(RegionClass.ANON, "JIT code cache")),
        Rule.on("jvm-jimage", "mmap")
            .when(ok(), file(), pathContains(4, "/lib/modules"))
            .says(c -> Said.of(
                    "the JDK's class library image (jimage, lib/modules) mapped whole, "
                        + c.len() + " bytes (" + Human.bytes(c.len()) + "): classes are read "
                        + "from it on demand through the page cache",
                    Basis.PATTERN, "file " + c.fdName(4))
                .tag(RegionClass.FILE_SHARED, "jimage lib/modules", c.fdPath(4))),
        Rule.on("jvm-java-thread-stack", "mmap")
            .when(ok(), anon(), prot(2, "PROT_READ", "PROT_WRITE"), flag(3, "MAP_STACK"), jvm())
            .says(c -> Said.of(
                    "a Java thread's stack: " + c.len() + " bytes (" + Human.bytes(c.len())
                        + ", ThreadStackSize) mapped RW at once, without a glibc guard page: "
                        + "HotSpot protects its own guard zones at the low end (the "
                        + "mprotect PROT_NONE the new thread makes)",
                    Basis.PATTERN, "MAP_STACK RW in a JVM")
                .tag(RegionClass.THREAD_STACK, "Java thread stack")));
  }

  static java.util.function.Predicate<Ctx> jvm() {
    return c -> c.sp.jvm || c.sp.program().equals("java");
  }
}
