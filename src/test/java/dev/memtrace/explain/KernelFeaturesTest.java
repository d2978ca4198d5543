package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Memory calls beyond plain mmap, munmap and brk, as real programs make them (fio 3.33, stress-ng
 * 0.15, small C programs; Linux 6.18, glibc 2.36, strace -f -tt -T): what each call did is read
 * from its arguments and the kernel's rules for it, and what the trace cannot show is not said.
 */
class KernelFeaturesTest {

  @Test
  void anIoUringFdsRingsAreNamedByTheirOffsetNotToldAsAFile() {
    // fio --ioengine=io_uring: io_uring_setup returns fd 6; fio maps the SQ ring, the SQEs and the
    // CQ ring by their IORING_OFF_* offsets (io_uring_mmap); a live snapshot shows each as
    // anon_inode:[io_uring] rw-s
    Run.Out out =
        Run.explain(
            """
        15563 13:06:03.384623 io_uring_setup(8, {flags=IORING_SETUP_CQSIZE|IORING_SETUP_COOP_TASKRUN|0x3000, sq_thread_cpu=0, sq_thread_idle=0, sq_entries=8, cq_entries=8, features=IORING_FEAT_SINGLE_MMAP|IORING_FEAT_NODROP, sq_off={head=0, tail=4, ring_mask=16, ring_entries=24, flags=36, dropped=32, array=192}, cq_off={head=8, tail=12, ring_mask=20, ring_entries=28, overflow=44, cqes=64, flags=40}}) = 6 <0.000273>
        15563 13:06:03.385131 mmap(NULL, 224, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_POPULATE, 6, 0) = 0x7fc637e57000 <0.000059>
        15563 13:06:03.385249 mmap(NULL, 512, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_POPULATE, 6, 0x10000000) = 0x7fc637e56000 <0.000037>
        15563 13:06:03.385334 mmap(NULL, 192, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_POPULATE, 6, 0x8000000) = 0x7fc637e55000 <0.000027>
        15563 13:06:05.386319 munmap(0x7fc637e57000, 224) = 0 <0.000059>
        """);
    assertThat(out.why(2))
        .startsWith("the program maps 224 bytes of the io_uring instance behind fd 6")
        .contains("IORING_OFF_SQ_RING")
        .contains("io_uring_mmap")
        .doesNotContain("SIGBUS")
        .doesNotContain("writes go to the file")
        .doesNotContain("inferred");
    assertThat(out.at(2).why().get(0).rule()).isEqualTo("io-uring-ring");
    assertThat(out.why(3)).contains("IORING_OFF_SQES (offset 0x10000000)");
    assertThat(out.why(4)).contains("IORING_OFF_CQ_RING (offset 0x8000000)");
    assertThat(out.at(2).changes().get(0).after().path()).isEqualTo("anon_inode:[io_uring]");
    assertThat(out.why(5)).startsWith("unmaps the io_uring SQ ring made at line 2");
  }

  @Test
  void aMappingOfDevZeroIsAnonymousMemoryNotAFilesPages() {
    // mmap_zero (drivers/char/mem.c): shared, shmem_zero_setup gives it a shmem file named
    // dev/zero; private, vma_set_anonymous; a live snapshot shows rw-s /dev/zero (deleted) and
    // rw-p /dev/zero
    Run.Out out =
        Run.explain(
            """
        14910 13:05:27.115800 openat(AT_FDCWD, "/dev/zero", O_RDWR) = 5 <0.000030>
        14910 13:05:27.115853 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED, 5, 0) = 0x7fa9ed99d000 <0.000052>
        14910 13:05:27.115934 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE, 5, 0) = 0x7fa9ed991000 <0.000016>
        """);
    assertThat(out.why(2))
        .startsWith("the program maps 16384 bytes of /dev/zero (PROT_READ|PROT_WRITE, MAP_SHARED)")
        .contains("shared anonymous memory")
        .contains("/dev/zero (deleted) rw-s")
        .doesNotContain("SIGBUS")
        .doesNotContain("writes go to the file");
    assertThat(out.at(2).changes().get(0).after().path()).isEqualTo("/dev/zero (deleted)");
    assertThat(out.why(3))
        .contains("anonymous memory (vma_set_anonymous)")
        .doesNotContain("page cache and are copied")
        .doesNotContain("raises SIGBUS");
    assertThat(out.at(3).changes().get(0).after().path()).isEqualTo("/dev/zero");
    assertThat(out.at(3).changes().get(0).after().perms()).isEqualTo("rw-p");
  }

  @Test
  void lockingSaysWhatEachFlagLocksAndWhenPagesComeIn() {
    // k1.c and stress-ng --mlock: mlock faults the range in (__mm_populate); MLOCK_ONFAULT and
    // MCL_ONFAULT lock pages only as they are touched; MCL_FUTURE locks later mappings only
    Run.Out out =
        Run.explain(
            """
        14910 13:05:27.110819 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa9ed9b1000 <0.000022>
        14910 13:05:27.110879 mlock(0x7fa9ed9b1000, 32768) = 0 <0.00005>
        14910 13:05:27.111001 munlock(0x7fa9ed9b1000, 32768) = 0 <0.000024>
        14910 13:05:27.111064 mlock2(0x7fa9ed9b1000, 16384, MLOCK_ONFAULT) = 0 <0.000021>
        14910 13:05:27.111172 mlockall(MCL_FUTURE|MCL_ONFAULT) = 0 <0.000016>
        14910 13:05:27.111330 mlockall(MCL_CURRENT|MCL_ONFAULT) = 0 <0.000093>
        14910 13:05:27.111637 mlockall(MCL_FUTURE) = 0 <0.000017>
        14910 13:05:27.111691 munlockall() = 0 <0.000018>
        10089 13:01:38.863148 mlock(0x7f4751609000, 0) = 0 <0.000036>
        10089 13:01:38.863565 mlock(NULL, 18446744073709551615) = 0 <0.000013>
        """);
    assertThat(out.why(2))
        .startsWith("locks 32768 bytes of the 65536-byte anonymous mapping made at line 1")
        .contains("faults every page of it in now");
    assertThat(out.at(2).why().get(0).basis().name()).isEqualTo("ARITHMETIC");
    assertThat(out.why(3)).startsWith("unlocks 32768 bytes of the 65536-byte anonymous mapping");
    assertThat(out.why(4))
        .contains("MLOCK_ONFAULT")
        .contains("nothing is faulted in by this call")
        .doesNotContain("faulted in now");
    assertThat(out.why(5))
        .startsWith("locks no mapping the process has now, only every mapping made from now on")
        .contains("as it is first touched");
    assertThat(out.why(6)).contains("nothing is faulted in by this call");
    assertThat(out.why(7)).startsWith("locks no mapping the process has now");
    assertThat(out.why(8)).startsWith("unlocks every mapping of the process");
    assertThat(out.why(9)).startsWith("no page is locked: the length is 0");
    assertThat(out.why(10)).contains("wraps to 0");
    assertThat(out.at(10).checks()).isEmpty();
  }

  @Test
  void aLockCallsEinvalIsReadFromItsArgumentsNotFromAlignment() {
    // stress-ng --mlock: mlock rounds the range to pages itself (mlock(2)); EINVAL is a range that
    // wraps, mlock2 flags beyond MLOCK_ONFAULT, or mlockall flags it does not accept
    Run.Out out =
        Run.explain(
            """
        10089 13:01:38.862940 mlock2(0x7f4751609000, 4096, MLOCK_ONFAULT|0xfffffffe) = -1 EINVAL (Invalid argument) <0.000014>
        10089 13:01:38.863383 mlock(0xffffffffffffffff, 4096) = -1 EINVAL (Invalid argument) <0.000013>
        10089 13:01:39.124754 mlockall(MCL_ONFAULT) = -1 EINVAL (Invalid argument) <0.000016>
        """);
    assertThat(out.why(1))
        .contains("hold bits other than MLOCK_ONFAULT")
        .doesNotContain("page-aligned");
    assertThat(out.why(2)).contains("wraps past the top of the address space");
    assertThat(out.why(3)).contains("MCL_ONFAULT alone");
  }

  @Test
  void msyncWritesBackOnlyASharedFilesRangeAndOnlyWithMsSync() {
    // mm/msync.c: vfs_fsync_range only for MS_SYNC on a VM_SHARED mapping with a file; stress-ng
    // --vm and --madvise msync private and shared anonymous memory
    Run.Out out =
        Run.explain(
            """
        14910 13:05:27.116600 openat(AT_FDCWD, "/tmp/kern/c/msync.dat", O_RDWR|O_CREAT|O_TRUNC, 0600) = 6 <0.000040>
        14910 13:05:27.116715 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED, 6, 0) = 0x7fa9ed98d000 <0.000036>
        14910 13:05:27.116815 msync(0x7fa9ed98d000, 16384, MS_SYNC) = 0 <0.007837>
        14910 13:05:27.124730 msync(0x7fa9ed98d000, 4096, MS_ASYNC) = 0 <0.000033>
        14910 13:05:27.124780 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa9ed9b1000 <0.000022>
        14910 13:05:27.124815 msync(0x7fa9ed9b1000, 4096, MS_SYNC) = 0 <0.000017>
        14910 13:05:27.124830 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fa9ed9a0000 <0.000032>
        14910 13:05:27.124840 msync(0x7fa9ed9a0000, 4096, MS_SYNC) = 0 <0.000015>
        """);
    assertThat(out.why(3))
        .startsWith("msync (MS_SYNC) on 16384 bytes of the mapping of msync.dat made at line 2")
        .contains("writes the range's dirty pages back to the file and waits");
    assertThat(out.why(4))
        .contains("without MS_SYNC it starts no write")
        .doesNotContain("writes the range");
    assertThat(out.why(6))
        .contains("nothing to write back: the range is private memory")
        .doesNotContain("shared file mapping back");
    assertThat(out.why(8)).contains("nothing to write back: the pages are shmem");
    // strace -X raw prints MS_SYNC as 0x4, -X verbose as 0x4 /* MS_SYNC */ (corpus mmapfile)
    Run.Out raw =
        Run.explain(
            """
        27920 13:05:27.116600 openat(AT_FDCWD, "/tmp/mapped.bin", O_RDWR|O_CREAT, 0600) = 6 <0.000040>
        27920 13:05:27.116715 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 6, 0) = 0x7f3f90f0f000 <0.000036>
        27920 13:05:27.116815 msync(0x7f3f90f0f000, 4096, 0x4) = 0 <0.000837>
        27920 13:05:27.116915 msync(0x7f3f90f0f000, 4096, 0x4 /* MS_SYNC */) = 0 <0.000837>
        27920 13:05:27.117015 msync(0x7f3f90f0f000, 4096, 0x1) = 0 <0.000037>
        """);
    assertThat(raw.why(3)).contains("MS_SYNC writes the range's dirty pages back");
    assertThat(raw.why(4)).contains("MS_SYNC writes the range's dirty pages back");
    assertThat(raw.why(5)).contains("without MS_SYNC it starts no write");
  }

  @Test
  void aMadvisesEinvalNamesWhatTheArgumentsAndTheRangeShow() {
    // stress-ng --madvise and k1.c: a zero length is no EINVAL for madvise (do_madvise returns
    // 0); MADV_REMOVE on private anonymous memory is (madvise_remove: no vm_file)
    Run.Out out =
        Run.explain(
            """
        9876 13:01:25.541157 mmap(NULL, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE, 0, 0) = 0x7f6dd5600000 <0.001527>
        9876 13:01:25.600000 madvise(0x7f6dd5601000, 4096, MADV_REMOVE) = -1 EINVAL (Invalid argument) <0.000016>
        9876 13:01:25.600100 madvise(0x7f6dd5600001, 4096, MADV_NORMAL) = -1 EINVAL (Invalid argument) <0.000016>
        9876 13:01:25.600200 madvise(0x7f6dd5600000, 4096, MADV_DONTNEED) = -1 EINVAL (Invalid argument) <0.000016>
        """);
    assertThat(out.why(2))
        .contains("private anonymous memory, with no file behind it")
        .doesNotContain("page-aligned");
    assertThat(out.at(2).why().get(0).basis().name()).isEqualTo("ARITHMETIC");
    assertThat(out.why(3)).contains("0x7f6dd5600001 is not page-aligned");
    assertThat(out.why(4))
        .contains("locked memory (mlock, mlockall) and VM_PFNMAP mappings")
        .doesNotContain("a zero length")
        .endsWith("(inferred from the pattern)");
  }

  @Test
  void aForkAfterMadvWipeOnForkSaysTheChildGetsThoseRangesZeroFilled() {
    // k1.c: dup_mmap gives a child a VM_WIPEONFORK range empty (reads see zeros), not a
    // copy-on-write copy; a fork with no such madvise before it is told as before
    Run.Out out =
        Run.explain(
            """
        14910 13:05:27.110819 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa9ed9b1000 <0.000022>
        14910 13:05:27.111000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fa9ed9c1a10) = 14911 <0.000639>
        14910 13:05:27.112291 madvise(0x7fa9ed9b6000, 4096, MADV_WIPEONFORK) = 0 <0.000018>
        14910 13:05:27.112342 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fa9ed9c1a10) = 14912 <0.000603>
        """);
    assertThat(out.why(2)).doesNotContain("WIPEONFORK");
    assertThat(out.why(4))
        .contains("marked MADV_WIPEONFORK at line 3, if still mapped, the child gets zero-filled");
    assertThat(out.at(4).why().get(0).evidence()).isNotEmpty();
  }

  @Test
  void madvWillneedOnAnonymousMemoryReadsNothingAhead() {
    // stress-ng --mmap: MADV_WILLNEED over a 256 MiB anonymous mapping; madvise_willneed reads a
    // file's pages ahead (vfs_fadvise) but for anonymous memory only swapped-out pages back
    Run.Out out =
        Run.explain(
            """
        9788 13:01:18.105700 mmap(NULL, 268435456, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f87057d6000 <0.000030>
        9788 13:01:18.105822 madvise(0x7f87057d6000, 268435456, MADV_WILLNEED) = 0 <0.000156>
        9788 13:01:18.105900 openat(AT_FDCWD, "/tmp/kern/fio.dat", O_RDONLY) = 6 <0.000061>
        9788 13:01:18.106000 mmap(NULL, 67108864, PROT_READ, MAP_SHARED, 6, 0) = 0x7f05e5400000 <0.000092>
        9788 13:01:18.106100 madvise(0x7f05e5400000, 67108864, MADV_WILLNEED) = 0 <0.000022>
        """);
    assertThat(out.why(2))
        .contains("anonymous memory has no file to read ahead")
        .doesNotContain("read the range ahead");
    assertThat(out.why(5)).contains("file pages into the page cache");
  }

  /**
   * MAP_POPULATE on a memfd: mm_populate has no disk to read ahead from; shmem finds each page in
   * the file's page cache or adds it zero-filled (shmem_fault). It read "reads the file ahead".
   */
  @Test
  void populateOnAMemfdReadsNoDisk() {
    Run.Out out =
        Run.explain(
            """
            7001 10:00:00.000001 memfd_create("buf", MFD_CLOEXEC) = 3 <0.000020>
            7001 10:00:00.000002 ftruncate(3, 65536) = 0 <0.000010>
            7001 10:00:00.000003 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_POPULATE, 3, 0) = 0x7f0000000000 <0.000030>
            """);
    assertThat(out.why(3))
        .contains("The file lives in memory (shmem, tmpfs), not on a disk. MAP_POPULATE")
        .contains("finds each in the file's page cache or adds it zero-filled")
        .doesNotContain("reads the file ahead");
  }

  /**
   * plocate bash (plocate 1.1.18, Debian 12; strace -f -tt -T -y) reads its database through an
   * io_uring of 256 entries: the SQ ring (9280 bytes, the CQ ring in the same pages) and the SQEs
   * (256 × 64 bytes). The kernel writes the rings' heads and the CQEs, but only reads the SQEs:
   * io_get_sqe (io_uring/io_uring.c) takes each as a const struct io_uring_sqe.
   */
  @Test
  void theSqesAreWrittenByTheProgramAndOnlyReadByTheKernel() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/plocate_io_uring_rings.log").toURI()));
    assertThat(out.why(4))
        .contains("IORING_OFF_SQ_RING")
        .contains("the program and the kernel both read and write them");
    assertThat(out.why(5))
        .contains("IORING_OFF_SQES (offset 0x10000000)")
        .contains("the program writes them and the kernel only reads them (io_get_sqe")
        .doesNotContain("both read and write");
  }
}
