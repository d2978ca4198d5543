package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Programs built with GCC 12's -fsanitize=address and -fsanitize=thread (Debian 12, {@code strace
 * -f -tt -T}): a C program that mallocs and frees 100 B, 200 KiB and 4 MiB, grows a block with
 * realloc, starts two threads and forks. ld.so maps libasan or libtsan before libc.so.6, so the
 * sanitizer's malloc is the one the program calls: its memory comes from compiler-rt's
 * sanitizer_common allocator (the secondary LargeMmapAllocator maps RoundUpTo(size, page) + a
 * header page for every large block), never from glibc's mmap path.
 */
class SanitizerTest {

  /**
   * Lines 8 and 14: malloc(4 MiB) and malloc(200 KiB) with ASan's redzones, from its secondary;
   * lines 9 to 12: its shadow and the primary allocator's space at their fixed addresses
   * (asan_mapping.h and asan_allocator.h for x86-64), line 13 the primary's region info after it.
   */
  private static final String ASAN =
      """
      8884  13:00:49.820263 execve("./asan", ["./asan"], 0x7ffd6b6a8c08 /* 40 vars */) = 0 <0.001418>
      8884  13:00:49.822486 brk(NULL)         = 0x56122c952000 <0.000019>
      8884  13:00:49.823406 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libasan.so.8", O_RDONLY|O_CLOEXEC) = 3 <0.000043>
      8884  13:00:49.823572 mmap(NULL, 6944776, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fcd1a400000 <0.000016>
      8884  13:00:49.823993 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3 <0.000015>
      8884  13:00:49.824220 mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fcd1a21e000 <0.000018>
      8884  13:00:49.831198 arch_prctl(ARCH_SET_FS, 0x7fcd1ab1fe40) = 0 <0.000021>
      8884  13:00:49.834395 mmap(NULL, 3727360, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fcd19db0000 <0.000038>
      8884  13:00:49.841491 mmap(0x7fff7000, 268435456, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fff7000 <0.000013>
      8884  13:00:49.841608 mmap(0x2008fff7000, 15392894357504, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x2008fff7000 <0.000015>
      8884  13:00:49.841771 mmap(0x8fff7000, 2199023255552, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x8fff7000 <0.000013>
      8884  13:00:49.842359 mmap(0x600000000000, 4398046519296, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x600000000000 <0.000035>
      8884  13:00:49.842431 mmap(0x640000000000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x640000000000 <0.000020>
      8884  13:00:49.851022 mmap(NULL, 212992, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fcd1aab9000 <0.000036>
      """;

  /**
   * Line 9 is an mmap of TSan's that it unmaps whole at line 10 (not a glibc chunk); lines 8, 11
   * and 12 are TSan's trace memory (kTraceMemBeg 0x600000000000 in GCC 12's tsan_platform.h for
   * x86-64): a thread's trace committed, and its unused end given back (tsan_rtl.cpp
   * CreateThreadContext calls ReleaseMemoryPagesToOS, then maps it PROT_NONE).
   */
  private static final String TSAN =
      """
      8744  13:00:46.119932 execve("./tsan", ["./tsan"], 0x7ffcb6b5d198 /* 39 vars */) = 0 <0.001686>
      8744  13:00:46.122368 brk(NULL)         = 0x558ebe4c2000 <0.000039>
      8744  13:00:46.124029 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libtsan.so.2", O_RDONLY|O_CLOEXEC) = 3 <0.000060>
      8744  13:00:46.124257 mmap(NULL, 50862952, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fe931e00000 <0.000021>
      8744  13:00:46.124910 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3 <0.000024>
      8744  13:00:46.125239 mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fe931c1e000 <0.000028>
      8744  13:00:46.127808 arch_prctl(ARCH_SET_FS, 0x7fe931c1c4c0) = 0 <0.000021>
      8744  13:00:46.161374 mmap(0x600000000000, 2199023255552, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x600000000000 <0.000018>
      8744  13:00:46.162449 mmap(NULL, 524288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe931adc000 <0.000021>
      8744  13:00:46.170141 munmap(0x7fe931adc000, 524288) = 0 <0.000219>
      8744  13:00:46.179038 mmap(0x600001000000, 1261568, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x600001000000 <0.000020>
      8744  13:00:46.182085 madvise(0x60000108c000, 684032, MADV_DONTNEED) = 0 <0.000116>
      """;

  @Test
  void asansLargeBlocksAreNotToldAsGlibcMallocChunks() {
    Run.Out out = Run.explain(ASAN);
    for (int line : new int[] {8, 14}) {
      assertThat(out.at(line).why()).noneMatch(e -> e.rule().startsWith("malloc"));
      assertThat(out.why(line))
          .doesNotContain("fits malloc(")
          .contains("glibc malloc's mmap threshold says nothing here")
          .contains("AddressSanitizer")
          .contains("line 4");
    }
  }

  @Test
  void asansShadowAndAllocatorSpaceAreNamedAndTheGapIsNotSaidToBeCommittedLater() {
    Run.Out out = Run.explain(ASAN);
    assertThat(out.why(9)).contains("low shadow").contains("(addr >> 3) + 0x7fff8000");
    assertThat(out.why(10)).contains("high shadow").contains("MAP_NORESERVE");
    assertThat(out.why(11))
        .contains("shadow gap")
        .contains("ProtectGap")
        .doesNotContain("whose parts are made usable later");
    assertThat(out.why(12)).contains("kAllocatorSpace 0x600000000000");
    assertThat(out.why(13)).contains("of the AddressSanitizer allocator space made at line 12");
  }

  @Test
  void tsansUnmapIsNotGlibcsFreeAndItsPurgeIsTheSanitizers() {
    Run.Out out = Run.explain(TSAN);
    assertThat(out.why(8))
        .contains("ThreadSanitizer's own layout")
        .contains("the call alone does not tell which")
        .doesNotContain("whose parts are made usable later");
    assertThat(out.at(9).why()).noneMatch(e -> e.rule().startsWith("malloc"));
    assertThat(out.why(10)).doesNotContain("munmap_chunk").doesNotContain("threshold rises");
    assertThat(out.why(12))
        .contains("ReleaseMemoryPagesToOS")
        .contains("ThreadSanitizer is this process's malloc (line 4)")
        .doesNotContain("tcmalloc");
  }
}
