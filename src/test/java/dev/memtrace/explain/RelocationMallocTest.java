package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * ld.so sets the thread pointer (init_tls) before it relocates the objects, and relocates them with
 * its minimal malloc still in place: dl_main switches to libc's malloc (__rtld_malloc_init_real)
 * and unmaps /etc/ld.so.cache (_dl_unload_cache) only after. Lines of strace -f -tt -T of emacs
 * 28.2 -Q --batch on Debian 12, whose mmap between the RELRO mprotects strace -k shows inside
 * ld.so.
 */
class RelocationMallocTest {

  private static final String STARTUP =
      """
      19044 04:49:04.151812 execve("/usr/bin/emacs", ["emacs", "-Q", "--batch"], 0x7fffbd56f5d8 /* 39 vars */) = 0 <0.001276>
      19044 04:49:04.153756 brk(NULL)         = 0x564faed36000 <0.000071>
      19044 04:49:04.154252 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fddece76000 <0.000055>
      19044 04:49:04.154618 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3 <0.000045>
      19044 04:49:04.154942 mmap(NULL, 45879, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7fddece6a000 <0.000025>
      19044 04:49:04.155002 close(3)          = 0 <0.000017>
      19044 04:49:04.182892 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fdde9a23000 <0.000014>
      19044 04:49:04.182979 arch_prctl(ARCH_SET_FS, 0x7fdde9a23e80) = 0 <0.000017>
      """;

  @Test
  void anAllocationWhileLdsoRelocatesIsItsMinimalMalloc() {
    Run.Out out =
        Run.explain(
            STARTUP
                + """
        19044 04:49:04.185437 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fdde9a21000 <0.000041>
        19044 04:49:04.221034 munmap(0x7fddece6a000, 45879) = 0 <0.000194>
        """);
    assertThat(out.why(9))
        .startsWith("fits ld.so's minimal malloc (__minimal_malloc)")
        .contains("a request of at most 4096 bytes")
        .contains("ld.so is still relocating the objects")
        .doesNotContain("mallopt");
  }

  @Test
  void onceLdsoCacheIsUnmappedRelocationIsOver() {
    // the same call, placed after _dl_unload_cache: the program's, or a library's, as before
    Run.Out out =
        Run.explain(
            STARTUP
                + """
        19044 04:49:04.221034 munmap(0x7fddece6a000, 45879) = 0 <0.000194>
        19044 04:49:04.221037 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fdde9a21000 <0.000041>
        """);
    assertThat(out.why(10))
        .startsWith("a direct anonymous mmap of 8192 bytes")
        .doesNotContain("minimal malloc");
  }
}
