package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import org.junit.jupiter.api.Test;

/**
 * A Go program manages its own memory: glibc's rules must not be told of its calls. The lines are
 * from {@code strace -f -tt -T} (and {@code -k}) of a Go 1.19 program that allocates a 100 MB slice
 * and starts goroutines, built without cgo (a static binary, no glibc) and with it.
 */
class GoRuntimeTest {

  /** The start of the cgo-free binary: no brk at all, Go's heap set up with its own mmaps. */
  private static final String STATIC_GO =
      """
      21977 05:04:54.733351 execve("./gobig.bin", ["./gobig.bin"], 0x7ffc606d0188 /* 35 vars */) = 0 <0.000159>
      21977 05:04:54.733640 arch_prctl(ARCH_SET_FS, 0x52ac10) = 0 <0.000008>
      21977 05:04:54.733901 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f11686d9000 <0.000011>
      21977 05:04:54.733933 mmap(NULL, 131072, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f11686b9000 <0.000009>
      21977 05:04:54.734095 mmap(0xc000000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xc000000000 <0.000011>
      21977 05:04:54.734122 mmap(NULL, 33554432, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1141400000 <0.000009>
      """;

  /**
   * Go's heap arenas, reserved end to end at its hints (0xc000000000, then 0xc004000000), and the
   * 100 MB slice's sysMap and madvise calls that span both.
   */
  private static final String TWO_ARENAS =
      """
      21977 05:04:54.733351 execve("./gobig.bin", ["./gobig.bin"], 0x7ffc606d0188 /* 35 vars */) = 0 <0.000159>
      21977 05:04:54.733640 arch_prctl(ARCH_SET_FS, 0x52ac10) = 0 <0.000008>
      21977 05:04:54.734095 mmap(0xc000000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xc000000000 <0.000011>
      21977 05:04:54.734181 mmap(0xc000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0xc000000000 <0.000012>
      21977 05:04:54.739770 mmap(0xc004000000, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>
      21977 05:04:54.739808 <... mmap resumed>) = 0xc004000000 <0.000032>
      21977 05:04:54.739980 mmap(0xc000400000, 104857600, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0 <unfinished ...>
      21977 05:04:54.740024 <... mmap resumed>) = 0xc000400000 <0.000038>
      21977 05:04:54.740059 madvise(0xc000200000, 102760448, MADV_HUGEPAGE <unfinished ...>
      21977 05:04:54.740097 <... madvise resumed>) = 0 <0.000033>
      21977 05:04:55.154845 madvise(0xc004000000, 4194304, MADV_DONTNEED) = 0 <0.000019>
      """;

  @Test
  void aProgramThatNeverCalledBrkGetsNoGlibcMallocSentences() {
    Run.Out out = Run.explain(STATIC_GO);
    // 256 KiB and 32 MiB RW mappings have malloc's shape, but no brk came since execve: glibc's
    // startup makes one before anything else, so there is no glibc malloc here
    assertThat(out.why(3)).doesNotContain("malloc");
    assertThat(out.why(6)).doesNotContain("malloc");
    assertThat(out.at(3).why()).noneMatch(e -> e.rule().startsWith("malloc"));
  }

  @Test
  void withoutGlibcASmallMappingIsNotMeasuredAgainstMallocsThreshold() {
    // Go's runtime maps 64 KiB pieces itself (-k: runtime.newArenaMayUnlock for mark bits,
    // runtime.recordspan for its span list) in a binary with no glibc
    Run.Out out =
        Run.explain(
            STATIC_GO
                + """
                21977 05:04:54.734500 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f11686a9000 <0.000009>
                """);
    assertThat(out.why(7))
        .doesNotContain("threshold")
        .doesNotContain("mallopt")
        .contains("no brk since its execve")
        .contains("no glibc malloc runs in it");
  }

  @Test
  void withoutGlibcTheFsBaseIsNotSaidToBeAStructPthread() {
    Run.Out out = Run.explain(STATIC_GO);
    assertThat(out.why(2))
        .contains("0x52ac10")
        .contains("not glibc's TLS_INIT_TP")
        .doesNotContain("FS points at its struct pthread");
  }

  @Test
  void withStacksGosSettlsIsNamed() {
    Run.Out out =
        Run.explain(
            """
            21984 05:04:55.169375 execve("./gobig.bin", ["./gobig.bin"], 0x7ffeba1afe30 /* 35 vars */) = 0 <0.000161>
             > /tmp/go/gobig.bin(_rt0_amd64_linux+0x0) [0x5e940]
            21984 05:04:55.169970 arch_prctl(ARCH_SET_FS, 0x52ac10) = 0 <0.000008>
             > /tmp/go/gobig.bin(runtime.settls.abi0+0x25) [0x5f225]
             > /tmp/go/gobig.bin(runtime.rt0_go.abi0+0xb7) [0x5aff7]
            """);
    Explanation tls = out.at(3).why().get(0);
    assertThat(tls.basis()).isEqualTo(Basis.STACK);
    assertThat(tls.text())
        .contains("runtime.settls")
        .contains("m.tls")
        .doesNotContain("FS points at its struct pthread");
  }

  @Test
  void withStacksGosOwnMmapThroughCgoIsNotAMallocChunk() {
    // a cgo binary has glibc (ld.so asked for the break and set up the TLS), but -k shows Go's
    // runtime calling mmap through x_cgo_mmap, with no allocator frame
    Run.Out out =
        Run.explain(
            """
            22056 05:04:57.301254 execve("./gocgo.bin", ["./gocgo.bin"], 0x7ffc71ac5f90 /* 35 vars */) = 0 <0.000270>
            22056 05:04:57.302080 brk(NULL)         = 0x34d44000 <0.000030>
            22056 05:04:57.337219 arch_prctl(ARCH_SET_FS, 0x7f2e0a63e740) = 0 <0.000008>
            22056 05:04:57.354194 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f2e0a5fe000 <0.000010>
             > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
             > /tmp/go/gocgo.bin(x_cgo_mmap+0xc) [0x8482c]
             > /tmp/go/gocgo.bin(runtime.callCgoMmap.abi0+0x3e) [0x615be]
             > /tmp/go/gocgo.bin(runtime.mmap.func1+0x4f) [0x4a0f]
             > /tmp/go/gocgo.bin(runtime.mmap+0x76) [0x4936]
             > /tmp/go/gocgo.bin(runtime.sysAllocOS+0x2a) [0x16eca]
             > /tmp/go/gocgo.bin(runtime.sysAlloc+0x45) [0x16c05]
            """);
    assertThat(out.at(4).why()).noneMatch(e -> e.rule().startsWith("malloc"));
    assertThat(out.why(4)).doesNotContain("glibc malloc");
  }

  @Test
  void aCommitRunningFromOneHeapArenaReservationIntoTheNextIsToldPieceByPiece() {
    Run.Out out = Run.explain(TWO_ARENAS);
    assertThat(out.why(7))
        .contains("across 2 reservations")
        .contains(
            "62914560 bytes at offset 0x400000 of the 67108864-byte Go heap arena reservation made at line 3")
        .contains("41943040 bytes at offset 0x0 of the 134217728-byte reservation made at line 5");
    // 0xc004000000 lies in the reservation made at line 5, committed by line 7
    assertThat(out.why(11)).doesNotContain("made at line 3").contains("made at line 7");
  }

  @Test
  void anMadviseOverTwoRangesNamesBoth() {
    Run.Out out = Run.explain(TWO_ARENAS);
    assertThat(out.why(9))
        .contains(
            "102760448 bytes over the committed part of the 67108864-byte Go heap arena reservation made at line 3, then")
        .contains("made at line 7")
        .doesNotContain("bytes of the committed part");
  }

  @Test
  void withStacksGosHeapArenaReservationIsNamed() {
    Run.Out out =
        Run.explain(
            """
            21984 05:04:55.169375 execve("./gobig.bin", ["./gobig.bin"], 0x7ffeba1afe30 /* 35 vars */) = 0 <0.000161>
            21984 05:04:55.169970 arch_prctl(ARCH_SET_FS, 0x52ac10) = 0 <0.000008>
            21984 05:04:55.182768 mmap(0xc000000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xc000000000 <0.000018>
             > /tmp/go/gobig.bin(runtime.sysMmap.abi0+0x24) [0x5efa4]
             > /tmp/go/gobig.bin(runtime.sysReserve+0x28) [0x14968]
             > /tmp/go/gobig.bin(runtime.(*mheap).sysAlloc+0x3bf) [0xaebf]
             > /tmp/go/gobig.bin(runtime.(*mheap).grow+0x73) [0x25373]
            21984 05:04:55.193077 mmap(0xc000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0xc000000000 <0.000012>
             > /tmp/go/gobig.bin(runtime.sysMmap.abi0+0x24) [0x5efa4]
             > /tmp/go/gobig.bin(runtime.sysMapOS+0x39) [0x14f19]
             > /tmp/go/gobig.bin(runtime.sysMap+0x35) [0x149d5]
             > /tmp/go/gobig.bin(runtime.(*mheap).grow+0x23d) [0x2553d]
            """);
    Explanation reserve = out.at(3).why().get(0);
    assertThat(reserve.rule()).isEqualTo("go-heap-reserve");
    assertThat(reserve.basis()).isEqualTo(Basis.STACK);
    assertThat(reserve.text())
        .contains("1 heap arena of 64 MiB")
        .contains("its arena hint 0xc000000000")
        .contains("runtime.(*mheap).sysAlloc+0x3bf called from gobig.bin:runtime.(*mheap).grow");
    assertThat(out.why(8))
        .contains("of the 67108864-byte Go heap arena reservation made at line 3");
  }

  @Test
  void afterAReservationAtGosArenaHintMallocsMmapPathIsNotTold() {
    // a cgo binary without -k: glibc is there, but so is Go's runtime, whose own 256 KiB and
    // 32 MiB mappings have malloc's shape; the first was already told when the hint showed up
    Run.Out out =
        Run.explain(
            """
            22047 05:04:57.245163 execve("./gocgo.bin", ["./gocgo.bin"], 0x7ffe77700458 /* 35 vars */) = 0 <0.000241>
            22047 05:04:57.245507 brk(NULL)         = 0x70d9000 <0.000006>
            22047 05:04:57.246249 arch_prctl(ARCH_SET_FS, 0x7f1dfb2d0740) = 0 <0.000006>
            22047 05:04:57.246777 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1dfb290000 <0.000009>
            22047 05:04:57.246960 mmap(0xc000000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0xc000000000 <0.000008>
            22047 05:04:57.246982 mmap(NULL, 33554432, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1dd4000000 <0.000008>
            """);
    assertThat(out.why(5)).startsWith("fits Go's heap").contains("0xc000000000");
    assertThat(out.at(4).why()).noneMatch(e -> e.rule().equals("malloc-mmap"));
    assertThat(out.why(4)).contains("fits glibc malloc's mmap path, but").contains("line 5");
    assertThat(out.at(6).why()).noneMatch(e -> e.rule().startsWith("malloc"));
  }
}
