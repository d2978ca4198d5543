package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runtimes that manage their own memory over the kernel's, not over glibc malloc: GHC's RTS (pandoc
 * 3.1 and shellcheck 0.9 on Debian 12) and Mono 6.8's SGen. The lines are from {@code strace -f -tt
 * -T} of {@code pandoc +RTS -N2 -RTS} on a 2 MB markdown file and of {@code mono} running a C#
 * program that fills a List of 2,000,000 strings and starts three threads.
 */
class ManagedRuntimesTest {

  /** GHC's RTS reserving its heap and committing its first megablock (rts/posix/OSMem.c). */
  private static final String GHC_HEAP =
      """
      12750 13:03:26.055282 execve("/usr/bin/pandoc", ["pandoc", "+RTS", "-N2", "-RTS", "md2.md", "-o", "pd.html"], 0x7ffc61b5e688 /* 39 vars */) = 0 <0.001158>
      12750 13:03:26.057123 brk(NULL)         = 0x2cb27000 <0.000031>
      12750 13:03:26.082696 mmap(0x4200000000, 1099512676352, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x4200000000 <0.000036>
      12750 13:03:26.082786 madvise(0x4200000000, 1099512676352, MADV_DONTNEED) = 0 <0.000047>
      12750 13:03:26.082887 madvise(0x4200000000, 1099512676352, MADV_DONTDUMP) = 0 <0.000022>
      12750 13:03:26.082946 mmap(0x4200000000, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x4200000000 <0.000031>
      12750 13:03:26.083018 madvise(0x4200000000, 1048576, MADV_WILLNEED) = 0 <0.000030>
      12750 13:03:26.083149 madvise(0x4200000000, 1048576, MADV_DODUMP) = 0 <0.000013>
      """;

  @Test
  void willneedOnFreshAnonymousMemoryIsNotSaidToReadItAhead() {
    // madvise_willneed (mm/madvise.c) on anonymous memory only swaps pages back in: GHC's
    // osCommitMemory calls it on a megablock it has just mapped, where nothing is read
    Run.Out out = Run.explain(GHC_HEAP);
    assertThat(out.why(7))
        .startsWith("MADV_WILLNEED on 1048576 bytes")
        .doesNotContain("read the range ahead")
        .contains("swapped out")
        .contains("pages never touched stay unallocated until first touched");
  }

  @Test
  void ghcsHeapReservationAndItsMegablocksAreNamedAsFitsNotAsFact() {
    Run.Out out = Run.explain(GHC_HEAP);
    assertThat(out.at(3).why()).anyMatch(e -> e.rule().equals("ghc-heap-reserve"));
    assertThat(out.why(3))
        .startsWith("fits GHC's runtime")
        .contains("osReserveHeapMemory")
        .contains("0x4200000000")
        .contains("1099512676352 = 1 TiB + 1 MiB")
        .contains("does not prove");
    assertThat(out.why(6))
        .contains("at offset 0x0 of the 1099512676352-byte GHC heap reservation made at line 3")
        .contains("fits GHC's osCommitMemory, which maps one 1 MiB megablock");
    // the same hint and flags with a size that is not whole megablocks is not told as GHC's
    Run.Out other =
        Run.explain(
            GHC_HEAP.replace(
                "mmap(0x4200000000, 1099512676352, PROT_NONE",
                "mmap(0x4200000000, 1099512680448, PROT_NONE"));
    assertThat(other.why(3)).doesNotContain("GHC");
  }

  @Test
  void aStackThroughOsReserveHeapMemoryMakesTheReservationGhcs() throws Exception {
    // with -k the stack shows the RTS's own osReserveHeapMemory (the binary keeps its symbols),
    // and the sentence still read "fits ... The hint is GHC's; the call alone does not prove whose
    // it is". From strace -f -tt -T -y -k of a GHC 9.0.2 program (Debian 12) building a Data.Map
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/ghc_heap_reserve_k.log").toURI()));
    Run.Out out = Run.explain(log);
    assertThat(out.at(3).why().get(0).rule()).isEqualTo("ghc-heap-reserve");
    assertThat(out.at(3).why().get(0).basis().name()).isEqualTo("STACK");
    assertThat(out.why(3))
        .startsWith("GHC's runtime reserves the address space of its heap: osReserveHeapMemory")
        .contains("seen in the stack: h1:osReserveHeapMemory+0xc2 called from h1:initMBlocks")
        .doesNotContain("does not prove")
        .doesNotContain("fits");
  }

  @Test
  void aReservationSizedByRlimitAsSaysSoNotThatMmapRefusedMore() throws Exception {
    // under ulimit -v 8000000 GHC 9.0's osReserveHeapMemory reads RLIMIT_AS (line 3) and asks
    // for (W_)(rlim_cur * 0.666) rounded down to megablocks, plus one: no mmap failed, yet the
    // sentence said the heap is "1 TiB by default, less where mmap refuses that". From strace -f
    // -tt -T -y of a GHC 9.0.2 program run under ulimit -v 8000000 (Debian 12)
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/ghc_heap_reserve_rlimit_as.log").toURI()));
    Run.Out out = Run.explain(log);
    assertThat(out.why(4))
        .contains("two thirds of RLIMIT_AS where that is lower")
        .doesNotContain("less where mmap refuses that")
        .contains(
            "Here 5456789504 = 5.08 GiB + 1 MiB: 5.08 GiB is two thirds (× 0.666) of RLIMIT_AS"
                + " (8192000000 bytes, read at line 3) rounded down to whole megablocks");
    // without the limit in the trace, the size is only told
    Run.Out unread =
        Run.explain(String.join("\n", log.lines().filter(l -> !l.contains("RLIMIT_AS")).toList()));
    assertThat(unread.why(3))
        .contains("Here 5456789504 = 5.08 GiB + 1 MiB; nothing is committed")
        .doesNotContain("RLIMIT_AS (");
  }

  @Test
  void dontneedRightAfterAProtNoneReservationHasNoPagesToDrop() throws Exception {
    // GHC's my_mmap (rts/posix/OSMem.c) advises its 1 TiB heap reservation MADV_DONTNEED at once:
    // nothing in a PROT_NONE mapping can have been touched, so there is nothing to drop. It was
    // told "drop the pages now (private anonymous memory reads back as zeros)". From strace -f
    // -tt -T -y pandoc doc.md -o doc.html (pandoc 2.17, Debian 12)
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/pandoc_ghc_heap_reserve.log").toURI()));
    Run.Out out = Run.explain(log);
    assertThat(out.why(6))
        .contains("nothing to drop")
        .contains("PROT_NONE since the mmap at line 5 made it, with no memory call on any of it")
        .doesNotContain("drop the pages now");
    // once a call may have made part of it accessible, the pages are the usual ones
    Run.Out touched =
        Run.explain(
            log.replace(
                "4569  22:00:20.181315 madvise",
                "4569  22:00:20.181310 mprotect(0x4200000000, 4096, PROT_READ|PROT_WRITE) = 0"
                    + " <0.000004>\n4569  22:00:20.181315 madvise"));
    assertThat(touched.why(7)).contains("drop the pages now").doesNotContain("nothing to drop");
  }

  @Test
  void anotherThreadsCallsBetweenTheReservationAndItsDontneedLeaveNothingToDrop() throws Exception {
    // GHC's threaded RTS (a program built with ghc -threaded, run +RTS -N2): while the main
    // thread reserves its heap and my_mmap advises it MADV_DONTNEED, a worker's first malloc
    // reserves a 128 MiB arena (lines 11 and 13). That call touched none of the heap reservation,
    // yet the DONTNEED was told "drop the pages now (private anonymous memory reads back as
    // zeros)", since any memory call between counted. From strace -f -tt -T -y ./h1t +RTS -N2
    // -RTS (GHC 9.0.2, Debian 12: a Data.Map of 300000 entries)
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/ghc_threaded_heap_reserve.log").toURI()));
    Run.Out out = Run.explain(log);
    assertThat(out.why(14))
        .contains("GHC heap reservation made at line 10")
        .contains("nothing to drop")
        .contains("PROT_NONE since the mmap at line 10 made it, with no memory call on any of it")
        .doesNotContain("drop the pages now");
    // a call on the reservation itself between does count: a page of it may have been touched
    Run.Out reached =
        Run.explain(
            log.replace(
                "10615 02:48:53.328995 madvise",
                "10617 02:48:53.328990 mprotect(0x4200100000, 4096, PROT_READ|PROT_WRITE) = 0"
                    + " <0.000004>\n10615 02:48:53.328995 madvise"));
    assertThat(reached.why(15)).contains("drop the pages now").doesNotContain("nothing to drop");
  }

  @Test
  void ghcMappingAMegablockAgainOverCommittedMemoryIsTold() {
    // osDecommitMemory gave the megablock back with MADV_FREE; osCommitMemory maps it again
    Run.Out out =
        Run.explain(
            GHC_HEAP
                + """
                12750 13:03:27.878111 madvise(0x4200000000, 1048576, MADV_FREE) = 0 <0.000230>
                12750 13:03:30.049788 mmap(0x4200000000, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x4200000000 <0.000141>
                12750 13:03:30.050005 madvise(0x4200000000, 1048576, MADV_WILLNEED) = 0 <0.000027>
                """);
    assertThat(out.why(10))
        .contains("afresh at offset 0x0 of the committed part of the 1099512676352-byte GHC heap")
        .contains("new zero-filled ones")
        .contains("osDecommitMemory");
    assertThat(out.why(11)).contains("reservation made at line 3");
  }

  /** The mono executable's first brk, then SGen's large-object mappings and a malloc chunk. */
  private static final String MONO =
      """
      13875 13:04:34.738862 execve("/usr/bin/mono", ["mono", "big.exe"], 0x7fff72839e10 /* 39 vars */) = 0 <0.001249>
      13875 13:04:34.741087 brk(NULL)         = 0x55ce6350e000 <0.000101>
      13875 13:04:34.744931 arch_prctl(ARCH_SET_FS, 0x7fe523ea3bc0) = 0 <0.000026>
      13875 13:04:34.747150 brk(NULL)         = 0x55ce6350e000 <0.000023>
      13875 13:04:34.747213 brk(0x55ce6352f000) = 0x55ce6352f000 <0.000026>
      13875 13:04:34.796441 mmap(NULL, 196608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe523ab1000 <0.000057>
      13875 13:04:34.796756 munmap(0x7fe523ab1000, 196608) = 0 <0.000050>
      13875 13:04:34.835720 mmap(NULL, 1052672, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe52384b000 <0.000033>
      13875 13:04:35.002770 munmap(0x7fe52384b000, 1052672) = 0 <0.000162>
      13875 13:04:35.002990 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe523ab1000 <0.000023>
      """;

  @Test
  void inMonoAMappingOfMallocsShapeMayBeSgensAndItsMunmapMovesNoThreshold() {
    // -k showed line 8 to be SGen's: mono_valloc from sgen_los_alloc_large_inner (a 1 MiB array of
    // the List), unmapped by mono_vfree when the array died, not malloc and free()
    Run.Out out = Run.explain(MONO);
    assertThat(out.at(8).why()).noneMatch(e -> e.rule().startsWith("malloc-mmap"));
    assertThat(out.why(8))
        .contains("fits glibc malloc's mmap path")
        .contains("SGen")
        .contains("mono_valloc")
        .contains("the trace does not tell");
    assertThat(out.at(9).why()).noneMatch(e -> e.rule().equals("malloc-free-mmapped"));
    assertThat(out.why(9)).doesNotContain("threshold rises").doesNotContain("free()");
    // no free() was seen, so the threshold is still the default one
    assertThat(out.why(10)).contains("current threshold 131072");
  }

  /**
   * mono Alloc.exe (a C# program allocating arrays; Mono 6.8, Debian 12) under strace -f -tt -T -y,
   * trimmed: SGen maps its nursery (4 MiB aligned to 4 MiB) and a group of major-heap blocks (32
   * blocks of 16 KiB aligned to 16 KiB) with sgen_alloc_os_memory_aligned, whose
   * mono_valloc_aligned maps size + alignment and unmaps the unaligned head and tail; a -k trace of
   * the same program shows mono_valloc_aligned under both mmaps. The mappings kept "which of the
   * two asked for it the trace does not tell" after a munmap of part of them, which free() never
   * does, and the munmaps read "of the 8388608-byte anonymous mapping (a malloc chunk or SGen
   * memory)".
   */
  @Test
  void aMunmapOfPartOfAMappingOfMallocsShapeInMonoShowsItIsNoChunk() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/mono_sgen_aligned_blocks.log").toURI()));
    assertThat(out.why(6))
        .contains("the munmap at line 7 unmaps only part of it, which free() never does")
        .contains("fits SGen's sgen_alloc_os_memory_aligned")
        .contains("mono_valloc_aligned")
        .doesNotContain("the trace does not tell");
    assertThat(out.why(7))
        .contains("unmaps 4194304 bytes of the 8388608-byte mapping made at line 6")
        .contains("not a malloc chunk")
        .doesNotContain("a malloc chunk or SGen memory");
    assertThat(out.why(8)).contains("the munmap at line 9 unmaps only part of it");
    assertThat(out.why(10))
        .contains("of the 540672-byte anonymous mapping made at line 8")
        .doesNotContain("a malloc chunk or SGen memory");
  }

  @Test
  void aGuardMappedWhereMprotectFailedIsNotAReservationForLater() {
    // mono_setup_altstack: mprotect of the main thread's stack-overflow guard fails (the stack has
    // not grown there), so it maps the range PROT_NONE with MAP_FIXED instead
    Run.Out out =
        Run.explain(
            MONO
                + """
                13875 13:04:34.782591 mprotect(0x7ffc05ee9000, 32768, PROT_NONE) = -1 ENOMEM (Cannot allocate memory) <0.000023>
                13875 13:04:34.782653 mmap(0x7ffc05ee9000, 32768, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7ffc05ee9000 <0.000027>
                """);
    assertThat(out.why(12))
        .contains("exactly where the mprotect(PROT_NONE) at line 11 failed with ENOMEM")
        .contains("guard zone")
        .contains("mono_setup_altstack")
        .doesNotContain("made usable later");
  }

  /**
   * SBCL 2.2.9 (Debian 12) starting: the executable, the first brk, ensure_undefined_alien's guard
   * page and the dynamic space that os_alloc_gc_space maps PROT_READ|PROT_WRITE|PROT_EXEC at once;
   * from {@code strace -f -tt -T sbcl --non-interactive --eval '(progn (defvar *x* (make-array
   * 10000000)) (print (length *x*)))'}.
   */
  private static final String SBCL_START =
      """
      13128 16:44:26.480989 execve("/usr/bin/sbcl", ["sbcl", "--non-interactive", "--eval", "(progn (defvar *x* (make-array 1"...], 0x7fff91b5c970 /* 35 vars */) = 0 <0.000208>
      13128 16:44:26.481302 brk(NULL)         = 0x56462451a000 <0.000008>
      13128 16:44:26.483084 mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f79d0867000 <0.000005>
      13128 16:44:26.483645 mmap(0x1000000000, 1073741824, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x1000000000 <0.000006>
      """;

  @Test
  void sbclsGuardPageIsNotSaidToBeMadeUsableLater() {
    // ensure_undefined_alien (validate.c) maps one page PROT_NONE via os_alloc_gc_space and never
    // opens it: a fault there becomes UNDEFINED-ALIEN-VARIABLE-ERROR (interrupt.c)
    Run.Out out = Run.explain(SBCL_START);
    assertThat(out.at(3).why()).anyMatch(e -> e.rule().equals("reservation"));
    assertThat(out.why(3))
        .contains("fits SBCL's guard page for undefined foreign variables")
        .contains("ensure_undefined_alien")
        .contains("it is not made usable later")
        .doesNotContain("whose parts are made usable later");
    // SBCL's dynamic space is mapped usable at once: not a malloc chunk, not a PROT_NONE
    // reservation
    assertThat(out.why(4)).doesNotContain("malloc's mmap path").doesNotContain("reserves");
    // the same page in another program keeps the general sentence
    Run.Out other = Run.explain(SBCL_START.replace("/usr/bin/sbcl", "/usr/bin/other"));
    assertThat(other.why(3)).contains("whose parts are made usable later").doesNotContain("SBCL");
    // a larger PROT_NONE reservation in sbcl is not SBCL's guard page
    Run.Out larger =
        Run.explain(SBCL_START.replace("mmap(NULL, 4096, PROT_NONE", "mmap(NULL, 8192, PROT_NONE"));
    assertThat(larger.why(3)).doesNotContain("SBCL");
  }

  /**
   * Guile 3.0.8 (Debian 12) loading ice-9/eval.go: libguile's loader maps the .go file read-only
   * and makes its writable data PROT_READ|PROT_WRITE with a length that is not whole pages; from
   * {@code strace -f -tt -T guile -c '(define v (make-vector 10000000 0)) (gc) (display
   * (vector-length v))'}.
   */
  private static final String GUILE_GO =
      """
      23839 16:47:44.641749 execve("/usr/bin/guile", ["guile", "-c", "(define v (make-vector 10000000 "...], 0x7ffcf4d79968 /* 36 vars */) = 0 <0.000212>
      23839 16:47:44.652113 openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/guile/3.0/ccache/ice-9/eval.go", O_RDONLY|O_CLOEXEC) = 5 <0.000006>
      23839 16:47:44.652136 mmap(NULL, 99461, PROT_READ, MAP_PRIVATE, 5, 0) = 0x7fdb67c6e000 <0.000021>
      23839 16:47:44.652168 close(5)          = 0 <0.000003>
      23839 16:47:44.652184 mprotect(0x7fdb67c7e000, 7584, PROT_READ|PROT_WRITE) = 0 <0.000013>
      23839 16:47:44.652200 mprotect(0x7fdb67c6e000, 4096, PROT_READ|PROT_WRITE) = 0 <0.000013>
      """;

  @Test
  void anMprotectOfPartOfAPageIsToldAsTheWholePagesItChanges() {
    // do_mprotect_pkey (mm/mprotect.c): len = PAGE_ALIGN(len), so 7584 bytes change 8192
    Run.Out out = Run.explain(GUILE_GO);
    assertThat(out.why(5))
        .startsWith(
            "changes 7584 bytes (8192: the kernel widens the range to whole pages) at offset"
                + " 0x10000 of the mapping of eval.go made at line 3");
    // a length of whole pages is told as it is
    assertThat(out.why(6))
        .startsWith("changes 4096 bytes at offset 0x0 of")
        .doesNotContain("widens");
  }

  /**
   * Emacs 28.2's pdumper reserves the dump's size, the file's 13629128 bytes, PROT_NONE before it
   * maps the dump's sections over it ({@code strace -f -tt -T -y emacs -batch -Q --eval ...},
   * trimmed): the reservation read "reserves 13629128 bytes of address space", where the kernel
   * maps 13631488 (do_mmap: whole pages).
   */
  @Test
  void aReservationOfPartOfAPageSaysTheWholePagesTheKernelMaps() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/emacs_pdmp_reserve.log").toURI()));
    assertThat(out.why(6))
        .startsWith(
            "reserves 13629128 bytes (13631488: the kernel maps whole pages) of address space"
                + " PROT_NONE");
  }
}
