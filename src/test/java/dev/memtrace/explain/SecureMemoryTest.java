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

  /**
   * lkfail.c under capsh --drop=cap_ipc_lock with ulimit -l 64: mlock past the limit, of PROT_NONE
   * memory and over a hole; munlock over the hole; mlockall(MCL_CURRENT); MAP_LOCKED, a mapping
   * under mlockall(MCL_FUTURE) and a memfd_secret mapping past the limit; mlock and mlockall once
   * setrlimit has made RLIMIT_MEMLOCK 0.
   */
  private static final String LOCK_FAILURES =
      """
      24651 17:58:19.035666 execve("./lkfail", ["./lkfail"], 0x7ffc427b3370 /* 35 vars */) = 0 <0.000333>
      24651 17:58:19.040975 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ff23286f000 <0.000068>
      24651 17:58:19.041116 mmap(NULL, 16384, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ff232a9f000 <0.000063>
      24651 17:58:19.041320 mlock(0x7ff23286f000, 262144) = -1 ENOMEM (Cannot allocate memory) <0.000065>
      24651 17:58:19.042062 mlock(0x7ff23286f000, 16384) = 0 <0.000081>
      24651 17:58:19.042208 mlock(0x7ff232a9f000, 16384) = -1 ENOMEM (Cannot allocate memory) <0.000065>
      24651 17:58:19.042470 munmap(0x7ff23288f000, 16384) = 0 <0.000064>
      24651 17:58:19.042602 mlock(0x7ff23288d000, 16384) = -1 ENOMEM (Cannot allocate memory) <0.000060>
      24651 17:58:19.042870 munlock(0x7ff23288d000, 16384) = -1 ENOMEM (Cannot allocate memory) <0.000070>
      24651 17:58:19.043409 mlockall(MCL_CURRENT) = -1 ENOMEM (Cannot allocate memory) <0.000058>
      24651 17:58:19.043668 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED, -1, 0) = -1 EAGAIN (Resource temporarily unavailable) <0.000062>
      24651 17:58:19.043938 mlockall(MCL_FUTURE) = 0 <0.000058>
      24651 17:58:19.044061 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 EAGAIN (Resource temporarily unavailable) <0.000058>
      24651 17:58:19.044326 munlockall()      = 0 <0.000065>
      24651 17:58:19.044458 memfd_secret(0)   = 3</secretmem>(deleted) <0.000058>
      24651 17:58:19.044589 ftruncate(3</secretmem>(deleted), 262144) = 0 <0.000061>
      24651 17:58:19.044715 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_SHARED, 3</secretmem>(deleted), 0) = -1 EAGAIN (Resource temporarily unavailable) <0.000065>
      24651 17:58:19.045395 prlimit64(0, RLIMIT_MEMLOCK, {rlim_cur=0, rlim_max=0}, NULL) = 0 <0.000065>
      24651 17:58:19.045606 mlock(0x7ff232877000, 4096) = -1 EPERM (Operation not permitted) <0.000068>
      24651 17:58:19.045884 mlockall(MCL_FUTURE) = -1 EPERM (Operation not permitted) <0.000061>
      """;

  @Test
  void gpgsSecmemLockRefusedByRlimitMemlockSaysSo() {
    // gpg --gen-random under ulimit -l 32 without CAP_IPC_LOCK: libgcrypt's lock_pool_pages mlocks
    // its 64 KiB pool, gets ENOMEM and warns "using insecure memory"; the range is mapped, so the
    // limit is the cause, not an unmapped range, mremap or the commit limit
    Run.Out out =
        Run.explain(
            """
        25707 17:59:20.373960 execve("/usr/bin/gpg", ["gpg", "--batch", "--gen-random", "1", "16"], 0x7ffd429efea0 /* 36 vars */) = 0 <0.000107>
        25707 17:59:20.382851 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fcb7e7fa000 <0.000005>
        25707 17:59:20.382866 getuid()          = 0 <0.000002>
        25707 17:59:20.382875 mlock(0x7fcb7e7fa000, 65536) = -1 ENOMEM (Cannot allocate memory) <0.000003>
        """);
    assertThat(out.why(4))
        .startsWith("mlock failed with ENOMEM: the range 0x7fcb7e7fa000-0x7fcb7e80a000 is mapped")
        .contains("RLIMIT_MEMLOCK")
        .contains("CAP_IPC_LOCK")
        .doesNotContain("MREMAP_MAYMOVE")
        .doesNotContain("commit limit");
  }

  @Test
  void openSslsMlock2OnFaultRefusedByTheLimitNamesTheLimit() {
    // OpenSSL 3.0's sh_init under ulimit -l 16: the 32 KiB arena between its two guard pages
    Run.Out out =
        Run.explain(
            """
        10854 18:21:54.487562 mmap(NULL, 40960, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3c44690000 <0.000006>
        10854 18:21:54.487579 mprotect(0x7f3c44690000, 4096, PROT_NONE) = 0 <0.000005>
        10854 18:21:54.487590 mprotect(0x7f3c44699000, 4096, PROT_NONE) = 0 <0.000005>
        10854 18:21:54.487602 mlock2(0x7f3c44691000, 32768, MLOCK_ONFAULT) = -1 ENOMEM (Cannot allocate memory) <0.000003>
        """);
    assertThat(out.why(4))
        .startsWith("mlock2 failed with ENOMEM: the range 0x7f3c44691000-0x7f3c44699000 is mapped")
        .contains("RLIMIT_MEMLOCK")
        .doesNotContain("PROT_NONE pages");
  }

  @Test
  void anMlockFailureIsReadFromTheRangeAndTheLimit() {
    Run.Out out = Run.explain(LOCK_FAILURES);
    assertThat(out.why(4)).contains("is mapped and accessible").contains("RLIMIT_MEMLOCK");
    // PROT_NONE: populate_vma_page_range cannot fault it in; VM_LOCKED stays set (smaps: lo)
    assertThat(out.why(6))
        .contains("PROT_NONE pages (0x7ff232a9f000-0x7ff232aa3000")
        .contains("stays locked though the call failed")
        .doesNotContain("the address space is unchanged");
    // a hole at 0x7ff23288f000 (line 7's munmap): apply_vma_lock_flags locks up to it
    assertThat(out.why(8))
        .contains("nothing is mapped at 0x7ff23288f000")
        .contains("0x7ff23288d000-0x7ff23288f000, before the hole, was locked all the same")
        .doesNotContain("inferred");
    assertThat(out.why(9))
        .startsWith("munlock failed with ENOMEM")
        .contains("was unlocked all the same")
        .doesNotContain("RLIMIT_MEMLOCK");
    assertThat(out.why(10)).contains("MCL_CURRENT").contains("total_vm").doesNotContain("mremap");
    assertThat(out.why(11)).contains("MAP_LOCKED asks").contains("mlock_future_ok");
    assertThat(out.why(13)).contains("mlockall(MCL_FUTURE) of line 12 is in force");
    assertThat(out.why(17)).contains("memfd_secret memory always is (secretmem_mmap)");
    assertThat(out.why(19))
        .startsWith("mlock failed with EPERM")
        .contains("RLIMIT_MEMLOCK is 0")
        .doesNotContain("noexec")
        .doesNotContain("over the limit");
    assertThat(out.why(20)).startsWith("mlockall failed with EPERM").contains("can_do_mlock");
  }

  @Test
  void aMemfdSecretMappingIsSecretMemoryNotAnUnlinkedFilesPages() {
    // lkfail.c as root, strace without -y: the fd table names memfd_secret's fd; secretmem_mmap
    // makes the mapping VM_LOCKED | VM_DONTDUMP and refuses MAP_PRIVATE; secretmem_fault allocates
    // zeroed pages outside the direct map: nothing is read in, nothing was unlinked
    Run.Out out =
        Run.explain(
            """
        12896 18:31:25.278082 execve("./lkfail", ["./lkfail"], 0x7ffef5d4aeb8 /* 35 vars */) = 0 <0.000291>
        12896 18:31:25.280502 memfd_secret(0)   = 3 <0.000007>
        12896 18:31:25.280518 ftruncate(3, 262144) = 0 <0.000006>
        12896 18:31:25.280542 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f455c6fd000 <0.000004>
        12896 18:31:25.280552 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE, 3, 0) = -1 EINVAL (Invalid argument) <0.000003>
        """);
    assertThat(out.why(4))
        .contains("memfd_secret")
        .contains("secretmem_fault")
        .contains("VM_LOCKED")
        .doesNotContain("unlinked since it was opened")
        .doesNotContain("read in on first touch");
    assertThat(out.at(4).why().get(0).rule()).isEqualTo("secretmem");
    assertThat(out.at(4).changes().get(0).after().path()).isEqualTo("/secretmem (deleted)");
    assertThat(out.why(5))
        .contains("can only be mapped MAP_SHARED")
        .doesNotContain("not page-aligned");
  }

  @Test
  void withYTheSecretmemDecorationIsReadTheSameWay() {
    Run.Out out =
        Run.explain(
            """
        24651 17:58:19.044458 memfd_secret(0)   = 3</secretmem>(deleted) <0.000058>
        24651 17:58:19.044989 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED, 3</secretmem>(deleted), 0) = 0x7ff232a9b000 <0.000069>
        """);
    assertThat(out.why(2)).contains("secret memory").doesNotContain("unlinked since");
  }

  @Test
  void protectionKeysAndWipeonforkFailuresAreReadByTheirOwnCauses() {
    // lk.c on a CPU without PKU: pkey_alloc(0, 0) is refused by arch_set_user_pkey_access, and
    // pkey_mprotect with key 1, which no pkey_alloc returned, by mm_pkey_is_allocated; the address
    // and length are fine. MADV_WIPEONFORK on shared anonymous memory is refused for being shared.
    Run.Out out =
        Run.explain(
            """
        23752 17:57:30.714554 execve("./lk", ["./lk"], 0x7ffc764a3d70 /* 35 vars */) = 0 <0.000105>
        23752 17:57:30.715922 mmap(NULL, 32768, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE, -1, 0) = 0x7fcd0b854000 <0.000010>
        23752 17:57:30.715969 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fcd0b84c000 <0.000012>
        23752 17:57:30.716078 madvise(0x7fcd0b84c000, 16384, MADV_WIPEONFORK) = -1 EINVAL (Invalid argument) <0.000002>
        23752 17:57:30.717200 pkey_alloc(0, 0)  = -1 EINVAL (Invalid argument) <0.000003>
        23752 17:57:30.717214 pkey_mprotect(0x7fcd0b854000, 4096, PROT_READ, 1) = -1 EINVAL (Invalid argument) <0.000003>
        """);
    assertThat(out.why(4))
        .contains("MADV_WIPEONFORK applies only to private anonymous memory")
        .contains("shared (VM_SHARED)")
        .doesNotContain("built without");
    assertThat(out.why(5))
        .startsWith("pkey_alloc failed with EINVAL")
        .contains("arch_set_user_pkey_access")
        .contains("no memory protection keys");
    assertThat(out.why(6))
        .contains("protection key 1 is not one this process was given")
        .contains("mm_pkey_is_allocated")
        .contains("the pkey_alloc at line 5 failed")
        .doesNotContain("not page-aligned")
        .doesNotContain("a zero length");
  }

  @Test
  void mlockallDoesNotFaultInPrononeMappings() {
    // pn.c (strace -o): mlockall(MCL_CURRENT) marks the PROT_NONE mappings locked (the two, now
    // both VM_LOCKED, merge into one), but smaps then showed them 'lo' with Rss 0: __mm_populate
    // cannot fault in memory no access is allowed to
    Run.Out out =
        Run.explain(
            """
        execve("./pn", ["./pn"], 0x7fff3fdc34b0 /* 35 vars */) = 0
        mmap(NULL, 16384, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fd633d95000
        mlock2(0x7fd633d95000, 16384, MLOCK_ONFAULT) = 0
        mmap(NULL, 16384, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fd633d91000
        mlockall(MCL_CURRENT)                   = 0
        """);
    assertThat(out.why(3)).contains("until munlock, munlockall, munmap, execve or exit");
    assertThat(out.why(5))
        .contains("faults in every page its protection lets it touch")
        .contains("its PROT_NONE mapping (32 KiB) is locked but not faulted in")
        .doesNotContain("faults all of it in");
  }

  @Test
  void anMlockallWithoutMclFutureEndsAnEarlierOne() {
    // k1.c: apply_mlockall_flags clears VM_LOCKED from mm->def_flags before it reads MCL_FUTURE,
    // so the second call undoes the first's MCL_FUTURE
    Run.Out out =
        Run.explain(
            """
        14910 13:05:27.111172 mlockall(MCL_FUTURE|MCL_ONFAULT) = 0 <0.000016>
        14910 13:05:27.111330 mlockall(MCL_CURRENT|MCL_ONFAULT) = 0 <0.000093>
        """);
    assertThat(out.why(1)).contains("until munlockall or an mlockall without MCL_FUTURE");
    assertThat(out.why(2))
        .contains("it ends the mlockall(MCL_FUTURE) of line 1")
        .contains("mappings made from now on are not locked");
  }

  @Test
  void mlockallLocksEveryAreaAndEveryLaterMappingInTheModel() {
    // la.c, printing /proc/PID/maps after each step: mlock of half a mapping splits it; then
    // mlockall(MCL_CURRENT|MCL_FUTURE) locks every area, so the kernel merged the pieces and the
    // anonymous mapping beside them (7fe391df9000-7fe391dff000); a mapping made below it after
    // that is locked too (mm->def_flags) and merged (7fe391df5000-7fe391dff000); munlockall
    // unlocks all and leaves it one area
    Run.Out out =
        Run.explain(
            """
        20355 18:54:25.313974 execve("./la", ["./la"], 0x7ffd385f9838 /* 35 vars */) = 0 <0.000297>
        20355 18:54:25.315183 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe391dfd000 <0.000082>
        20355 18:54:25.318109 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe391df9000 <0.000048>
        20355 18:54:25.318218 mlock(0x7fe391df9000, 8192) = 0 <0.000058>
        20355 18:54:25.330415 mlockall(MCL_CURRENT|MCL_FUTURE) = 0 <0.000328>
        20355 18:54:25.365362 mmap(0x7fe391df5000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) = 0x7fe391df5000 <0.000028>
        20355 18:54:25.408104 munlockall()      = 0 <0.000097>
        """);
    assertThat(out.at(5).changes())
        .anySatisfy(
            ch -> {
              assertThat(ch.after()).isNotNull();
              assertThat(ch.after().start()).isEqualTo(0x7fe391df9000L);
              assertThat(ch.after().end()).isEqualTo(0x7fe391dff000L);
            });
    assertThat(out.at(6).changes())
        .anySatisfy(
            ch -> {
              assertThat(ch.after()).isNotNull();
              assertThat(ch.after().start()).isEqualTo(0x7fe391df5000L);
              assertThat(ch.after().end()).isEqualTo(0x7fe391dff000L);
            });
  }

  @Test
  void aLockedFileMappingIsFaultedInAtMmapNotOnFirstTouch() {
    // lf.c: smaps showed both 16 KiB mappings of GPL-3 with Rss 16 kB before any touch: do_mmap
    // populates a VM_LOCKED mapping, whether MAP_LOCKED or mlockall(MCL_FUTURE) made it locked
    Run.Out out =
        Run.explain(
            """
        31432 18:58:45.557813 execve("./lf", ["./lf"], 0x7fff4c60a630 /* 35 vars */) = 0 <0.000238>
        31432 18:58:45.559122 openat(AT_FDCWD</tmp/h-secure>, "/usr/share/common-licenses/GPL-3", O_RDONLY) = 3</usr/share/common-licenses/GPL-3> <0.000006>
        31432 18:58:45.559153 mmap(NULL, 16384, PROT_READ, MAP_PRIVATE|MAP_LOCKED, 3</usr/share/common-licenses/GPL-3>, 0) = 0x7f00d3659000 <0.000656>
        31432 18:58:45.559839 mlockall(MCL_FUTURE) = 0 <0.000004>
        31432 18:58:45.559858 mmap(NULL, 16384, PROT_READ, MAP_PRIVATE, 3</usr/share/common-licenses/GPL-3>, 0) = 0x7f00d3655000 <0.000009>
        """);
    assertThat(out.why(3))
        .contains("Locked (MAP_LOCKED): the kernel faults the pages in during the call")
        .doesNotContain("read in on first touch");
    assertThat(out.why(5))
        .contains("the mlockall(MCL_FUTURE) of line 4 is in force")
        .doesNotContain("read in on first touch");
  }

  @Test
  void heapGrowthUnderMclFutureIsLockedAndMergesOnlyWithALockedHeap() {
    // lb.c, printing its [heap] lines: do_brk_flags gives the growth mm->def_flags; after
    // mlockall(MCL_CURRENT|MCL_FUTURE) [heap] stays one area (56131f680000-56131f684000), after
    // mlockall(MCL_FUTURE) alone the growth is a second one (559aded46000-559aded48000)
    String both =
        """
        23516 19:06:18.837998 execve("./lb", ["./lb"], 0x7fff0a1b1f38 /* 35 vars */) = 0 <0.000094>
        23516 19:06:18.838170 brk(NULL)         = 0x56131f680000 <0.000002>
        23516 19:06:18.838976 brk(NULL)         = 0x56131f680000 <0.000002>
        23516 19:06:18.838985 brk(0x56131f682000) = 0x56131f682000 <0.000004>
        23516 19:06:18.838995 mlockall(MCL_CURRENT|MCL_FUTURE) = 0 <0.000134>
        23516 19:06:18.839135 brk(0x56131f684000) = 0x56131f684000 <0.000005>
        """;
    String future =
        """
        23524 19:06:18.893992 execve("./lb", ["./lb", "x"], 0x7fff0b007d00 /* 35 vars */) = 0 <0.000088>
        23524 19:06:18.894153 brk(NULL)         = 0x559aded44000 <0.000002>
        23524 19:06:18.894945 brk(NULL)         = 0x559aded44000 <0.000002>
        23524 19:06:18.894954 brk(0x559aded46000) = 0x559aded46000 <0.000004>
        23524 19:06:18.894964 mlockall(MCL_FUTURE) = 0 <0.000003>
        23524 19:06:18.894973 brk(0x559aded48000) = 0x559aded48000 <0.000010>
        """;
    assertThat(Run.explain(both).at(6).changes())
        .anySatisfy(
            ch -> {
              assertThat(ch.after()).isNotNull();
              assertThat(ch.after().start()).isEqualTo(0x56131f680000L);
              assertThat(ch.after().end()).isEqualTo(0x56131f684000L);
            });
    assertThat(Run.explain(future).at(6).changes())
        .anySatisfy(
            ch -> {
              assertThat(ch.before()).isNull();
              assertThat(ch.after().start()).isEqualTo(0x559aded46000L);
              assertThat(ch.after().end()).isEqualTo(0x559aded48000L);
            });
  }
}
