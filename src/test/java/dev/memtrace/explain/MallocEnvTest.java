package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation;
import org.junit.jupiter.api.Test;

/**
 * strace -v prints execve's environment, and with it what tunes glibc malloc: MALLOC_TOP_PAD_ and
 * the other MALLOC_*_ variables, and GLIBC_TUNABLES (elf/dl-tunables.list). Where the trace shows
 * one, no sentence says the trace does not show it, and what it turns off (the dynamic mmap
 * threshold: each of their setters sets mp_.no_dyn_threshold) is not told as moving. Traces of a
 * program that mallocs and frees 300000, 200000 and 24000 bytes on this machine (glibc 2.36), their
 * environments trimmed to three entries.
 */
class MallocEnvTest {

  private static final String START =
      """
      8436  brk(NULL)                         = 0x561a6ee71000
      """;

  private static final String CHUNKS =
      """
      8436  mmap(NULL, 303104, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f2236fa1000
      8436  munmap(0x7f2236fa1000, 303104)    = 0
      8436  mmap(NULL, 200704, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f2236fba000
      8436  munmap(0x7f2236fba000, 200704)    = 0
      """;

  private static String execve(String env) {
    return "8436  execve(\"./big\", [\"./big\"], "
        + env
        + ") = 0\n"
        + START
        + "8436  brk(0x561a6ee92000)               = 0x561a6ee92000\n"
        + CHUNKS;
  }

  @Test
  void aTrimThresholdInTheEnvironmentKeepsTheMmapThresholdWhereItIs() {
    Run.Out out =
        Run.explain(
            execve("[\"MALLOC_TRIM_THRESHOLD_=1000000\", \"SHELL=/bin/bash\", \"LANG=C.UTF-8\"]"));
    assertThat(out.why(5))
        .startsWith("free() gives the 303104-byte malloc chunk made at line 4 back to the kernel")
        .contains(
            "glibc's dynamic mmap threshold is off in this process: the environment execve passed"
                + " at line 1 (strace -v shows it) sets MALLOC_TRIM_THRESHOLD_=1000000")
        .contains("mp_.no_dyn_threshold, so free() does not move the threshold")
        .doesNotContain("rises")
        .doesNotContain("does not show");
    // glibc mapped the 200000-byte request: the threshold stayed 131072, as the model keeps it
    assertThat(out.why(6)).startsWith("fits glibc malloc's mmap path");
  }

  @Test
  void aTopPadInTheEnvironmentThatCannotBeReadIsNamedForASmallBrk() {
    // _dl_strtoul stops at the 'k': what it makes of it is not guessed at
    Run.Out out =
        Run.explain(
            "8436  execve(\"./big\", [\"./big\"], [\"MALLOC_TOP_PAD_=4k\", \"LANG=C.UTF-8\"]) = 0\n"
                + START
                + "8436  brk(0x561a6ee72000)               = 0x561a6ee72000\n");
    assertThat(out.why(3))
        .startsWith("the break moves up by 4096 bytes, less than glibc malloc grows it")
        .contains(
            "but the environment execve passed at line 1 (strace -v shows it) sets"
                + " MALLOC_TOP_PAD_=4k: if that lowers top_pad, this fits malloc growing the break")
        .doesNotContain("does not show");
    assertThat(out.at(3).why().get(0).basis()).isEqualTo(Explanation.Basis.PATTERN);
  }

  @Test
  void aTunablesVariableStraceCutIsNamedAsWhatMayHaveTunedMalloc() {
    Run.Out out =
        Run.explain(
            execve("[\"GLIBC_TUNABLES=glibc.malloc.mmap\"..., \"SHELL=/bin/bash\", \"LANG=C\"]"));
    // what it sets is cut away: the threshold is the default, with what may have changed it
    assertThat(out.why(4))
        .contains(
            "nb ≥ the mmap threshold (131072 untuned, but the environment execve passed at line 1,"
                + " which strace -v shows, sets GLIBC_TUNABLES=glibc.malloc.mmap... (cut by strace"
                + " -s))");
    // and the rise stays, with the environment as what may have stopped it
    assertThat(out.why(5))
        .contains("glibc's dynamic mmap threshold rises to the freed chunk's size 303104")
        .contains(
            "unless mallopt (which the trace does not show) or what the environment execve passed"
                + " at line 1 sets (GLIBC_TUNABLES=glibc.malloc.mmap... (cut by strace -s);"
                + " strace -v shows it) turned the dynamic threshold off");
    assertThat(out.why(6))
        .startsWith("a direct anonymous mmap of 200704 bytes (PROT_READ|PROT_WRITE): smaller than")
        .contains(
            "sets GLIBC_TUNABLES=glibc.malloc.mmap... (cut by strace -s): if that lowers the"
                + " threshold, malloc maps chunks this small itself");
  }

  @Test
  void withoutVerboseTheHedgesNameTheTunablesTheTraceDoesNotShow() {
    Run.Out out = Run.explain(execve("0x7ffd6ad8e0a8 /* 3 vars */"));
    assertThat(out.why(5))
        .contains("glibc's dynamic mmap threshold rises to the freed chunk's size 303104")
        .contains(
            "unless the program tuned malloc with mallopt, MALLOC_*_ environment variables or"
                + " GLIBC_TUNABLES, which turn the dynamic threshold off (the trace does not show"
                + " them)");
    Run.Out small =
        Run.explain(
            "8436  execve(\"./big\", [\"./big\"], 0x7ffd6ad8e0a8 /* 3 vars */) = 0\n"
                + START
                + "8436  brk(0x561a6ee72000)               = 0x561a6ee72000\n");
    assertThat(small.why(3))
        .contains(
            "or lowered malloc's top_pad (mallopt(M_TOP_PAD), MALLOC_TOP_PAD_ or GLIBC_TUNABLES"
                + " glibc.malloc.top_pad, which the trace does not show)");
  }

  /**
   * A program that mallocs 8000 bytes twenty times, run with MALLOC_MMAP_THRESHOLD_=4096: the first
   * come from [heap]'s top chunk, and once it is used up sysmalloc maps each one (glibc 2.36).
   */
  private static String eightThousands(String env) {
    return "19401 execve(\"./thr2\", [\"./thr2\"], "
        + env
        + ") = 0\n"
        + """
        19401 brk(NULL)                         = 0x563b6eb11000
        19401 brk(0x563b6eb32000)               = 0x563b6eb32000
        19401 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1be66ac000
        19401 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1be66aa000
        """;
  }

  @Test
  void aThresholdTheEnvironmentSetsIsTheOneChunksAreMeasuredAgainst() {
    Run.Out out = Run.explain(eightThousands("[\"MALLOC_MMAP_THRESHOLD_=4096\", \"LANG=C\"]"));
    // before, an 8192-byte mapping was too small for the default threshold and told as maybe
    // malloc's, maybe the program's own
    assertThat(out.why(4))
        .startsWith(
            "fits glibc malloc's mmap path: when no free chunk and not the arena's top can hold a"
                + " chunk of nb ≥ the mmap threshold (4096, which the environment execve passed at"
                + " line 1 sets with MALLOC_MMAP_THRESHOLD_=4096, as strace -v shows), sysmalloc"
                + " gives it its own mapping of ALIGN_UP(nb + 8, 4096); 8192 bytes fits malloc(n)"
                + " for n from 4073 to 8168");
    assertThat(out.at(5).why().get(0).text()).startsWith("fits glibc malloc's mmap path");
  }

  @Test
  void theTunableWinsOverTheVariableAndIsReadAsStrtoulReadsIt() {
    // parse_tunables sets the tunable whatever came before; __tunables_init then skips the alias
    Run.Out both =
        Run.explain(
            eightThousands(
                "[\"GLIBC_TUNABLES=glibc.malloc.mmap_threshold=6000\","
                    + " \"MALLOC_MMAP_THRESHOLD_=4096\"]"));
    assertThat(both.why(4))
        .contains(
            "nb ≥ the mmap threshold (6000, which the environment execve passed at line 1 sets"
                + " with GLIBC_TUNABLES=glibc.malloc.mmap_threshold=6000, as strace -v shows)")
        // nb = (n + 23) & ~15 ≥ 6000 from n = 5977 on
        .contains("8192 bytes fits malloc(n) for n from 5977 to 8168");
    Run.Out hex =
        Run.explain(eightThousands("[\"GLIBC_TUNABLES=glibc.malloc.mmap_threshold=0x1000\"]"));
    assertThat(hex.why(4)).contains("nb ≥ the mmap threshold (4096, which the environment");
    // a value _dl_strtoul would read only in part is not guessed at
    Run.Out odd =
        Run.explain(eightThousands("[\"GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4k\"]"));
    assertThat(odd.why(4))
        .startsWith("a direct anonymous mmap of 8192 bytes")
        .contains("sets GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4k");
  }

  @Test
  void aFreeThatRaisesTheThresholdLeavesLargerRequestsToTheHeapWhenItsTopHoldsThem() {
    // malloc(200000), free, malloc(150000), free, malloc(250000): the last came from [heap], at
    // the 150000-byte chunk's address, though it is above the raised threshold 200704
    Run.Out out =
        Run.explain(
            """
            19300 execve("./top", ["./top"], 0x7ffd6ad8e0a8 /* 3 vars */) = 0
            19300 brk(NULL)                         = 0x564b8f343000
            19300 brk(0x564b8f364000)               = 0x564b8f364000
            19300 mmap(NULL, 200704, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fca4ad74000
            19300 munmap(0x7fca4ad74000, 200704)    = 0
            19300 brk(0x564b8f388000)               = 0x564b8f388000
            """);
    assertThat(out.why(4))
        .startsWith(
            "fits glibc malloc's mmap path: when no free chunk and not the arena's top can hold a"
                + " chunk of nb ≥ the mmap threshold (131072), sysmalloc gives it its own mapping");
    assertThat(out.why(5))
        .contains(
            "requests whose chunk is smaller than 200704 now come from the heap, larger ones get"
                + " their own mapping when no free chunk and not the heap's top can hold them")
        .doesNotContain("still get their own mapping");
  }

  /**
   * A program that mallocs 500000 bytes, frees them and then maps 503808 bytes itself, run with
   * MALLOC_MMAP_MAX_=0: glibc grew the break for the malloc, and the mmap is the program's.
   */
  private static String ownMapping(String env) {
    return "9120  execve(\"./mx\", [\"./mx\"], "
        + env
        + ") = 0\n"
        + """
        9120  brk(NULL)                         = 0x56420d272000
        9120  brk(0x56420d293000)               = 0x56420d293000
        9120  brk(0x56420d30d000)               = 0x56420d30d000
        9120  brk(0x56420d293000)               = 0x56420d293000
        9120  mmap(NULL, 503808, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f911987b000
        9120  munmap(0x7f911987b000, 503808)    = 0
        """;
  }

  @Test
  void noMmapMaxLeavesNoChunkForASizeToFit() {
    Run.Out out = Run.explain(ownMapping("[\"MALLOC_MMAP_MAX_=0\", \"LANG=C\"]"));
    // before: "fits glibc malloc's mmap path", and its munmap "free() gives the ... malloc chunk"
    assertThat(out.why(6))
        .startsWith(
            "a direct anonymous mmap of 503808 bytes (PROT_READ|PROT_WRITE), not a malloc chunk:"
                + " the environment execve passed at line 1 sets MALLOC_MMAP_MAX_=0 (strace -v"
                + " shows it), so glibc malloc maps no chunk of its own here")
        .contains("unless mallopt(M_MMAP_MAX), which the trace does not show");
    assertThat(out.why(7)).doesNotContain("free()").doesNotContain("malloc chunk");
    // and a growth of the break beyond what one malloc asks at the threshold is malloc's own
    assertThat(out.why(4))
        .startsWith("the main arena's top chunk ran out: malloc moves the break up by 499712")
        .doesNotContain("more than one glibc malloc growth");
    // the tunable says the same; another count leaves the size to fit malloc's path
    assertThat(Run.explain(ownMapping("[\"GLIBC_TUNABLES=glibc.malloc.mmap_max=0\"]")).why(6))
        .contains("sets GLIBC_TUNABLES=glibc.malloc.mmap_max=0 (strace -v shows it)");
    assertThat(Run.explain(ownMapping("[\"MALLOC_MMAP_MAX_=4\"]")).why(6))
        .startsWith("fits glibc malloc's mmap path");
  }

  @Test
  void noMmapMaxRulesGlibcOutOfAPythonArena() {
    // python3 -c 'x=[str(i) for i in range(200000)]' under MALLOC_MMAP_MAX_=0, trimmed
    Run.Out out =
        Run.explain(
            """
            8801  execve("/usr/bin/python3", ["/usr/bin/python3", "-c", "x=[str(i) for i in range"...], ["MALLOC_MMAP_MAX_=0"]) = 0
            8801  brk(NULL)                         = 0x55d1c4a0f000
            8801  brk(0x55d1c4a30000)               = 0x55d1c4a30000
            8801  mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3a1c200000
            """);
    assertThat(out.why(4))
        .contains("It is not a glibc malloc chunk: the environment execve passed at line 1 sets")
        .doesNotContain("does not rule out glibc malloc");
  }

  @Test
  void readsOnlyWhatSetsMallocsSizes() {
    assertThat(MallocEnv.of("0x7ffd6ad8e0a8 /* 3 vars */")).isNull();
    assertThat(MallocEnv.of("[\"MALLOC_ARENA_MAX=2\", \"GLIBC_TUNABLES=glibc.rtld.nns=8\"]"))
        .isNull();
    assertThat(
            MallocEnv.of(
                "[\"A=1\", \"GLIBC_TUNABLES=glibc.rtld.nns=8:glibc.malloc.hugetlb=1\","
                    + " \"MALLOC_MMAP_MAX_=0\"]"))
        .containsExactly(
            "GLIBC_TUNABLES=glibc.rtld.nns=8:glibc.malloc.hugetlb=1", "MALLOC_MMAP_MAX_=0");
  }

  @Test
  void topPadFromTheEnvironmentIsTheOneTheBreakArithmeticUses() {
    // MALLOC_TOP_PAD_=1048576 ./tp (200 mallocs of 3000 bytes): the first growth is
    // ALIGN_UP(656 + 1048576 + 32, 4096); it read "[heap] appears: more than one glibc malloc
    // growth asks for ... Either malloc was tuned"
    Run.Out big =
        Run.explain(
            "8436  execve(\"./tp\", [\"./tp\"], [\"MALLOC_TOP_PAD_=1048576\"]) = 0\n"
                + START
                + "8436  brk(NULL)                         = 0x561a6ee71000\n"
                + "8436  brk(0x561a6ef72000)               = 0x561a6ef72000\n");
    assertThat(big.why(4))
        .startsWith("[heap] appears: malloc's main arena moves the break up by 1052672")
        .contains(
            "top_pad 1048576 (MALLOC_TOP_PAD_=1048576 in the environment execve passed at line 1,"
                + " as strace -v shows): ALIGN_UP(656 + top_pad 1048576 + MINSIZE 32, 4096) ="
                + " ALIGN_UP(1049264, 4096) = 1052672");
    assertThat(big.at(4).why().get(0).basis()).isEqualTo(Explanation.Basis.ARITHMETIC);
    // MALLOC_TOP_PAD_=0: each growth is a page, malloc's, not the program's own brk
    Run.Out none =
        Run.explain(
            "8436  execve(\"./tp\", [\"./tp\"], [\"MALLOC_TOP_PAD_=0\"]) = 0\n"
                + START
                + "8436  brk(NULL)                         = 0x561a6ee71000\n"
                + "8436  brk(0x561a6ee72000)               = 0x561a6ee72000\n"
                + "8436  brk(0x561a6ee73000)               = 0x561a6ee73000\n");
    assertThat(none.why(4))
        .contains("ALIGN_UP(656 + top_pad 0 + MINSIZE 32, 4096) = ALIGN_UP(688," + " 4096) = 4096");
    assertThat(none.at(5).why().get(0).rule()).isEqualTo("malloc-brk-grow");
    assertThat(none.why(5))
        .contains("sysmalloc asks for the request plus top_pad 0 (MALLOC_TOP_PAD_=0 in the")
        .contains("at most 4064 bytes more than the old top");
  }

  @Test
  void underAKnownTopPadASmallerGrowthIsTheProgramsOwn() {
    // MALLOC_TOP_PAD_=1048576 ./sb: malloc(10) grows [heap] by 1052672, then sbrk(8192)
    Run.Out out =
        Run.explain(
            "8436  execve(\"./sb\", [\"./sb\"], [\"MALLOC_TOP_PAD_=1048576\"]) = 0\n"
                + START
                + "8436  brk(NULL)                         = 0x561a6ee71000\n"
                + "8436  brk(0x561a6ef72000)               = 0x561a6ef72000\n"
                + "8436  brk(0x561a6ef74000)               = 0x561a6ef74000\n");
    assertThat(out.why(5))
        .startsWith(
            "the break moves up by 8192 bytes, less than glibc malloc grows it with the top_pad"
                + " 1048576 (MALLOC_TOP_PAD_=1048576")
        .contains("at least 1052672 = ALIGN_UP(top_pad 1048576 + 16, 4096)")
        .contains("the program moved it itself with brk/sbrk")
        .doesNotContain("if that lowers top_pad");
  }
}
