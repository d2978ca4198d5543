package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * GLIBC_TUNABLES glibc.pthread.stack_cache_size sets how much of exited threads' stacks glibc keeps
 * (__nptl_stack_cache_maxsize, 40 MiB by default; queue_stack unmaps beyond it). A program with 4
 * pthreads on this machine (glibc 2.36), strace -f -v -s 256 with stack_cache_size=0, trimmed to
 * one thread, its environment to one entry.
 */
class StackCacheTunableTest {

  private static final String CALLS =
      """
      24371 brk(NULL)         = 0x55865f8de000
      24371 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f9a3261a000
      24371 arch_prctl(ARCH_SET_FS, 0x7f9a3261a740) = 0
      24371 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0
      24371 mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f9a31e19000
      24371 mprotect(0x7f9a31e1a000, 8388608, PROT_READ|PROT_WRITE) = 0
      24371 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f9a32619990, parent_tid=0x7f9a32619990, exit_signal=0, stack=0x7f9a31e19000, stack_size=0x7fff80, tls=0x7f9a326196c0} => {parent_tid=[24372]}, 88) = 24372
      24372 madvise(0x7f9a31e19000, 8368128, MADV_DONTNEED) = 0
      24372 exit(0)                           = ?
      24372 +++ exited with 0 +++
      24371 munmap(0x7f9a31e19000, 8392704)   = 0
      """;

  private static Run.Out run(String env) {
    return Run.explain("24371 execve(\"./thr\", [\"./thr\"], " + env + ") = 0\n" + CALLS);
  }

  @Test
  void aZeroStackCacheIsNamedWhereTheStackGoes() {
    Run.Out out = run("[\"GLIBC_TUNABLES=glibc.pthread.stack_cache_size=0\"]");
    assertThat(out.why(9))
        .startsWith("a thread is exiting: glibc drops the pages of its stack")
        .contains("then glibc caches it only within 0 bytes in total")
        .contains("GLIBC_TUNABLES=glibc.pthread.stack_cache_size=0; strace -v shows it")
        .doesNotContain("cached for the next pthread_create");
    assertThat(out.why(12))
        .startsWith("a cached thread stack is released (8392704 bytes)")
        .contains("up to 0 bytes in total")
        .doesNotContain("40 MiB");
  }

  @Test
  void withoutTheEnvironmentTheDefaultIsNamedAsADefault() {
    Run.Out out = run("0x7ffd3b6f1c28 /* 36 vars */");
    assertThat(out.why(9)).contains("the mapping stays, cached for the next pthread_create");
    assertThat(out.why(12))
        .contains(
            "40 MiB in total by default (GLIBC_TUNABLES glibc.pthread.stack_cache_size sets"
                + " another size; the trace does not show the environment)");
  }
}
