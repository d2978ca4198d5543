package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.elf.ElfFiles;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.RegionClass;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * musl's pthread_create (src/thread/pthread_create.c) maps guard + stack PROT_NONE, makes all but
 * the guard RW and clones onto it: a thread stack with a guard, not a runtime's reservation, and
 * pthread_join's munmap of it is not glibc's stack cache.
 */
class MuslThreadStackTest {

  @TempDir Path root;

  /** Reduced from musl-gcc t.c (pthread_create, pthread_join) traced with strace -f. */
  static final String LOG =
      String.join(
          "\n",
          "531 execve(\"./t_musl\", [\"./t_musl\"], 0x7ffdf36248a8 /* 39 vars */) = 0",
          "531 arch_prctl(ARCH_SET_FS, 0x7f2dbc2eba08) = 0",
          "531 brk(NULL) = 0x5592f3956000",
          "531 mmap(NULL, 143360, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f2dbc1f9000",
          "531 mprotect(0x7f2dbc1fb000, 135168, PROT_READ|PROT_WRITE) = 0",
          "531 clone(child_stack=0x7f2dbc21baf8, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND"
              + "|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID"
              + "|0x400000, parent_tid=[532], tls=0x7f2dbc21bb38, child_tidptr=0x7f2dbc2ebe70)"
              + " = 532",
          "532 exit(0) = ?",
          "532 +++ exited with 0 +++",
          "531 munmap(0x7f2dbc1f9000, 143360) = 0",
          "");

  @Test
  void aCloneOnAGuardedReservationMakesItAThreadStack() {
    Run.Out out = Run.explain(LOG, ElfFiles.under(root));
    assertThat(out.why(4))
        .startsWith("a thread stack with a guard: 143360 bytes mapped PROT_NONE")
        .contains("musl's pthread_create")
        .doesNotContain("the call alone does not tell whose it is");
    assertThat(out.why(5))
        .startsWith("makes the thread stack made at line 4 usable: 135168 bytes RW")
        .contains("the lowest 8192 bytes at 0x7f2dbc1f9000 stay PROT_NONE")
        .doesNotContain("of the 143360-byte reservation");
    assertThat(out.why(9))
        .startsWith(
            "unmaps the thread stack (reserved, then made RW above its guard) made at line 4")
        .doesNotContain("glibc keeps");
    // the PROT_NONE part the mprotect left below the RW one is the stack's guard, classed so
    AnnotatedEvent prot = out.at(5);
    assertThat(prot.classes()).containsExactly(RegionClass.GUARD, RegionClass.THREAD_STACK);
  }

  /** Reduced from musl-gcc t.c traced with strace -f: musl's dynamic linker protects RELRO. */
  @Test
  void muslsRelroIsItsDynamicLinkersNotLdsos() {
    Run.Out out =
        Run.explain(
            String.join(
                "\n",
                "31140 execve(\"./thr_musl\", [\"./thr_musl\"], 0x7ffeafba4898 /* 39 vars */) = 0",
                "31140 arch_prctl(ARCH_SET_FS, 0x7f83bcb09a08) = 0",
                "31140 set_tid_address(0x7f83bcb09e70) = 31140",
                "31140 brk(NULL) = 0x55ee3a19e000",
                "31140 brk(0x55ee3a1a0000) = 0x55ee3a1a0000",
                "31140 mmap(0x55ee3a19e000, 4096, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS,"
                    + " -1, 0) = 0x55ee3a19e000",
                "31140 mprotect(0x7f83bcb06000, 4096, PROT_READ) = 0",
                "31140 mprotect(0x55ee185fd000, 4096, PROT_READ) = 0",
                ""),
            ElfFiles.under(root));
    assertThat(out.why(7))
        .startsWith("RELRO: after relocating the dynamic linker itself")
        .contains("reloc_all in ldso/dynlink.c")
        .doesNotContain("ld.so");
    assertThat(out.why(8))
        .startsWith("RELRO: after relocating the executable (thr_musl")
        .contains("reloc_all in ldso/dynlink.c")
        .doesNotContain("ld.so");
  }

  @Test
  void withoutACloneOnItTheReservationStaysUnnamed() {
    Run.Out out =
        Run.explain(
            LOG.replace("child_stack=0x7f2dbc21baf8", "child_stack=NULL"), ElfFiles.under(root));
    assertThat(out.why(4)).contains("the call alone does not tell whose it is");
    assertThat(out.why(5)).contains("of the 143360-byte reservation");
  }
}
