package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * glibc malloc's huge page tunable (GLIBC_TUNABLES glibc.malloc.hugetlb, glibc 2.35 and later):
 * with 2, malloc itself maps its main arena's heap and its large chunks with MAP_HUGETLB
 * (do_set_hugetlb, sysmalloc_mmap, sysmalloc_mmap_fallback). Traces of a program that mallocs and
 * frees 4 MiB on this machine (glibc 2.36, 20 huge pages reserved), strace -f -v -s 256 and without
 * -v, the environment trimmed to three entries.
 */
class HugeTunablesTest {

  private static final String CALLS =
      """
      24335 brk(NULL)         = 0x5589d1f2d000
      24335 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3bddcbc000
      24335 arch_prctl(ARCH_SET_FS, 0x7f3bddcbc740) = 0
      24335 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = 0x7f3bdda00000
      24335 mmap(NULL, 6291456, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = 0x7f3bdd400000
      24335 munmap(0x7f3bdd400000, 6291456) = 0
      """;

  private static Run.Out run(String env) {
    return Run.explain("24335 execve(\"./big\", [\"./big\"], " + env + ") = 0\n" + CALLS);
  }

  @Test
  void hugetlbTwoInTheEnvironmentMakesMapHugetlbFitMalloc() {
    Run.Out out =
        run("[\"GLIBC_TUNABLES=glibc.malloc.hugetlb=2\", \"SHELL=/bin/bash\", \"LANG=C.UTF-8\"]");
    for (int line : new int[] {5, 6}) {
      assertThat(out.why(line))
          .startsWith("a direct anonymous mmap of ")
          .contains("with MAP_HUGETLB")
          .contains(
              "the environment execve passed at line 1 sets GLIBC_TUNABLES=glibc.malloc.hugetlb=2"
                  + " (strace -v shows it), so this fits glibc malloc's own mapping")
          .doesNotContain("never passes")
          .doesNotContain("shared");
    }
    // MAP_PRIVATE: private memory, not the shmem a misread 21<<MAP_HUGE_SHIFT made of it
    assertThat(out.at(5).changes().get(0).after().perms()).isEqualTo("rw-p");
  }

  @Test
  void withoutTheEnvironmentTheTunableIsNamedAsWhatTheTraceDoesNotShow() {
    Run.Out out = run("0x7ffcc1d658f8 /* 36 vars */");
    assertThat(out.why(5))
        .contains(
            "glibc malloc passes MAP_HUGETLB itself only when GLIBC_TUNABLES sets"
                + " glibc.malloc.hugetlb to 2 or a huge page size")
        .contains("which the trace does not show (strace -v prints execve's environment)")
        .doesNotContain("never passes");
  }

  @Test
  void anEnvironmentWithoutTheTunableLeavesTheMappingToTheProgram() {
    Run.Out out = run("[\"GLIBC_TUNABLES=glibc.malloc.hugetlb=1\", \"LANG=C.UTF-8\"]");
    assertThat(out.why(5))
        .contains(
            "the environment execve passed at line 1 sets GLIBC_TUNABLES=glibc.malloc.hugetlb=1,"
                + " not that (strace -v shows it), so the program or a library asked the kernel"
                + " for it itself");
    assertThat(run("[\"LANG=C.UTF-8\"]").why(5))
        .contains("line 1 does not set it (strace -v shows it), so the program or a library");
  }

  @Test
  void aTunablesVariableStraceCutMayHaveSetIt() {
    Run.Out out = run("[\"GLIBC_TUNABLES=glibc.malloc.huge\"..., \"LANG=C.UTF-8\"]");
    assertThat(out.why(5))
        .contains("(cut by strace -s) (strace -v shows it), which may set it")
        .contains("fits glibc malloc's own mapping as well as one the program or a library");
  }

  /**
   * glibc.malloc.hugetlb=1 with transparent_hugepage in madvise mode: the same program, strace -f
   * -v -s 256. The first growth is one huge page (libc's __curbrk is still 0), the next ends the
   * break on a huge page boundary.
   */
  private static final String THP_CALLS =
      """
      24339 brk(NULL)         = 0x560adba24000
      24339 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f553adfa000
      24339 arch_prctl(ARCH_SET_FS, 0x7f553adfa740) = 0
      24339 brk(NULL)         = 0x560adba24000
      24339 brk(0x560adbc24000) = 0x560adbc24000
      24339 madvise(0x560adba24000, 2097152, MADV_HUGEPAGE) = 0
      24339 mmap(NULL, 4198400, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f553a9f9000
      24339 madvise(0x7f553a9f9000, 4198400, MADV_HUGEPAGE) = 0
      24339 munmap(0x7f553a9f9000, 4198400) = 0
      24339 brk(0x560adc000000) = 0x560adc000000
      """;

  @Test
  void hugetlbOneExplainsABreakRoundedToHugePages() {
    Run.Out out =
        Run.explain(
            "24339 execve(\"./big\", [\"./big\"], [\"GLIBC_TUNABLES=glibc.malloc.hugetlb=1\","
                + " \"LANG=C.UTF-8\"]) = 0\n"
                + THP_CALLS);
    assertThat(out.why(6))
        .startsWith("the break moves up by 2097152 = 0x200000 bytes; [heap] appears")
        .contains(
            "but the environment execve passed at line 1 sets"
                + " GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (strace -v shows it)")
        .contains("so this fits malloc's first growth of [heap]")
        .doesNotContain("which the trace does not show")
        .doesNotContain("tcmalloc");
    assertThat(out.at(6).why().get(0).basis()).isEqualTo(Explanation.Basis.PATTERN);
    assertThat(out.why(11))
        .contains("rounded up so the break ends on a huge page boundary, as it does here")
        .doesNotContain("rounded to pages");
    // hugetlb does not turn the dynamic threshold off, and the environment is shown
    assertThat(out.why(10))
        .contains("rises to the freed chunk's size 4198400")
        .contains("unless mallopt (which the trace does not show) turned the dynamic threshold off")
        .doesNotContain("MALLOC_*_ environment variables or GLIBC_TUNABLES, which turn");
    // madvise_thp advises each growth of the break and each chunk sysmalloc maps
    assertThat(out.why(7))
        .startsWith("MADV_HUGEPAGE on 2097152 bytes of the [heap] made at line 6")
        .contains("glibc malloc gives this advice itself (madvise_thp")
        .contains(
            "the environment execve passed at line 1 sets GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
                + " (strace -v shows it), so this fits malloc's own");
    assertThat(out.why(9)).contains("so this fits malloc's own");
  }

  @Test
  void hugePageAdviceTheEnvironmentDoesNotAskOfMallocIsTheProgramsOwn() {
    Run.Out out =
        Run.explain(
            "24339 execve(\"./big\", [\"./big\"], [\"LANG=C.UTF-8\"]) = 0\n"
                + THP_CALLS
                + "24339 madvise(0x560adbc00000, 4096, MADV_HUGEPAGE) = 0\n");
    assertThat(out.why(7))
        .contains(
            "the environment execve passed at line 1 does not set it (strace -v shows it), so the"
                + " program or a library asked for it");
    // madvise_thp never advises less than a huge page
    assertThat(out.why(12))
        .contains(
            "this is less than a huge page (2097152 bytes here), so the program or a library asked"
                + " for it");
  }

  @Test
  void withoutTheEnvironmentAHugeAlignedBreakNamesTheTunableAsUnshown() {
    Run.Out out =
        Run.explain(
            "24339 execve(\"./big\", [\"./big\"], 0x7ffcc1d658f8 /* 36 vars */) = 0\n" + THP_CALLS);
    assertThat(out.why(6))
        .contains(
            "or GLIBC_TUNABLES glibc.malloc.hugetlb=1, which rounds the break up to huge pages,"
                + " and this growth fits that; the trace does not show them)");
    assertThat(out.why(11))
        .contains(
            "rounded to pages, or, if GLIBC_TUNABLES sets glibc.malloc.hugetlb=1 (which the trace"
                + " does not show), up so the break ends on a huge page boundary, as it does here");
    assertThat(out.why(7))
        .contains("the trace does not show the environment (strace -v prints it)")
        .doesNotContain("fits malloc's own");
  }

  /**
   * A thread's first malloc under glibc.malloc.hugetlb=2 (a program with 4 pthreads, trimmed to
   * one): new_heap reserves 2 x HEAP_MAX, 4 huge pages each, PROT_NONE with MAP_HUGETLB and no
   * MAP_NORESERVE, so the kernel reserves its huge pages at mmap.
   */
  @Test
  void aHugetlbArenaReservationIsNotToldAsCommittingNothing() {
    Run.Out out =
        Run.explain(
            "6642  execve(\"./thr\", [\"./thr\"], [\"GLIBC_TUNABLES=glibc.malloc.hugetlb=2\"])"
                + " = 0\n"
                + """
                6642  brk(NULL)         = 0x55fdb0f9c000
                6642  mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f19e501d000
                6642  arch_prctl(ARCH_SET_FS, 0x7f19e501d740) = 0
                6642  mmap(NULL, 16777216, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = 0x7f19e2c00000
                """);
    assertThat(out.why(5))
        .startsWith("reserves 16777216 bytes of address space PROT_NONE with MAP_HUGETLB")
        .contains("the kernel sets the range's huge pages aside from the pool now")
        .contains("sets GLIBC_TUNABLES=glibc.malloc.hugetlb=2 (strace -v shows it)")
        .doesNotContain("nothing is committed");
  }

  /**
   * memcached -L (Debian 12, strace -f -v -s 64, the environment cut to three entries, the calls to
   * the ones that matter) under glibc.malloc.hugetlb=1: alloc_large_chunk gets its 64 MiB with
   * posix_memalign(2 MiB, 64 MiB), which maps 69210112 bytes and advises them whole
   * (sysmalloc_mmap's madvise_thp(mm, size)); memcached then advises the aligned 64 MiB itself,
   * from 1982464 bytes in. madvise_thp never starts inside a mapping, so the tunable does not make
   * that second call malloc's.
   */
  @Test
  void adviceOnPartOfAChunkIsNotMallocsWhateverTheTunable() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/memcached_L_thp_v.log").toURI()));
    assertThat(out.why(7))
        .contains("sets GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (strace -v shows it)")
        .contains("so this fits malloc's own");
    assertThat(out.why(8))
        .startsWith("MADV_HUGEPAGE on 67108864 bytes of the 69210112-byte mapping made at line 6:")
        .contains("only on a whole mapping it makes, from its start (sysmalloc_mmap, mremap_chunk)")
        .contains("this range starts 1982464 bytes into it, so the program or a library asked")
        .doesNotContain("fits malloc's own");
    // the same advice from the mapping's start over less than all of it is not malloc's either
    String fromStart =
        Files.readString(
                Path.of(getClass().getResource("/logs-extra/memcached_L_thp_v.log").toURI()))
            .replace(
                "madvise(0x7f75c9c00000, 67108864, MADV_HUGEPAGE)",
                "madvise(0x7f75c9a1c000, 67108864, MADV_HUGEPAGE)");
    assertThat(Run.explain(fromStart).why(8))
        .contains("this range covers only 67108864 bytes of it")
        .doesNotContain("fits malloc's own");
  }
}
