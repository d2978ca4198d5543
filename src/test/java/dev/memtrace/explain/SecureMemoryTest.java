package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Memory that programs lock, hide or keep from their children: mlock and its failures,
 * MADV_DONTFORK and MADV_WIPEONFORK before a fork, protection keys, memfd_secret. Lines of strace
 * -f -tt -T -y (Linux 6.18, glibc 2.36, Debian 12) of small C programs, of gpg 2.2.40 (libgcrypt
 * 1.10's secmem) and of OpenSSL 3.0's CRYPTO_secure_malloc_init, cut to the calls that matter.
 */
class SecureMemoryTest {

  /**
   * lk.c: three mappings, the first and the shared one marked MADV_DONTFORK, the second
   * MADV_WIPEONFORK; then fork, and the child touches the first.
   */
  private static final String DONTFORK =
      """
      23752 17:57:30.715940 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fcd0ba54000 <0.000003>
      23752 17:57:30.715951 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fcd0b850000 <0.000004>
      23752 17:57:30.715969 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fcd0b84c000 <0.000012>
      23752 17:57:30.716019 madvise(0x7fcd0ba54000, 16384, MADV_DONTFORK) = 0 <0.000005>
      23752 17:57:30.716033 madvise(0x7fcd0b850000, 16384, MADV_WIPEONFORK) = 0 <0.000004>
      23752 17:57:30.716043 madvise(0x7fcd0b84c000, 16384, MADV_DONTFORK) = 0 <0.000003>
      23752 17:57:30.716728 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fcd0b86ca10) = 23753 <0.000090>
      23753 17:57:30.717036 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x7fcd0ba54000} ---
      23753 17:57:30.717102 +++ killed by SIGSEGV +++
      """;

  @Test
  void aSharedMappingMarkedDontforkIsNotSaidToStaySharedWithTheChild() {
    // dup_mmap skips a VM_DONTCOPY area whatever it is: the child has no mapping there, shared or
    // private, so the shared anonymous memory of line 3 is not the child's to share
    Run.Out out = Run.explain(DONTFORK);
    assertThat(out.why(7))
        .doesNotContain("stays truly shared")
        .contains("the shared anonymous memory made at line 3 (MADV_DONTFORK at line 6)")
        .contains("the 16384-byte anonymous mapping made at line 1 (MADV_DONTFORK at line 4)")
        .contains("the child has no mapping there at all")
        .contains("marked MADV_WIPEONFORK at line 5");
    assertThat(out.at(7).why().get(0).evidence())
        .contains("madvise(MADV_DONTFORK) at line 4", "madvise(MADV_DONTFORK) at line 6");
  }

  @Test
  void aChildsFaultInARangeMarkedDontforkIsNotPlacedInTheParentsMapping() {
    // the child touches the first mapping, which it never got: SEGV_MAPERR, no mapping at all
    Run.Out out = Run.explain(DONTFORK);
    assertThat(out.why(8))
        .startsWith("SIGSEGV at 0x7fcd0ba54000: in unmapped space in this fork's child")
        .contains("the 16384-byte anonymous mapping made at line 1")
        .contains("madvise(MADV_DONTFORK) marked at line 4")
        .doesNotContain("0 bytes into the 16384-byte anonymous mapping made at line 1.");
  }

  @Test
  void aForkChildsMunlockOfWhatItsParentLockedChangesNothing() {
    // fk2.c: the parent maps 4 pages of a file and mlocks the first 2 (the area splits); dup_mmap
    // clears VM_LOCKED in the child's copies, so the child's munlock finds nothing to change and
    // mlock_fixup neither splits nor merges: the child's /proc/PID/maps still lists the two pieces
    Run.Out out =
        Run.explain(
            """
        3817  18:05:03.126270 openat(AT_FDCWD</tmp/h-secure>, "/usr/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY) = 3</usr/lib/x86_64-linux-gnu/libc.so.6> <0.000004>
        3817  18:05:03.126290 mmap(NULL, 16384, PROT_READ, MAP_PRIVATE, 3</usr/lib/x86_64-linux-gnu/libc.so.6>, 0) = 0x7f640f199000 <0.000006>
        3817  18:05:03.126305 mlock(0x7f640f199000, 8192) = 0 <0.000014>
        3817  18:05:03.126329 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f640efa9a10) = 3818 <0.000112>
        3818  18:05:03.126514 munlock(0x7f640f199000, 8192) = 0 <0.000003>
        """);
    assertThat(out.at(3).changes()).isNotEmpty();
    assertThat(out.at(5).changes()).isEmpty();
  }
}
