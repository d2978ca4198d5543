package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Stack sizes read from the trace where glibc's defaults are not what made them. The lines are from
 * {@code strace -f -tt -T} of rustc 1.95 compiling a small file (its compiler thread asks for 8 MiB
 * itself: with {@code ulimit -s 16384} the same thread still maps 8392704 bytes) and of {@code
 * valgrind --tool=none ls} (3.19), whose tool is a static binary without glibc.
 */
class ForeignStartupTest {

  private static final String RUSTC =
      """
      32314 10:29:37.071000 execve("/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc", ["rustc", "-O", "x.rs"], 0x7ffd707d3c78 /* 35 vars */) = 0 <0.000214>
      32314 10:29:37.074157 brk(NULL)         = 0x56247f5da000 <0.000052>
      32314 10:29:37.119785 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0 <0.000023>
      32314 10:29:37.120736 sigaltstack(NULL, {ss_sp=NULL, ss_flags=SS_DISABLE, ss_size=0}) = 0 <0.000020>
      32314 10:29:37.120812 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7fa3a750f000 <0.000029>
      32314 10:29:37.120875 mprotect(0x7fa3a750f000, 4096, PROT_NONE) = 0 <0.000025>
      32314 10:29:37.120932 sigaltstack({ss_sp=0x7fa3a7510000, ss_flags=0, ss_size=8192}, NULL) = 0 <0.000020>
      32314 10:29:37.127597 mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7fa3935ff000 <0.000024>
      32314 10:29:37.127655 mprotect(0x7fa393600000, 8388608, PROT_READ|PROT_WRITE) = 0 <0.000023>
      """;

  @Test
  void aRustThreadStackOfTheDefaultSizeIsNotSaidToBeTheDefault() {
    Run.Out out = Run.explain(RUSTC);
    assertThat(out.why(8))
        .contains("a stack of 8388608 bytes + a 4096-byte guard = 8392704")
        .contains("fits the default stack size 8388608")
        .contains("guarded alternate signal stack at line 7")
        .contains("pthread_attr_setstacksize")
        .doesNotContain("pthread_create makes a thread stack: the default stack size");
    assertThat(out.at(8).why().get(0).basis().name()).isEqualTo("PATTERN");
  }

  @Test
  void withoutASignalStackTheSizeStillShowsTheDefault() {
    String c =
        RUSTC
            .lines()
            .filter(
                l ->
                    !l.contains("sigaltstack")
                        && !l.contains("12288")
                        && !l.contains(", 4096, PROT_NONE"))
            .reduce("", (a, b) -> a + b + "\n");
    Run.Out out = Run.explain(c);
    assertThat(out.why(4))
        .contains(
            "pthread_create makes a thread stack: the default stack size 8388608 (from "
                + "RLIMIT_STACK, seen at startup) + a 4096-byte guard = 8392704");
  }

  private static final String VALGRIND_TOOL =
      """
      1558  10:30:58.037351 execve("/usr/libexec/valgrind/none-amd64-linux", ["/usr/bin/valgrind.bin", "--tool=none", "ls", "/tmp/rust"], 0x55d83ae49590 /* 43 vars */) = 0 <0.008845>
      1558  10:30:58.049725 open("/proc/self/maps", O_RDONLY) = 3 <0.000089>
      1558  10:30:58.050054 close(3)          = 0 <0.000018>
      1558  10:30:58.050268 mmap(0x1002001000, 4194304, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, 0, 0) = 0x1002001000 <0.000044>
      1558  10:30:58.051480 prlimit64(0, RLIMIT_DATA, NULL, {rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY}) = 0 <0.000058>
      1558  10:30:58.051608 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0 <0.000012>
      """;

  @Test
  void valgrindsToolReadsRlimitStackForItselfNotAsGlibc() {
    Run.Out out = Run.explain(VALGRIND_TOOL);
    assertThat(out.why(6))
        .contains("none-amd64-linux reads RLIMIT_STACK (8388608) for itself")
        .contains("not as glibc's start-up does")
        .contains("no brk since its execve")
        .contains("valgrind_main")
        .doesNotContain("libc start-up reads RLIMIT_STACK")
        .doesNotContain("threads made later");
  }

  /**
   * rustc's jemalloc, linked into its executable: no library names it, but its malloc_conf_init
   * reads /etc/malloc.conf before glibc's malloc ever ran; then come its probes of MADV_DONTNEED
   * and MADV_FREE on a page of its own, its 2 MiB chunks and its sbrk(0).
   */
  private static final String RUSTC_JEMALLOC =
      """
      32314 10:29:37.071000 execve("/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/bin/rustc", ["rustc", "-O", "x.rs"], 0x7ffd707d3c78 /* 35 vars */) = 0 <0.000214>
      32314 10:29:37.074157 brk(NULL)         = 0x56247f5da000 <0.000052>
      32314 10:29:37.099713 arch_prctl(ARCH_SET_FS, 0x7fa3a7513bc0) = 0 <0.000020>
      32314 10:29:37.109341 readlink("/etc/malloc.conf", 0x7fffdbecffb0, 4096) = -1 ENOENT (No such file or directory) <0.000036>
      32314 10:29:37.109498 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa3a7511000 <0.000047>
      32314 10:29:37.109591 madvise(0x7fa3a7511000, 4096, MADV_DONTNEED) = 0 <0.000030>
      32314 10:29:37.109693 munmap(0x7fa3a7511000, 4096) = 0 <0.000031>
      32314 10:29:37.110377 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fa394c00000 <0.000021>
      32314 10:29:37.110467 brk(NULL)         = 0x56247f5da000 <0.000020>
      32314 10:29:37.110850 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa394a00000 <0.000021>
      32314 10:29:37.110937 munmap(0x7fa394a00000, 2097152) = 0 <0.000021>
      """;

  @Test
  void jemallocLinkedIntoTheProgramIsToldByItsMallocConfRead() {
    Run.Out out = Run.explain(RUSTC_JEMALLOC);
    assertThat(out.why(4))
        .contains("jemalloc starts: its malloc_conf_init looks for options")
        .contains("linked into the program");
    assertThat(out.why(6)).contains("fits jemalloc's start-up probe");
    assertThat(out.why(8))
        .contains("It fits jemalloc's own mappings")
        .contains("linked into the program, its start at line 4")
        .doesNotContain("before libc.so.6");
    assertThat(out.why(9))
        .contains("reads the break once with sbrk(0)")
        .doesNotContain("libc keeps its own copy");
    // without MAP_NORESERVE (vm.overcommit_memory 2) a 2 MiB chunk is not glibc malloc's
    assertThat(out.why(10))
        .contains("jemalloc, linked into the program (its start at line 4), supplies malloc")
        .doesNotContain("glibc malloc's mmap path");
    assertThat(out.why(11)).doesNotContain("free()").doesNotContain("threshold rises");
  }

  @Test
  void withoutTheMallocConfReadTheSameChunkIsGlibcs() {
    Run.Out out =
        Run.explain(
            RUSTC_JEMALLOC.replace("readlink(\"/etc/malloc.conf\"", "readlink(\"/etc/other\""));
    assertThat(out.why(10)).contains("glibc malloc's mmap path");
  }

  /**
   * librustc_driver (p_align 2 MiB, four PT_LOAD segments and a gap before the last): ld.so makes
   * everything from the end of the first segment to the start of the last PROT_NONE in one mprotect
   * (_dl_map_segments when has_holes), then maps the middle segments over it; the gap left is 904
   * KiB, not the 62 MiB the mprotect covers.
   */
  private static final String RUSTC_DRIVER =
      """
      openat(AT_FDCWD, "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/librustc_driver-6108105cd7e839cf.so", O_RDONLY|O_CLOEXEC) = 3
      mmap(NULL, 132000652, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa39f72f000
      mmap(0x7fa39f800000, 129903500, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0) = 0x7fa39f800000
      munmap(0x7fa39f72f000, 856064) = 0
      munmap(0x7fa3a73e3000, 1239948) = 0
      mprotect(0x7fa3a09a1000, 65400832, PROT_NONE) = 0
      mmap(0x7fa3a09a1000, 61988864, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x11a0000) = 0x7fa3a09a1000
      mmap(0x7fa3a44bf000, 2424832, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x4cbd000) = 0x7fa3a44bf000
      mmap(0x7fa3a470f000, 36864, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x4f0c000) = 0x7fa3a470f000
      mmap(0x7fa3a4718000, 21027, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7fa3a4718000
      mmap(0x7fa3a4800000, 46018560, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x5000000) = 0x7fa3a4800000
      close(3) = 0
      """;

  @Test
  void theMprotectOverAnObjectsHolesIsNotOneHoleBetweenTwoSegments() {
    Run.Out out = Run.explain(RUSTC_DRIVER);
    assertThat(out.at(6).why().get(0).rule()).isEqualTo("ldso-hole");
    assertThat(out.why(6))
        .contains("ld.so makes 65400832 bytes of the span of")
        .contains("from the end of its first segment to the start of its last")
        .contains("the segments between, if any, are then mapped over it")
        .doesNotContain("the hole between two segments");
    assertThat(out.at(7).why().get(0).rule()).isEqualTo("ldso-segment");
  }
}
