package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

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
}
