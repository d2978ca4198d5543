package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An allocator that wants memory aligned beyond a page maps, unmaps the mapping whole when its
 * start is misaligned, maps again larger and trims: PHP's zend_mm_chunk_alloc_int (a huge block of
 * 16 MiB + 4 KiB on a 2 MiB boundary: 2 MiB − 4 KiB more), and the Erlang runtime (16 KiB more).
 * The first try's munmap is not free(), and must not raise glibc's mmap threshold. The lines are
 * from {@code strace -f -tt -T php p.php} (PHP 8.2 on Debian 12) without its prctl calls, as PHP
 * before 8.3 makes none, and from {@code erl -noshell} (erts-13.1.5).
 */
class AlignedRetryTest {

  private static final String PHP =
      """
      13391 00:01:57.740000 execve("/usr/bin/php", ["php", "p.php"], 0x7ffcf5367400 /* 39 vars */) = 0 <0.000300>
      13391 00:01:57.740500 brk(NULL)         = 0x56161e7b1000 <0.000010>
      13391 00:01:57.761000 brk(NULL)         = 0x56161e7b1000 <0.000010>
      13391 00:01:57.761100 brk(0x56161e7d2000) = 0x56161e7d2000 <0.000010>
      13391 00:01:57.992150 mmap(NULL, 16781312, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe0917ae000 <0.000121>
      13391 00:01:57.992572 munmap(0x7fe0917ae000, 16781312) = 0 <0.000111>
      13391 00:01:57.992772 mmap(NULL, 18874368, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe091400000 <0.000082>
      13391 00:01:57.993175 munmap(0x7fe092401000, 2093056) = 0 <0.000057>
      13391 00:01:58.050274 mmap(NULL, 196608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe092eec000 <0.000116>
      13391 00:01:58.178805 munmap(0x7fe092eec000, 196608) = 0 <0.000018>
      13391 00:01:58.186000 exit_group(0)     = ?
      """;

  @Test
  void theFirstTryOfAnAlignedChunkIsNotAMallocChunk() {
    Run.Out out = Run.explain(PHP);
    assertThat(out.why(5))
        .contains("fits the first try of an aligned allocation, not a malloc chunk")
        .contains("maps 18874368 = 16781312 + 2093056 bytes at line 7 and trims that at line 8")
        .doesNotContain("fits malloc(n)");
    assertThat(out.why(6))
        .contains("gives back the whole 16781312-byte mapping made at line 5")
        .contains("not free()")
        .doesNotContain("rises");
    assertThat(out.why(7))
        .contains("the munmap at line 8 unmaps only part of it")
        .contains("room to cut a 16781312-byte piece");
  }

  @Test
  void itsUnmapLeavesMallocsThresholdWhereItWas() {
    Run.Out out = Run.explain(PHP);
    assertThat(out.why(9)).contains("the mmap threshold (131072)");
    assertThat(out.why(10)).contains("rises to the freed chunk's size 196608");
  }

  private static final String BEAM =
      """
      13274 00:01:55.447234 execve("/usr/lib/erlang/erts-13.1.5/bin/beam.smp", ["/usr/lib/erlang/erts-13.1.5/bin/"..., "--", "-root", "/usr/lib/erlang"], 0x7ffe92eae7a0 /* 43 vars */) = 0 <0.000300>
      13274 00:01:55.447500 brk(NULL)         = 0x5620ffa03000 <0.000010>
      13274 00:01:55.460000 brk(NULL)         = 0x5620ffa03000 <0.000010>
      13274 00:01:55.460100 brk(0x5620ffa24000) = 0x5620ffa24000 <0.000010>
      13274 00:01:55.494979 mmap(NULL, 524288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa4c2533000 <0.000017>
      13274 00:01:55.495026 munmap(0x7fa4c2533000, 524288) = 0 <0.000021>
      13274 00:01:55.495074 mmap(NULL, 540672, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa4c252f000 <0.000014>
      13274 00:01:55.495114 munmap(0x7fa4c252f000, 4096) = 0 <0.000015>
      13274 00:01:55.495154 munmap(0x7fa4c25b0000, 12288) = 0 <0.000029>
      13274 00:01:55.548885 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa4bfeff000 <0.000114>
      """;

  @Test
  void aRetryWithHeadAndTailTrimmedIsToldSo() {
    Run.Out out = Run.explain(BEAM);
    assertThat(out.why(5)).contains("maps 540672 = 524288 + 16384 bytes at line 7");
    assertThat(out.why(6)).contains("not free()");
    assertThat(out.why(10)).contains("the mmap threshold (131072)");
  }

  /**
   * Two schedulers of one beam.smp make their first tries, unmaps and retries interleaved ({@code
   * strace -f -tt -T -y erl -noshell -eval ...}, erts-13.1.5, trimmed): -k shows erts_mmap (from
   * erts_mseg_alloc_opt) making each. Paired by process, thread 25456's unmap was told as preceding
   * thread 25446's retry and trim, and thread 25446's unmap as "free() gives the 524288-byte malloc
   * chunk ... back"; each thread's retry follows its own unmap.
   */
  @Test
  void interleavedThreadsEachPairTheirOwnFirstTryAndRetry() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/beam_aligned_try_threads.log").toURI()));
    // thread 25446: mmap at 8, munmap at 11, retry at 15, trim at 20
    assertThat(out.why(11))
        .contains("gives back the whole 524288-byte mapping made at line 8")
        .contains("maps 540672 = 524288 + 16384 bytes at line 15 and trims that at line 20")
        .doesNotContain("free() gives");
    // thread 25456: mmap at 10, munmap at 13, retry at 17, trim at 22
    assertThat(out.why(13))
        .contains("gives back the whole 524288-byte mapping made at line 10")
        .contains("maps 540672 = 524288 + 16384 bytes at line 17 and trims that at line 22");
    assertThat(out.why(15)).contains("the 524288 bytes it unmapped whole at line 11 + 16384");
    assertThat(out.why(17)).contains("the 524288 bytes it unmapped whole at line 13 + 16384");
  }
}
