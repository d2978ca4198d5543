package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.SyscallEvent;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** cat's 139264-byte mapping, its reads and writes, and its munmap, on the corpus traces. */
class CatBufferTest {

  @Test
  void theMappingIsCatsIoBufferWithItsArithmetic() throws Exception {
    Path log = Run.corpusLog("cat_big_devnull_yy.log");
    Run.Out out = Run.explain(log);
    int mmap = lineOf(out, "mmap", "139264");
    String why = out.why(mmap);
    assertThat(why)
        .contains("cat's 131072-byte I/O buffer")
        .contains(
            "131072 bytes (the block size it then reads and writes with, first at line "
                + (mmap + 1))
        .contains("page-aligned")
        .contains("above the 131072-byte mmap threshold")
        .contains("request2size(131072) = (131072 + 8 + 15) & ~15 = 131088")
        .contains("_int_memalign asks 131088 + 4096 + 32 = 135216")
        .contains("ALIGN_UP(135240, 4096) = 139264 (34 pages)")
        .contains("xmalloc(131072 + 4095)")
        .contains("not part of [heap]")
        .contains("inferred from the pattern");
    int munmap = lineOf(out, "munmap", "139264");
    assertThat(why).contains("given back to the kernel by the munmap at line " + munmap);
    assertThat(out.why(munmap))
        .contains("cat's 131072-byte I/O buffer made at line " + mmap)
        .contains("135184")
        .contains("270368");
    assertThat(out.why(mmap + 1))
        .contains(
            "read of 131072 bytes, likely through cat's "
                + "131072-byte I/O buffer made at line "
                + mmap);
    assertThat(out.why(mmap + 8)).contains("write of 36885 bytes, likely through cat's");
  }

  @Test
  void withoutLookaheadTheMmapStillGetsMallocArithmeticAndTheReadsTheBackReference()
      throws Exception {
    Path log = Run.corpusLog("cat_big_s4096.log");
    Run.Out out = Run.explain(Run.read(log), 0);
    int mmap = lineOf(out, "mmap", "139264");
    assertThat(out.why(mmap)).contains("glibc malloc's mmap path").contains("135145 to 139240");
    assertThat(out.why(mmap + 1)).contains("made at line " + mmap);
  }

  @Test
  void aWriteThroughTheMiddleOfABufferDoesNotNameItsSizeAndAWriteIsNotARead() {
    // zstd -T2 under -X raw (seen live): its output buffer is malloc(ZSTD_CStreamOutSize()), a
    // plain 135168-byte mmap chunk; the compressed blocks are written from wherever they start in
    // it. A 126976-byte write 4024 bytes in fitted aligned_alloc(4096, 126976)'s arithmetic and
    // named the mapping "zstd's 126976-byte read buffer", with a 4080-byte lead at its free
    Run.Out out =
        Run.explain(
            """
        6805 22:01:20.100000 execve("/usr/bin/zstd", ["zstd", "-T2", "big.txt"], 0x7ffd5ab3e4f8 /* 38 vars */) = 0 <0.000400>
        6805 22:01:20.100100 brk(NULL)         = 0x55fe550f0000 <0.000010>
        6805 22:01:20.100200 brk(NULL)         = 0x55fe550f0000 <0.000010>
        6805 22:01:20.100300 brk(0x55fe55111000) = 0x55fe55111000 <0.000010>
        6805 22:01:20.100400 mmap(NULL, 135168, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb554e0b000 <0.000020>
        6805 22:01:20.100500 write(0x4, 0x7fb554e0bfb8, 0x1f000) = 0x1f000 <0.000100>
        6805 22:01:20.100600 write(0x4, 0x7fb554e0b010, 0x20000) = 0x20000 <0.000100>
        6805 22:01:20.100700 write(0x4, 0x7fb554e0b010, 0x1f000) = 0x1f000 <0.000100>
        6805 22:01:20.100800 munmap(0x7fb554e0b000, 135168) = 0 <0.000030>
        """);
    assertThat(out.why(6))
        .contains("4024 bytes into the 135168-byte malloc chunk made at line 5")
        .doesNotContain("126976-byte");
    assertThat(out.why(7)).contains("16 bytes into zstd's 131072-byte write buffer made at line 5");
    assertThat(out.why(8))
        .as("named once, by the write whose length fits it")
        .contains("16 bytes into zstd's 131072-byte write buffer made at line 5");
    assertThat(out.why(9))
        .contains("free() gives zstd's 131072-byte write buffer made at line 5")
        .doesNotContain("lead bytes before the aligned chunk")
        .doesNotContain("read buffer");
  }

  static int lineOf(Run.Out out, String name, String argPart) {
    return out.events().stream()
        .filter(
            e ->
                e.event() instanceof SyscallEvent s
                    && s.name().equals(name)
                    && s.args().text().contains(argPart))
        .findFirst()
        .orElseThrow()
        .event()
        .line();
  }
}
