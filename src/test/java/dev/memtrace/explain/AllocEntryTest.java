package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A chunk's own mapping fits a range of requests, told as the entry a -k stack shows: calloc
 * multiplies its two arguments (__libc_calloc computes bytes = n × elem_size, then _int_malloc), so
 * "malloc(n)" would name a call the program never made. strace -k -f of a C program doing calloc(1,
 * 300000) then malloc(300000), gcc 12, glibc 2.36, the stacks of the calls before them left out.
 */
class AllocEntryTest {

  private static final String LOG =
      """
      15733 execve("./c", ["./c"], 0x7ffee55c7490 /* 39 vars */) = 0
      15733 brk(NULL)                         = 0x557af1d57000
      15733 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa58177a000
      15733 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)
      15733 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3
      15733 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=47827, ...}, AT_EMPTY_PATH) = 0
      15733 mmap(NULL, 47827, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7fa58176e000
      15733 close(3)                          = 0
      15733 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3
      15733 newfstatat(3, "", {st_mode=S_IFREG|0755, st_size=1926232, ...}, AT_EMPTY_PATH) = 0
      15733 mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fa58158c000
      15733 mmap(0x7fa5815b2000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7fa5815b2000
      15733 mmap(0x7fa581708000, 339968, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x17c000) = 0x7fa581708000
      15733 mmap(0x7fa58175b000, 24576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x1cf000) = 0x7fa58175b000
      15733 mmap(0x7fa581761000, 53072, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7fa581761000
      15733 close(3)                          = 0
      15733 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa581589000
      15733 arch_prctl(ARCH_SET_FS, 0x7fa581589740) = 0
      15733 set_tid_address(0x7fa581589a10)   = 15733
      15733 set_robust_list(0x7fa581589a20, 24) = 0
      15733 rseq(0x7fa58158a060, 0x20, 0, 0x53053053) = 0
      15733 mprotect(0x7fa58175b000, 16384, PROT_READ) = 0
      15733 mprotect(0x557abf976000, 4096, PROT_READ) = 0
      15733 mprotect(0x7fa5817b5000, 8192, PROT_READ) = 0
      15733 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0
      15733 munmap(0x7fa58176e000, 47827)     = 0
      15733 brk(NULL)                         = 0x557af1d57000
      15733 brk(0x557af1d78000)               = 0x557af1d78000
      15733 mmap(NULL, 303104, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa58153f000
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(timer_settime+0x1a38) [0x95f28]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__default_morecore+0xccc) [0x96cfc]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__default_morecore+0x208e) [0x980be]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_calloc+0x161) [0x99841]
       > /tmp/s31/c(main+0x17) [0x1180]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x85) [0x27305]
      15733 mmap(NULL, 303104, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa5814f5000
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(timer_settime+0x1a38) [0x95f28]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__default_morecore+0xccc) [0x96cfc]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_malloc+0x1c9) [0x99c69]
       > /tmp/s31/c(main+0x25) [0x118e]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x85) [0x27305]
      """;

  @Test
  void aCallocIsToldAsCalloc() {
    Run.Out out = Run.explain(LOG);
    assertThat(out.why(29))
        .contains("303104 bytes fits calloc(nmemb, size) for nmemb × size from 298985 to 303080.")
        .doesNotContain("malloc(n)");
    assertThat(out.why(37))
        .contains(
            "303104 bytes fits malloc(n) for n from 298985 to 303080 (or a memalign that needed"
                + " the slack).");
  }
}
