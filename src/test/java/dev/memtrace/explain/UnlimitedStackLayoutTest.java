package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.elf.ElfFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under {@code ulimit -s unlimited} the mmap area starts near 0x155555554000 (mmap_base's gap below
 * the stack follows RLIMIT_STACK up to 5/6 of the address space, arch/x86/mm/mmap.c), below the PIE
 * executable at ELF_ET_DYN_BASE: ld.so's own RELRO mprotect lies under 0x600000000000 and is not
 * the executable's. A file mapping the trace showed beside it places it in the mmap area; without
 * one the sentence says the address does not tell. The legacy bottom-up layout (setarch -L:
 * personality(ADDR_COMPAT_LAYOUT), mmap_is_legacy) puts the mmap area at TASK_UNMAPPED_BASE, near
 * 0x2aaaaaaab000, below the executable too: the sentence must not lay that on RLIMIT_STACK.
 */
class UnlimitedStackLayoutTest {

  @TempDir Path root;

  /** Reduced from `ulimit -s unlimited; strace -f ls` (glibc 2.36, Linux 6.18). */
  private static final String LOG =
      String.join(
          "\n",
          "12651 execve(\"/usr/bin/ls\", [\"ls\", \"/tmp/elf\"], 0x7ffe2d0018f0 /* 39 vars */) = 0",
          "12651 brk(NULL) = 0x557029940000",
          "12651 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3",
          "12651 mmap(NULL, 45879, PROT_READ, MAP_PRIVATE, 3, 0) = 0x14e6e3fc9000",
          "12651 close(3) = 0",
          "12651 arch_prctl(ARCH_SET_FS, 0x14e6e3d1d740) = 0",
          "12651 mprotect(0x556ff5f80000, 4096, PROT_READ) = 0",
          "12651 mprotect(0x14e6e4010000, 8192, PROT_READ) = 0",
          "");

  /** Reduced from `strace -f setarch -L ls -la /usr/lib` (glibc 2.36, Linux 6.18). */
  private static final String LEGACY =
      String.join(
          "\n",
          "18741 execve(\"/usr/bin/setarch\", [\"setarch\", \"-L\", \"ls\", \"-la\","
              + " \"/usr/lib\"], 0x7ffd8cbd5f48 /* 39 vars */) = 0",
          "18741 brk(NULL) = 0x555a13783000",
          "18741 personality(PER_LINUX|ADDR_COMPAT_LAYOUT) = 0 (PER_LINUX)",
          "18741 execve(\"/usr/bin/ls\", [\"ls\", \"-la\", \"/usr/lib\"], 0x7ffcbbc15498 /* 39"
              + " vars */) = 0",
          "18741 brk(NULL) = 0x55b2ceb84000",
          "18741 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3",
          "18741 mmap(NULL, 47827, PROT_READ, MAP_PRIVATE, 3, 0) = 0x2b72a0564000",
          "18741 close(3) = 0",
          "18741 arch_prctl(ARCH_SET_FS, 0x2b72a081a800) = 0",
          "18741 mprotect(0x55b297bec000, 4096, PROT_READ) = 0",
          "18741 mprotect(0x2b72a0556000, 8192, PROT_READ) = 0",
          "");

  @Test
  void aThreadStackUnderAnUnlimitedStackLimitIsArchStackDefaultSize() {
    // reduced from `ulimit -s unlimited; strace -f python3 -c '...threading.Thread...'`: with
    // RLIMIT_STACK unlimited, __pthread_early_init takes ARCH_STACK_DEFAULT_SIZE, 2 MiB on x86-64
    Run.Out out =
        Run.explain(
            String.join(
                "\n",
                "13805 execve(\"/usr/bin/python3\", [\"python3\", \"-c\", \"...\"], 0x7ffe2d0018f0"
                    + " /* 39 vars */) = 0",
                "13805 brk(NULL) = 0x557029940000",
                "13805 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=RLIM64_INFINITY,"
                    + " rlim_max=RLIM64_INFINITY}) = 0",
                "13805 brk(0x557029961000) = 0x557029961000",
                "13805 mmap(NULL, 2101248, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0)"
                    + " = 0x146428447000",
                ""));
    assertThat(out.why(5))
        .contains(
            "the default stack size 2097152 (ARCH_STACK_DEFAULT_SIZE, as RLIMIT_STACK is"
                + " unlimited, seen at startup) + a 4096-byte guard = 2101248")
        .doesNotContain("from RLIMIT_STACK");
  }

  @Test
  void underTheLegacyLayoutTheLowMmapAreaIsNotLaidOnRlimitStack() {
    Run.Out out = Run.explain(LEGACY, ElfFiles.under(root));
    assertThat(out.why(10)).startsWith("RELRO: after relocating the executable (ls");
    assertThat(out.why(11))
        .startsWith("RELRO: after relocating ld.so itself")
        .contains("personality(ADDR_COMPAT_LAYOUT) at line 3")
        .contains("TASK_UNMAPPED_BASE")
        .doesNotContain("RLIMIT_STACK");
    // without the personality call the trace does not tell the two causes apart
    Run.Out unshown = Run.explain(LOG, ElfFiles.under(root));
    assertThat(unshown.why(8)).contains("RLIMIT_STACK").contains("legacy bottom-up layout");
  }

  /**
   * setarch -L -R: ADDR_NO_RANDOMIZE too, so the mmap area starts at TASK_UNMAPPED_BASE itself
   * (ld.so at 0x2aaaaaac..., the cache at 0x2aaaaaaea000, the same on every run; the executable at
   * ELF_ET_DYN_BASE, 0x555555554000). Lines of strace -f -y setarch -L -R ls /.
   */
  @Test
  void withoutRandomisationTheLegacyMmapAreaIsNotSaidToBeRandomised() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/setarch_LR_ls.log").toURI()));
    assertThat(out.why(8))
        .startsWith("RELRO: after relocating ld.so itself")
        .contains("personality(ADDR_COMPAT_LAYOUT) at line 1")
        .contains("with no random offset, since personality(ADDR_NO_RANDOMIZE) at line 1")
        .doesNotContain("plus randomisation");
    // setarch -L alone: the legacy base gets mmap_rnd's offset
    assertThat(Run.explain(LEGACY, ElfFiles.under(root)).why(11)).contains("plus randomisation");
  }

  @Test
  void ldsosRelroBesideTheCacheIsLdsosNotTheExecutables() {
    Run.Out out = Run.explain(LOG, ElfFiles.under(root));
    assertThat(out.why(7)).startsWith("RELRO: after relocating the executable (ls");
    assertThat(out.why(8))
        .startsWith("RELRO: after relocating ld.so itself")
        .contains("in the mmap area beside /etc/ld.so.cache (mapped at line 4)")
        .doesNotContain("the executable (ls");
  }

  @Test
  void withNothingBesideItTheAddressDoesNotTell() {
    String log =
        String.join(
            "\n",
            LOG.lines()
                .filter(
                    l -> !l.contains("ld.so.cache") && !l.contains("45879") && !l.contains("close"))
                .toList());
    Run.Out out = Run.explain(log + "\n", ElfFiles.under(root));
    assertThat(out.why(5))
        .contains("the executable, or ld.so in an mmap area")
        .contains("the address alone does not tell which")
        .doesNotContain("the executable (ls");
  }
}
