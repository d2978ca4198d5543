package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A chunk's own mapping that a -k stack shows posix_memalign made: with an alignment above 16,
 * _int_memalign asks _int_malloc for nb + alignment + MINSIZE (glibc 2.36 malloc.c), so the same
 * 233472 bytes fit requests alignment + 48 below malloc's, and the alignment is an argument the
 * trace does not show. FFmpeg 5.1's av_malloc calls posix_memalign(&ptr, ALIGN, size) with ALIGN
 * 64, 32 or 16 as it was built (libavutil/mem.c). Lines of strace -f -tt -T -y -k of ffmpeg
 * -hide_banner -f lavfi -i testsrc=duration=1:size=320x240 -f null - (Debian 12), cut to the breaks
 * and the two 233472-byte mmaps: one from av_buffer_pool_get through av_malloc, one from
 * av_buffer_realloc's malloc.
 */
class AlignedEntryTest {

  @Test
  void aPosixMemalignIsToldWithItsAlignmentUnknown() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/ffmpeg_av_malloc_k.log").toURI()));
    assertThat(out.at(6).why().get(0).rule()).isEqualTo("malloc-mmap");
    assertThat(out.why(6))
        .contains(
            "233472 bytes fits posix_memalign(&p, alignment, n) for n from 229305 − alignment to"
                + " 233400 − alignment when the alignment is above 16 (32: 229273 to 233368; 64:"
                + " 229241 to 233336)")
        .contains("with an alignment of 16 or less _mid_memalign hands the call to malloc")
        .contains("The trace does not show the alignment")
        .doesNotContain("fits malloc(n)")
        .doesNotContain("memalign that needed the slack");
    assertThat(out.why(33)).contains("233472 bytes fits malloc(n) for n from 229353 to 233448");
  }
}
