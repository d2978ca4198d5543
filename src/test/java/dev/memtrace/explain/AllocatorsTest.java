package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import org.junit.jupiter.api.Test;

/**
 * Processes whose memory glibc malloc does not manage: a C program that mallocs and frees 16 B to 4
 * MiB run with jemalloc 5.3 or tcmalloc (gperftools) preloaded, and built with musl-gcc, on Debian
 * 12 ({@code strace -f -tt -T}). glibc's thresholds, top_pad and arenas must not be told of their
 * calls.
 */
class AllocatorsTest {

  /**
   * LD_PRELOAD=libjemalloc.so.2: ld.so maps jemalloc before libc.so.6, so jemalloc's malloc comes
   * first in the lookup scope. Line 15 is line 14 without MAP_NORESERVE, as jemalloc maps when
   * vm.overcommit_memory is 2 (pages_boot adds the flag only when the kernel overcommits): glibc
   * malloc's mmap path has that shape.
   */
  private static final String JEMALLOC =
      """
      4768  21:59:54.163718 execve("./m", ["./m"], 0x56320fc75c70 /* 40 vars */) = 0 <0.001412>
      4768  21:59:54.165535 brk(NULL)         = 0x56232532f000 <0.000041>
      4768  21:59:54.208649 openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", O_RDONLY|O_CLOEXEC) = 3 <0.000621>
      4768  21:59:54.209597 mmap(NULL, 3066408, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fa764200000 <0.000281>
      4768  21:59:54.209934 mmap(0x7fa764209000, 679936, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x9000) = 0x7fa764209000 <0.000029>
      4768  21:59:54.211114 close(3)          = 0 <0.000017>
      4768  21:59:54.212944 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3 <0.000057>
      4768  21:59:54.213309 mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fa76401e000 <0.000030>
      4768  21:59:54.213373 mmap(0x7fa764044000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7fa764044000 <0.000031>
      4768  21:59:54.214753 close(3)          = 0 <0.000024>
      4768  21:59:54.223126 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa76456b000 <0.000069>
      4768  21:59:54.223312 arch_prctl(ARCH_SET_FS, 0x7fa76456c180) = 0 <0.000194>
      4768  21:59:54.232186 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa76459a000 <0.000052>
      4768  21:59:54.233312 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fa763a00000 <0.000019>
      4768  21:59:54.233313 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa763600000 <0.000019>
      4768  21:59:54.233872 brk(NULL)         = 0x56232532f000 <0.000060>
      4768  21:59:54.234622 munmap(0x7fa763600000, 2097152) = 0 <0.000042>
      4768  21:59:54.234700 madvise(0x7fa763a04000, 16384, MADV_DONTNEED) = 0 <0.000112>
      """;

  @Test
  void jemallocsMappingsAndSbrkAreNotToldAsGlibcMallocs() {
    Run.Out out = Run.explain(JEMALLOC);
    for (int line : new int[] {13, 14, 15, 16, 17}) {
      assertThat(out.at(line).why()).noneMatch(e -> e.rule().startsWith("malloc"));
    }
    assertThat(out.why(13)).doesNotContain("threshold 131072").doesNotContain("mallopt");
    assertThat(out.why(14)).contains("jemalloc's own mappings").contains("pages_boot");
    assertThat(out.why(15))
        .doesNotContain("fits malloc(")
        .contains("glibc malloc's mmap threshold says nothing here")
        .contains("line 4");
    Explanation brk = out.at(16).why().get(0);
    assertThat(brk.rule()).isEqualTo("allocator-brk");
    assertThat(brk.basis()).isEqualTo(Basis.PATTERN);
    assertThat(brk.text()).contains("extent_dss_boot").doesNotContain("ld.so learnt");
    assertThat(out.why(17)).doesNotContain("munmap_chunk").doesNotContain("threshold rises");
    assertThat(out.why(18)).contains("pages_purge_forced").doesNotContain("malloc_trim");
  }

  @Test
  void anAllocatorLoadedAfterLibcDoesNotTakeMallocsPlace() {
    // libc.so.6 comes first in the lookup scope: its malloc is the program's
    String log =
        JEMALLOC
            .lines()
            .filter(l -> !l.contains("libjemalloc") && !l.contains("3066408"))
            .map(String::strip)
            .toList()
            .stream()
            .reduce("", (a, b) -> a + b + "\n");
    log =
        log.replace(
            "4768  21:59:54.214753 close(3)          = 0 <0.000024>\n",
            "4768  21:59:54.214753 close(3)          = 0 <0.000024>\n"
                + "4768  21:59:54.214800 openat(AT_FDCWD, \"/usr/lib/x86_64-linux-gnu/libjemalloc.so.2\", O_RDONLY|O_CLOEXEC) = 3 <0.000621>\n"
                + "4768  21:59:54.214900 mmap(NULL, 3066408, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fa764200000 <0.000281>\n");
    Run.Out out = Run.explain(log);
    assertThat(out.events().stream().flatMap(e -> e.why().stream()).map(Explanation::rule))
        .contains("malloc-mmap", "malloc-brk-query")
        .doesNotContain("allocator-brk");
  }

  /** LD_PRELOAD=libtcmalloc_minimal.so.4: tcmalloc grows its heap with sbrk. */
  private static final String TCMALLOC =
      """
      4879  21:59:57.580269 execve("./m", ["./m"], 0x563663c14c70 /* 40 vars */) = 0 <0.001584>
      4879  21:59:57.582163 brk(NULL)         = 0x564f9f83f000 <0.000051>
      4879  21:59:57.582803 openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", O_RDONLY|O_CLOEXEC) = 3 <0.000066>
      4879  21:59:57.583075 mmap(NULL, 1950688, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7f6ced107000 <0.000023>
      4879  21:59:57.583200 close(3)          = 0 <0.000024>
      4879  21:59:57.584088 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3 <0.000023>
      4879  21:59:57.584429 mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7f6cecf1a000 <0.000024>
      4879  21:59:57.584500 close(3)          = 0 <0.000024>
      4879  21:59:57.587467 arch_prctl(ARCH_SET_FS, 0x7f6cecbfb7c0) = 0 <0.000019>
      4879  21:59:57.591412 brk(NULL)         = 0x564f9f83f000 <0.000047>
      4879  21:59:57.591714 brk(0x564fa003f000) = 0x564fa003f000 <0.000023>
      4879  21:59:57.598078 brk(0x564fa013f000) = 0x564fa013f000 <0.000067>
      4879  21:59:57.598294 brk(0x564fa0140000) = 0x564fa0140000 <0.000018>
      """;

  @Test
  void tcmallocsBrkGrowthIsItsOwnNotTheMainArenas() {
    Run.Out out = Run.explain(TCMALLOC);
    for (int line = 10; line <= 13; line++) {
      assertThat(out.at(line).why())
          .as("line %d", line)
          .noneMatch(e -> e.rule().startsWith("malloc") || e.rule().equals("brk-direct"));
      assertThat(out.why(line)).doesNotContain("top_pad 131072 +").doesNotContain("M_TOP_PAD");
    }
    assertThat(out.why(11)).contains("SbrkSysAllocator").contains("[heap] appears");
    assertThat(out.why(11)).doesNotContain("main arena moves");
    assertThat(out.why(13)).contains("sbrk(extra)");
  }

  /** musl-gcc -static: the thread pointer first, then mallocng's brk(0), two pages, a guard. */
  private static final String MUSL =
      """
      4883  21:59:57.662910 execve("./m_musl_static", ["./m_musl_static"], 0x7ffffa737258 /* 39 vars */) = 0 <0.001233>
      4883  21:59:57.664725 arch_prctl(ARCH_SET_FS, 0x409c38) = 0 <0.000079>
      4883  21:59:57.664921 set_tid_address(0x409d70) = 4883 <0.000017>
      4883  21:59:57.665011 brk(NULL)         = 0x143f7000 <0.000041>
      4883  21:59:57.665091 brk(0x143f9000)   = 0x143f9000 <0.000021>
      4883  21:59:57.665147 mmap(0x143f7000, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x143f7000 <0.000025>
      4883  21:59:57.665386 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7efd79ab4000 <0.000022>
      4883  21:59:57.667331 mmap(NULL, 131092, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7efd79a65000 <0.000019>
      4883  21:59:57.698266 munmap(0x7efd79a65000, 135168) = 0 <0.000717>
      """;

  @Test
  void muslsStartupAndMallocAreNotGlibcs() {
    Run.Out out = Run.explain(MUSL);
    assertThat(out.why(2)).contains("not glibc's TLS_INIT_TP").contains("musl's __init_tp");
    assertThat(out.at(4).why().get(0).rule()).isEqualTo("musl-brk-query");
    assertThat(out.why(4)).doesNotContain("ld.so learns").contains("alloc_meta");
    assertThat(out.at(5).why()).noneMatch(e -> e.rule().equals("brk-direct"));
    assertThat(out.why(5))
        .contains("mallocng")
        .doesNotContain("the program moved it itself")
        .doesNotContain("M_TOP_PAD")
        .doesNotContain("malloc's main arena grows");
    assertThat(out.why(6)).contains("guard");
    assertThat(out.why(7)).doesNotContain("threshold 131072").doesNotContain("mallopt");
    assertThat(out.at(8).why().get(0).rule()).isEqualTo("musl-mmap");
    assertThat(out.why(8)).contains("malloc(131072)").contains("n + IB 4 + UNIT 16 = 131092");
    for (Explanation e : out.at(8).why()) {
      assertThat(e.basis()).isEqualTo(Basis.PATTERN);
    }
  }

  /**
   * musl-gcc (1.2.3, dynamic): malloc(200000) and malloc(2000000) are mmapped n + IB 4 + UNIT 16
   * bytes, whatever n is (mallocng's malloc), and freed whole.
   */
  private static final String MUSL_LARGE =
      """
      22750 04:50:55.642326 execve("./m_musl", ["./m_musl"], 0x7fff75969738 /* 39 vars */) = 0 <0.00174>
      22750 04:50:55.645197 arch_prctl(ARCH_SET_FS, 0x7f6a83cf9a08) = 0 <0.000058>
      22750 04:50:55.645776 brk(NULL)         = 0x5637ca48e000 <0.000034>
      22750 04:50:55.645847 brk(0x5637ca490000) = 0x5637ca490000 <0.000015>
      22750 04:50:55.646926 mmap(NULL, 200020, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f6a83c10000 <0.000018>
      22750 04:50:55.647530 munmap(0x7f6a83c10000, 200704) = 0 <0.000073>
      22750 04:50:55.647659 mmap(NULL, 2000020, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f6a83a58000 <0.000014>
      """;

  /**
   * musl-gcc (1.2.3, dynamic): musl's dynamic linker is its libc.so, which the kernel maps as the
   * interpreter; reloc_all protects its RELRO, then the program's, after mallocng's first brk.
   */
  private static final String MUSL_RELRO =
      """
      22750 04:50:55.642326 execve("./m_musl", ["./m_musl"], 0x7fff75969738 /* 39 vars */) = 0 <0.001740>
      22750 04:50:55.645197 arch_prctl(ARCH_SET_FS, 0x7f6a83cf9a08) = 0 <0.000058>
      22750 04:50:55.645325 set_tid_address(0x7f6a83cf9e70) = 22750 <0.000013>
      22750 04:50:55.645776 brk(NULL)         = 0x5637ca48e000 <0.000034>
      22750 04:50:55.645847 brk(0x5637ca490000) = 0x5637ca490000 <0.000015>
      22750 04:50:55.645910 mmap(0x5637ca48e000, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x5637ca48e000 <0.000022>
      22750 04:50:55.646473 mprotect(0x7f6a83cf6000, 4096, PROT_READ) = 0 <0.000062>
      22750 04:50:55.646623 mprotect(0x5637ae513000, 4096, PROT_READ) = 0 <0.000041>
      """;

  @Test
  void muslsDynamicLinkerProtectsItsOwnRelroFirst() {
    Run.Out out = Run.explain(MUSL_RELRO);
    assertThat(out.at(7).why().get(0).rule()).isEqualTo("relro");
    assertThat(out.why(7))
        .contains("reloc_all")
        .doesNotContain("image: rodata")
        .doesNotContain("protects its own data last");
    assertThat(out.at(8).why().get(0).rule()).isEqualTo("relro");
    assertThat(out.why(8)).contains("the executable");
  }

  @Test
  void muslMapsALargeRequestOfAnySizeItself() {
    Run.Out out = Run.explain(MUSL_LARGE);
    for (int line : new int[] {5, 7}) {
      assertThat(out.at(line).why().get(0).rule()).isEqualTo("musl-mmap");
      assertThat(out.why(line))
          .doesNotContain("not glibc malloc, whose mappings are always whole pages")
          .doesNotContain("asked the kernel for it itself");
    }
    assertThat(out.why(5)).contains("malloc(200000)").contains("= 200020 bytes");
    assertThat(out.why(7)).contains("malloc(2000000)");
    assertThat(out.why(6)).contains("musl malloc mapping made at line 5");
  }

  /**
   * LD_PRELOAD=libmimalloc.so.2 (mimalloc 2.0.9) under python3.11: a segment mapped at its aligned
   * hint with MAP_NORESERVE, obmalloc's 1 MiB arena, a decommit. The PROT_NONE reservation is a
   * thread's (prog under mimalloc); the brk lines at the end are written for the test, since
   * mimalloc never moves the break on Linux.
   */
  private static final String MIMALLOC =
      """
      18357 04:48:38.900208 execve("/root/.pyenv/versions/3.11.7/bin/python3", ["/root/.pyenv/versions/3.11.7/bin"..., "-c", "import os; a=[bytes(200000) for "...], 0x4b21c160180 /* 43 vars */) = 0 <0.005585>
      18357 04:48:38.906654 brk(NULL)         = 0x56384553a000 <0.000051>
      18357 04:48:38.907253 openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libmimalloc.so.2", O_RDONLY|O_CLOEXEC) = 3 <0.000063>
      18357 04:48:38.907569 mmap(NULL, 401120, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fd1d2d3a000 <0.000028>
      18357 04:48:38.907633 mmap(0x7fd1d2d40000, 61440, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x6000) = 0x7fd1d2d40000 <0.000034>
      18357 04:48:38.910266 close(3)          = 0 <0.000024>
      18357 04:48:38.910648 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3 <0.000040>
      18357 04:48:38.910830 mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fd1d2b4c000 <0.000020>
      18357 04:48:38.910890 mmap(0x7fd1d2b72000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7fd1d2b72000 <0.000020>
      18357 04:48:38.911000 close(3)          = 0 <0.000013>
      18357 04:48:38.912149 arch_prctl(ARCH_SET_FS, 0x7fd1d2c4d240) = 0 <0.000115>
      18357 04:48:38.928795 mmap(0x37770000000, 33554432, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x37770000000 <0.000040>
      18357 04:48:38.937734 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fd1d231e000 <0.000056>
      18357 04:48:38.977732 madvise(0x37770300000, 524288, MADV_DONTNEED) = 0 <0.000194>
      18357 04:48:38.980616 mmap(0x37772000000, 33554432, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x37772000000 <0.000016>
      18357 04:48:38.990000 brk(NULL)         = 0x56384553a000 <0.000051>
      18357 04:48:38.990100 brk(0x56384555b000) = 0x56384555b000 <0.000015>
      """;

  /**
   * mimalloc 2.0.9 commits with mprotect RW (mi_os_commitx, src/os.c): a part of its PROT_NONE
   * reservation (prog under LD_PRELOAD=libmimalloc.so.2) and a part of a segment mapped RW
   * (python3, after a decommit) read as a generic mprotect. Lines 16 and 17 are written for the
   * test.
   */
  @Test
  void mimallocCommitsWithMprotect() {
    String log =
        MIMALLOC.replace(
            "18357 04:48:38.990000 brk(NULL)         = 0x56384553a000 <0.000051>\n"
                + "18357 04:48:38.990100 brk(0x56384555b000) = 0x56384555b000 <0.000015>\n",
            "18357 04:48:38.990000 mprotect(0x37772000000, 65536, PROT_READ|PROT_WRITE) = 0\n"
                + "18357 04:48:38.990100 mprotect(0x37770300000, 524288, PROT_READ|PROT_WRITE)"
                + " = 0\n");
    Run.Out out = Run.explain(log);
    for (int line : new int[] {16, 17}) {
      assertThat(out.why(line))
          .as("line %d", line)
          .contains("fits mimalloc committing memory of one of its segments (mi_os_commitx")
          .contains("line 4)");
    }
    // without mimalloc, the same mprotect is told as before
    Run.Out plain =
        Run.explain(
            String.join(
                "\n",
                "1 mmap(0x37772000000, 33554432, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE,"
                    + " -1, 0) = 0x37772000000",
                "1 mprotect(0x37772000000, 65536, PROT_READ|PROT_WRITE) = 0",
                ""));
    assertThat(plain.why(2)).doesNotContain("mimalloc");
  }

  @Test
  void mimallocIsTheAllocatorAndGlibcMallocsRulesDoNotApply() {
    Run.Out out = Run.explain(MIMALLOC);
    assertThat(out.why(12)).contains("It fits mimalloc's own mappings").contains("line 4");
    assertThat(out.why(13))
        .contains("obmalloc")
        .contains("is not this process's allocator: mimalloc's library")
        .doesNotContain("does not rule out glibc malloc");
    assertThat(out.why(14)).contains("fits mimalloc decommitting").contains("mi_os_commitx");
    assertThat(out.why(15)).contains("fits mimalloc reserving").contains("mprotect");
    for (int line : new int[] {16, 17}) {
      Explanation e = out.at(line).why().get(0);
      assertThat(e.rule()).as("line %d", line).isEqualTo("allocator-brk");
      assertThat(e.basis()).isEqualTo(Basis.GUESS);
      assertThat(e.text())
          .contains("not mimalloc's")
          .doesNotContain("tcmalloc")
          .doesNotContain("jemalloc")
          .doesNotContain("top_pad");
    }
    for (int line = 12; line <= 17; line++) {
      assertThat(out.at(line).why())
          .as("line %d", line)
          .noneMatch(e -> e.rule().startsWith("malloc"));
    }
  }

  /**
   * LD_PRELOAD=libjemalloc.so.2 traced with -e trace=memory: no openat names the library and no
   * arch_prctl ends startup, and glibc's malloc never starts, so every small mapping is made while
   * the trace shows startup. jemalloc's one-page probe (pages_boot) is not ld.so's minimal malloc,
   * which maps ALIGN_UP(n, 4096) plus a page for n > 0: two pages at least.
   */
  private static final String MEMORY_ONLY =
      """
      12077 05:27:09.726186 brk(NULL)         = 0x56302067a000 <0.000112>
      12077 05:27:09.734786 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa8b653d000 <0.000074>
      12077 05:27:09.744916 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa8b653c000 <0.000046>
      12077 05:27:09.745066 madvise(0x7fa8b653c000, 4096, MADV_DONTNEED) = 0 <0.000054>
      """;

  @Test
  void aOnePageMappingIsNotLdsosMinimalMalloc() {
    Run.Out out = Run.explain(MEMORY_ONLY);
    assertThat(out.at(2).why().get(0).rule()).isEqualTo("ldso-minimal-malloc");
    assertThat(out.at(3).why()).noneMatch(e -> e.rule().equals("ldso-minimal-malloc"));
    assertThat(out.at(3).why().get(0).rule()).isEqualTo("anon-direct");
    assertThat(out.why(3)).doesNotContain("at most 0 bytes");
    assertThat(out.why(4)).doesNotContain("minimal");
  }

  /**
   * LD_PRELOAD=libtcmalloc_minimal.so.4 traced with -e trace=memory: no openat names tcmalloc,
   * whose SbrkSysAllocator grows the break by 8 MiB, then 1 MiB. One glibc malloc growth serves a
   * chunk below the mmap threshold: at most ALIGN_UP(131072 − 16 + 131072 + 32, 4096) = 266240
   * bytes.
   */
  private static final String TCMALLOC_MEMORY_ONLY =
      """
      12082 05:27:10.047707 brk(NULL)         = 0x556dab38b000 <0.000091>
      12082 05:27:10.056210 brk(NULL)         = 0x556dab38b000 <0.000035>
      12082 05:27:10.056386 brk(0x556dabb8b000) = 0x556dabb8b000 <0.000017>
      12082 05:27:10.061591 brk(0x556dabc8b000) = 0x556dabc8b000 <0.000096>
      """;

  @Test
  void aGrowthNoSysmallocMakesIsNotToldAsTheMainArenas() {
    Run.Out out = Run.explain(TCMALLOC_MEMORY_ONLY);
    for (int line : new int[] {3, 4}) {
      Explanation e = out.at(line).why().get(0);
      assertThat(e.basis()).as("line %d", line).isEqualTo(Basis.GUESS);
      assertThat(e.text())
          .doesNotContain("main arena")
          .contains("at most ALIGN_UP(131072 − 16 + top_pad 131072 + MINSIZE 32, 4096) = 266240")
          .contains("tcmalloc");
    }
    assertThat(out.why(3)).contains("[heap] appears");
  }

  /**
   * gcc -static with glibc 2.36: no ld.so; __libc_setup_tls takes the TLS block with
   * _dl_early_allocate's own brk calls, leaving sbrk's __curbrk unset until malloc's first sbrk.
   */
  private static final String GLIBC_STATIC =
      """
      4891  21:59:57.804258 execve("./m_static", ["./m_static"], 0x7ffc3bd3cdd8 /* 39 vars */) = 0 <0.001277>
      4891  21:59:57.806444 brk(NULL)         = 0x10cc000 <0.000038>
      4891  21:59:57.806536 brk(0x10ccd00)    = 0x10ccd00 <0.000043>
      4891  21:59:57.806707 arch_prctl(ARCH_SET_FS, 0x10cc380) = 0 <0.000069>
      4891  21:59:57.807535 getrandom("\\x14\\x3d\\xdf\\x99\\x99\\xab\\x11\\x44", 8, GRND_NONBLOCK) = 8 <0.000045>
      4891  21:59:57.807623 brk(NULL)         = 0x10ccd00 <0.000016>
      4891  21:59:57.807671 brk(0x10edd00)    = 0x10edd00 <0.000020>
      4891  21:59:57.807724 brk(0x10ee000)    = 0x10ee000 <0.000017>
      """;

  @Test
  void aStaticGlibcBinaryHasNoLdsoAndItsTlsBlockIsNotTakenWithSbrk() {
    Run.Out out = Run.explain(GLIBC_STATIC);
    assertThat(out.why(3)).contains("_dl_early_allocate").doesNotContain("with sbrk");
    assertThat(out.why(6))
        .contains("__curbrk")
        .contains("there is no ld.so here")
        .doesNotContain("ld.so learnt");
    assertThat(out.why(8)).contains("took its TLS block from the break");
  }
}
