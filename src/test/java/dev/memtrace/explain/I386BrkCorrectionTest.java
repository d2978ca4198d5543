package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A 32-bit program's first malloc: i386 glibc's sysmalloc grows the break by 135168 bytes and then
 * by 4096 more, its second sbrk aligning the first chunk (chunk2mem of the break is 8 bytes off
 * MALLOC_ALIGNMENT 16) and ending the heap on a page (malloc/malloc.c). The second growth read
 * "less than glibc malloc grows it with its default top_pad 131072 ...: the program moved it itself
 * with brk/sbrk, or lowered malloc's top_pad", which the x86-64 arithmetic says and i386's does
 * not. Lines 1 to 30 of strace -f -tt -T -y ./m32 (gcc -m32, Debian 12).
 */
class I386BrkCorrectionTest {

  @Test
  void theSecondSmallGrowthOfA32BitHeapIsNotBlamedOnTheProgram() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/i386_malloc_brk_correction.log").toURI()));
    assertThat(out.at(30).event().toString()).contains("brk(0x58044000)");
    assertThat(out.why(30)).doesNotContain("the program moved it itself").doesNotContain("top_pad");
  }
}
