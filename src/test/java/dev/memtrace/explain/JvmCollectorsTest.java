package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * HotSpot (OpenJDK 17) with collectors other than G1, and without CDS (lines of strace -f -tt -T of
 * java -cp . Hello): the Java heap is reserved once, and what G1 or the heap's rows say is not said
 * of another collector's reservations.
 */
class JvmCollectorsTest {

  private static String java(String option) {
    return "18936 19:47:51.178942 execve(\"/usr/bin/java\", [\"java\", \""
        + option
        + "\", \"-cp\", \".\", \"Hello\"], 0x7ffd02964fd8 /* 39 vars */) = 0 <0.002966>\n";
  }

  @Test
  void zgcsThreeHeapViewsAreNotThreeHeapsOfTheirSize() {
    // ZVirtualMemoryManager::reserve: 16 x the maximum heap (ftruncate's size) in each of the
    // marked0, marked1 and remapped views; ZPhysicalMemoryManager::map maps the memfd into all
    Run.Out out =
        Run.explain(
            java("-XX:+UseZGC")
                + """
        18938 19:47:51.322934 mmap(0x40000000000, 101133058048, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x40000000000 <0.000018>
        18938 19:47:51.322979 mmap(0x80000000000, 101133058048, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x80000000000 <0.000015>
        18938 19:47:51.323021 mmap(0x100000000000, 101133058048, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x100000000000 <0.000017>
        18938 19:47:51.323072 memfd_create("java_heap", MFD_CLOEXEC) = 4 <0.000028>
        18938 19:47:51.323133 ftruncate(4, 6320816128) = 0 <0.000019>
        18938 19:47:51.329783 fallocate(4, 0, 0, 396361728) = 0 <0.072775>
        18938 19:47:51.405058 mmap(0x40000000000, 396361728, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 4, 0) = 0x40000000000 <0.000045>
        18938 19:47:51.405184 mmap(0x80000000000, 396361728, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 4, 0) = 0x80000000000 <0.000016>
        18938 19:47:51.405227 mmap(0x100000000000, 396361728, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 4, 0) = 0x100000000000 <0.000017>
        18938 19:47:51.405300 mmap(0x7ff8b4000000, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7ff8b4000000 <0.000018>
        18938 20:26:10.232402 mmap(0x40000c00000, 2097152, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x40000c00000 <0.000020>
        """);
    assertThat(out.why(2))
        .startsWith("fits ZGC's Java heap")
        .contains("multi-mapped as non-generational ZGC (JDK 17 to 22) does")
        .contains("this is the marked0 view, at 2^42, and the marked1 view follows at line 3")
        .endsWith("(inferred from the pattern)")
        .contains("a maximum heap of 6320816128 bytes")
        .doesNotContain("reserves the whole Java heap");
    assertThat(out.why(3)).startsWith("fits ZGC's marked1 view").contains("line 2");
    assertThat(out.why(4)).startsWith("fits ZGC's remapped view").contains("four times");
    assertThat(out.why(8))
        .startsWith("ZGC maps 396361728 bytes of its heap memory")
        .contains("of its marked0 view");
    assertThat(out.why(10)).contains("of its remapped view");
    assertThat(out.why(11)).doesNotContain("Java heap").doesNotContain("ZGC");
    // ZPhysicalMemoryBacking::unmap detaches the memfd's pages from a view; they are not dropped
    assertThat(out.why(12))
        .startsWith(
            "ZGC detaches 2097152 bytes of heap memory from its marked0 view, at offset 0xc00000")
        .doesNotContain("HotSpot uncommits")
        .doesNotContain("dropped");
  }

  /**
   * Generational ZGC (Temurin 25, -XX:+UseZGC -Xmx512m) reserves its heap's range once and maps the
   * memfd into it once (ZPhysicalMemoryBacking::map); it read "three views ... this is the marked0
   * view" and "the same pages are mapped into each of the three views".
   */
  @Test
  void generationalZgcReservesOneRange() {
    Run.Out out =
        Run.explain(
            java("-XX:+UseZGC")
                + """
        18186 13:37:56.375986 mmap(0x40000000000, 8589934592, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_FIXED_NOREPLACE, -1, 0) = 0x40000000000 <0.000018>
        18186 13:37:56.376053 memfd_create("java_heap", MFD_CLOEXEC) = 4 <0.000030>
        18186 13:37:56.376115 ftruncate(4, 536870912) = 0 <0.000018>
        18186 13:37:56.398243 fallocate(4, 0, 0, 396361728) = 0 <0.157369>
        18186 13:37:56.555733 mmap(0x40000000000, 396361728, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 4, 0) = 0x40000000000 <0.000045>
        18186 13:37:56.555800 mmap(0x40000c00000, 2097152, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x40000c00000 <0.000020>
        """);
    assertThat(out.why(2))
        .startsWith("fits ZGC's Java heap (x86-64)")
        .contains("a maximum heap of 536870912 bytes (512 MiB)")
        .contains("generational ZGC (the default from JDK 23, the only one from JDK 24) reserves")
        .doesNotContain("this is the marked0 view");
    assertThat(out.why(6))
        .startsWith(
            "ZGC maps 396361728 bytes of its heap memory (the memfd \"java_heap\", from offset 0x0)"
                + " at offset 0x0 of its heap range reserved at line 2")
        .contains("each page of the memfd is mapped once")
        .doesNotContain("three");
    assertThat(out.why(7))
        .startsWith(
            "ZGC detaches 2097152 bytes of heap memory from its heap range (reserved at line 2),"
                + " at offset 0xc00000");
  }

  @Test
  void theHeapIsReservedOnceNotAtEveryHint() {
    // Shenandoah: its collection set map tried at 0x1000, 0x2000... (ShenandoahHeap::initialize)
    Run.Out shen =
        Run.explain(
            java("-XX:+UseShenandoahGC")
                + """
        18999 19:47:52.289528 mmap(0x687400000, 6320816128, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x687400000 <0.000074>
        18999 19:47:52.291337 mmap(0x1000, 16384, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x10000 <0.000062>
        """);
    assertThat(shen.why(2)).startsWith("the JVM reserves the whole Java heap: 6320816128 bytes");
    assertThat(shen.why(3)).doesNotContain("Java heap");

    // -Xshare:off: Metaspace::global_initialize puts the class space right above the heap
    Run.Out noCds =
        Run.explain(
            java("-Xshare:off")
                + """
        19172 19:47:54.934052 mmap(0x647400000, 6320816128, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x647400000 <0.000020>
        19172 19:47:54.983189 mmap(0x7c0000000, 1073741824, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7c0000000 <0.000018>
        """);
    assertThat(noCds.why(3)).doesNotContain("Java heap").doesNotContain("compressed oops");
  }

  @Test
  void aHeapSizedSideTableIsG1sOnlyWhenG1MayRun() {
    // ParallelGC's compaction block table (ParallelCompactData: 2 bytes per 1 KiB block) is
    // heap / 512 bytes, as G1's card table is
    String rest =
        """
        19031 19:47:52.855773 mmap(0x687400000, 6320816128, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x687400000 <0.000039>
        19031 19:47:52.866869 mmap(NULL, 12345344, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f608f7da000 <0.000026>
        """;
    assertThat(Run.explain(java("-XX:+UseParallelGC") + rest).why(3)).doesNotContain("G1");
    assertThat(Run.explain(java("-XX:+UseG1GC") + rest).why(3))
        .startsWith("a G1 side table")
        .doesNotContain("fits");
    // no option names the collector: GCConfig::select_gc_ergonomically picks G1 or Serial
    assertThat(Run.explain(java("-Xmx6g") + rest).why(3))
        .startsWith("fits a G1 side table")
        .contains("no option the trace shows names the collector")
        .contains("else Serial")
        .endsWith("(inferred from the pattern)");
  }

  @Test
  void aCollectorChosenInTheEnvironmentIsReadFromWhatTheJvmReports() {
    // java -Xmx64m -version with JAVA_TOOL_OPTIONS=-XX:+UseParallelGC: the 131072 bytes are
    // ParallelGC's object start array (heap / 512); HotSpot reports the variable on stderr
    String heap =
        """
        11558 02:28:00.296818 mmap(0xfc000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0xfc000000 <0.000050>
        11558 02:28:00.300874 mmap(NULL, 131072, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f9fcf172000 <0.000014>
        """;
    String exec =
        "11557 02:28:00.225875 execve(\"/usr/bin/java\", [\"java\", \"-Xmx64m\", \"-version\"], "
            + "0x7ffe1f39da78 /* 40 vars */) = 0 <0.002980>\n";
    String whole =
        "11558 02:28:00.273208 write(2, \"Picked up JAVA_TOOL_OPTIONS: -XX:+UseParallelGC\\n\", 48)"
            + " = 48 <0.000024>\n";
    assertThat(Run.explain(exec + whole + heap).why(4)).doesNotContain("G1");

    // strace's default -s 32 cuts the value: the collector is not known
    String cut =
        "11558 02:28:00.273208 write(2, \"Picked up JAVA_TOOL_OPTIONS: -XX\"..., 48) = 48"
            + " <0.000024>\n";
    assertThat(Run.explain(exec + cut + heap).why(4))
        .startsWith("fits a G1 side table")
        .contains("but JAVA_TOOL_OPTIONS (strace -s cut its value) may name one");

    // strace -v prints the environment with execve
    String verbose =
        "11557 02:28:00.225875 execve(\"/usr/bin/java\", [\"java\", \"-version\"], "
            + "[\"HOME=/root\", \"_JAVA_OPTIONS=-Xmx64m -XX:+UseSerialGC\"]) = 0 <0.002980>\n";
    assertThat(Run.explain(verbose + heap).why(3)).doesNotContain("G1");

    // an @argfile the trace does not show may name one
    assertThat(Run.explain(java("@opts") + heap).why(3))
        .startsWith("fits a G1 side table")
        .contains("but an @argfile or -XX:Flags file may name one");
  }

  @Test
  void cdsRegionsMappedIntoTheHeapAreArchivedObjects() {
    // FileMapInfo::map_heap_regions_impl: with G1 the archive's closed and open heap regions are
    // mapped near the top of the Java heap, not beside the class metadata
    Run.Out out =
        Run.explain(
            java("-Xshare:auto")
                + """
        19217 19:47:55.480412 mmap(0x687400000, 6320816128, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x687400000 <0.000033>
        19217 19:47:55.519258 openat(AT_FDCWD, "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/classes.jsa", O_RDONLY|O_CLOEXEC) = 4 <0.000023>
        19217 19:47:55.519542 mmap(NULL, 1090519040, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7feb2f000000 <0.000019>
        19217 19:47:55.519596 mmap(0x7feb2f000000, 4538368, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, 4, 0x1000) = 0x7feb2f000000 <0.000021>
        19217 19:47:55.555356 mmap(0x7ffc00000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7ffc00000 <0.000046>
        19217 19:47:55.555916 mmap(0x7ffc00000, 491520, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, 4, 0xbff000) = 0x7ffc00000 <0.000053>
        """);
    assertThat(out.why(5)).contains("class metadata").doesNotContain("archived Java objects");
    assertThat(out.why(7))
        .contains("of the Java heap reservation made at line 2")
        .contains("archived Java objects")
        .doesNotContain("class metadata");
  }

  @Test
  void g1HasTwoMarkBitmapsAndAMarkStackOfTheSameSizeIsNeither() {
    // java -Xmx2g: G1CMMarkStack's 32 MiB (MarkStackSize 4M entries of 8 bytes) is heap / 64 too
    Run.Out out =
        Run.explain(
            java("-Xmx2g")
                + """
        6439  20:17:06.920001 mmap(0x80000000, 2147483648, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x80000000 <0.000030>
        6439  20:17:06.920101 mmap(NULL, 33554432, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fdb65000000 <0.000016>
        6439  20:17:06.920201 mmap(NULL, 33554432, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fdb47400000 <0.000016>
        6439  20:17:06.991143 mmap(NULL, 33554432, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fdb45400000 <0.000050>
        6439  20:17:06.991260 mmap(0x7fdb45400000, 33554432, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7fdb45400000 <0.000032>
        """);
    assertThat(out.why(3)).startsWith("fits a G1 marking bitmap");
    assertThat(out.why(4)).startsWith("fits a G1 marking bitmap");
    assertThat(out.why(5)).doesNotContain("bitmap");
    assertThat(out.why(6)).doesNotContain("bitmap");
  }
}
