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
