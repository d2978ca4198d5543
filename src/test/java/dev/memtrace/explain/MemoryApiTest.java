package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Small C programs that each call one memory API as real programs do (mallopt, realloc, shmat, mmap
 * flags; gcc 12, glibc 2.36, strace -f -tt -T): what the trace cannot show stays a pattern, and
 * what the flags show is said.
 */
class MemoryApiTest {

  /** A program's startup: ld.so's and libc's brk(NULL), then malloc's first growth of [heap]. */
  private static final String MALLOC_STARTED =
      """
      23391 19:49:14.819700 brk(NULL)         = 0x55c295648000 <0.000040>
      23391 19:49:14.819872 brk(NULL)         = 0x55c295648000 <0.000040>
      23391 19:49:14.819975 brk(0x55c295669000) = 0x55c295669000 <0.000130>
      """;

  @Test
  void aMappingBelowTheThresholdMayBeMallocsWhenTheProgramLoweredIt() {
    // mallopt(M_MMAP_THRESHOLD, 65536); then malloc(200000) and malloc(70000), both mmapped
    // (sysmalloc: nb >= mp_.mmap_threshold), free(200000): no_dyn_threshold keeps it 65536
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        23391 19:49:14.820403 mmap(NULL, 200704, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f637eb73000 <0.000062>
        23391 19:49:14.820900 mmap(NULL, 73728, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f637eb61000 <0.000060>
        """);
    assertThat(out.why(5))
        .startsWith("a direct anonymous mmap of 73728 bytes")
        .contains("so likely the program or a library asked the kernel for it itself")
        .contains("unless it lowered the threshold (mallopt(M_MMAP_THRESHOLD)")
        .endsWith("(inferred from the pattern)");
    assertThat(out.at(5).why().get(0).basis().name()).isEqualTo("PATTERN");
  }

  @Test
  void mprotectReadOnlyOfAnAnonymousMappingOrInAProcessMetMidwayIsNotRelro() {
    // _dl_protect_relro protects an object's PT_GNU_RELRO part of its data segment: never
    // anonymous memory an mmap in the trace made, and never at all once startup is over (a
    // process strace attached to), unless dlopen is loading an object
    Run.Out started =
        Run.explain(
            """
        23391 19:49:14.819000 execve("/usr/bin/prog", ["prog"], 0x7ffc2b954ce0 /* 9 vars */) = 0 <0.000400>
        23391 19:49:14.819700 brk(NULL)         = 0x55c295648000 <0.000040>
        23391 19:49:14.819800 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f637eb73000 <0.000062>
        23391 19:49:14.819900 mprotect(0x7f637eb73000, 4096, PROT_READ) = 0 <0.000020>
        23391 19:49:14.820000 mprotect(0x7f637ec00000, 16384, PROT_READ) = 0 <0.000020>
        """);
    assertThat(started.why(4))
        .startsWith("changes 4096 bytes at offset 0x0 of the ")
        .doesNotContain("RELRO");
    assertThat(started.why(5))
        .as("memory no call made, in a startup the trace shows: ld.so's own data")
        .startsWith("RELRO: after relocating ld.so itself");
    Run.Out midway =
        Run.explain(
            """
        23391 19:49:14.820000 mprotect(0x7f637ec00000, 16384, PROT_READ) = 0 <0.000020>
        23391 19:49:14.820100 mprotect(0x55c295600000, 4096, PROT_READ) = 0 <0.000020>
        """);
    assertThat(midway.why(1)).doesNotContain("RELRO");
    assertThat(midway.why(2)).doesNotContain("RELRO");
  }

  @Test
  void mprotectReadOnlyOfPartOfAPageIsNotRelro() {
    // chromium, in a renderer forked from its zygote (glibc malloc never started there):
    // _dl_protect_relro rounds both ends of PT_GNU_RELRO down to a page, so a length that is not
    // whole pages is the program's own mprotect of its data, not ld.so's RELRO
    Run.Out out =
        Run.explain(
            """
        25296 01:05:28.930000 execve("/usr/lib/chromium/chromium", ["chromium"], 0x7ffc2b954ce0 /* 9 vars */) = 0 <0.000400>
        25296 01:05:28.931000 brk(NULL)         = 0x55665b000000 <0.000040>
        25296 01:05:28.937027 mprotect(0x556659ebe000, 4110, PROT_READ) = 0 <0.000020>
        25296 01:05:28.937100 mprotect(0x556659ec0000, 8192, PROT_READ) = 0 <0.000020>
        """);
    assertThat(out.why(3)).doesNotContain("RELRO");
    assertThat(out.why(4)).startsWith("RELRO: after relocating the executable");
  }

  @Test
  void aBufferInAPartOfAReservationMadeUsableIsNotCalledProtNone() {
    // chromium's browser process: a PROT_NONE reservation whose pages mprotect makes RW one run
    // at a time; a recvfrom into such a part reads into memory that is rw-p now
    Run.Out out =
        Run.explain(
            """
        25018 01:05:25.799686 mmap(0x25800000000, 34359738368, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x25800000000 <0.000092>
        25018 01:05:26.539573 mprotect(0x25c000e8000, 49152, PROT_READ|PROT_WRITE) = 0 <0.000112>
        25018 01:05:27.133032 recvfrom(31, 0x25c000e8000, 8192, MSG_DONTWAIT, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable) <0.000068>
        25018 01:05:27.133100 recvfrom(31, 0x25800000000, 8192, MSG_DONTWAIT, NULL, NULL) = -1 EFAULT (Bad address) <0.000068>
        """);
    assertThat(out.why(3))
        .contains("17180819456 bytes into the 34359738368-byte reservation made at line 1")
        .contains("(reserved PROT_NONE; this part has since been made rw-p)")
        .doesNotContain("(reserved (PROT_NONE))");
    assertThat(out.why(4)).contains("(reserved (PROT_NONE))");
  }

  @Test
  void aMadviseWithAnAdviceNoKernelDefinesFailsForTheAdvice() {
    // chromium's browser process: madvise(page, 4096, -1) fails, then MADV_WIPEONFORK on the same
    // page; do_madvise checks madvise_behavior_valid before the range
    Run.Out out =
        Run.explain(
            """
        25018 01:05:26.262000 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f9ed2fc7000 <0.000020>
        25018 01:05:26.262220 madvise(0x7f9ed2fc7000, 4096, 0xffffffff /* MADV_??? */) = -1 EINVAL (Invalid argument) <0.000010>
        25018 01:05:26.262300 madvise(0x7f9ed2fc7001, 4096, MADV_DONTNEED) = -1 EINVAL (Invalid argument) <0.000010>
        """);
    assertThat(out.why(2))
        .startsWith("madvise failed with EINVAL: the advice 0xffffffff is no MADV_* value")
        .contains("madvise_behavior_valid")
        .doesNotContain("not page-aligned");
    assertThat(out.why(3)).contains("not page-aligned");
  }

  @Test
  void aMappingPlacedWhileAnotherThreadsMunmapRanIsStillNamedByItsLine() {
    // chromium's network service: thread 25473 maps a memfd where thread 25464's munmap, whose
    // line comes later, has just freed memory; the model keeps the new mapping, and the next
    // munmap of that range unmaps what line 3 made, not memory the trace never showed
    Run.Out out =
        Run.explain(
            """
        25464 01:05:32.941029 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f801c5f8990, parent_tid=0x7f801c5f8990, exit_signal=0, stack=0x7f801bdf8000, stack_size=0x7ff3c0, tls=0x7f801c5f86c0} => {parent_tid=[25473]}, 88) = 25473 <0.001879>
        25464 01:05:35.480000 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_SHARED, 56, 0) = 0x7f7f9a4bd000 <0.000720>
        25473 01:05:35.496194 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_SHARED, 57, 0 <unfinished ...>
        25464 01:05:35.496208 munmap(0x7f7f9a4bd000, 65536 <unfinished ...>
        25473 01:05:35.496447 <... mmap resumed>) = 0x7f7f9a4bd000 <0.000242>
        25464 01:05:35.496458 <... munmap resumed>) = 0 <0.000229>
        25464 01:05:35.510175 munmap(0x7f7f9a4bd000, 65536) = 0 <0.000100>
        """);
    String last = out.why(7);
    assertThat(last)
        .contains("the mapping made at line 3")
        .doesNotContain("did not show being made")
        .doesNotContain("mapped before the trace began");
  }

  @Test
  void mprotectReadOnlyInAForkedChildIsNotRelro() {
    // chromium's zygote forks renderers; they mprotect a page of the executable's data PROT_READ
    // long after: ld.so relocated the executable in the process that exec'd, never in a fork child
    Run.Out out =
        Run.explain(
            """
        25123 01:05:26.267870 execve("/usr/lib/chromium/chromium", ["chromium"], 0x7ffc2b954ce0 /* 9 vars */) = 0 <0.000400>
        25123 01:05:26.268000 brk(NULL)         = 0x55665b000000 <0.000040>
        25123 01:05:26.268100 mprotect(0x556659de0000, 8192, PROT_READ) = 0 <0.000020>
        25123 01:05:28.479379 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f8021ffc5d0) = 25296 <0.006145>
        25296 01:05:28.939000 mprotect(0x556659de7000, 4096, PROT_READ) = 0 <0.000020>
        """);
    assertThat(out.why(3)).startsWith("RELRO: after relocating the executable");
    assertThat(out.why(5)).doesNotContain("RELRO");
  }

  @Test
  void aFreeRaisesTheThresholdOnlyUnlessMallocWasTuned() {
    // _int_free raises mp_.mmap_threshold only while !mp_.no_dyn_threshold, which mallopt's
    // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD and M_MMAP_MAX (and MALLOC_*_) set
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        23391 19:49:14.820403 mmap(NULL, 200704, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f637eb73000 <0.000062>
        23391 19:49:14.820900 munmap(0x7f637eb73000, 200704) = 0 <0.000060>
        23391 19:49:14.821000 mmap(NULL, 303104, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f637eb73000 <0.000062>
        23391 19:49:14.821200 mmap(NULL, 303104, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f637eb13000 <0.000062>
        23391 19:49:14.821400 munmap(0x7f637eb73000, 303104) = 0 <0.000060>
        23391 19:49:14.821900 munmap(0x7f637eb13000, 303104) = 0 <0.000060>
        """);
    assertThat(out.why(5))
        .contains("glibc's dynamic mmap threshold rises to the freed chunk's size 200704")
        .contains(
            "unless the program tuned malloc with mallopt, MALLOC_*_ environment variables or"
                + " GLIBC_TUNABLES, which turn the dynamic threshold off (the trace does not show"
                + " them)");
    assertThat(out.why(8)).contains("rises to the freed chunk's size 303104");
    assertThat(out.why(9)).contains("The mmap threshold stays 303104, unless the program tuned");
  }

  @Test
  void aReadOnlyShmatIsShownReadOnly() {
    // do_shmat: SHM_RDONLY maps the segment PROT_READ; maps shows r--s (seen live)
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        17957 19:47:31.406258 shmget(IPC_PRIVATE, 3145728, IPC_CREAT|0600) = 0 <0.000049>
        17957 19:47:31.406352 shmat(0, NULL, 0) = 0x7feaf18fc000 <0.000021>
        17957 19:47:31.406475 shmat(0, NULL, SHM_RDONLY) = 0x7feaf15fc000 <0.000016>
        """);
    assertThat(out.why(5)).contains("/SYSV<key> (deleted) rw-s").doesNotContain("SHM_RDONLY");
    assertThat(out.why(6))
        .contains("/SYSV<key> (deleted) r--s (SHM_RDONLY: a write through it faults)")
        .doesNotContain("rw-s");
  }

  @Test
  void aPopulatedFileMappingIsReadInDuringTheCall() {
    // mmap(2): MAP_POPULATE prefaults the page tables, reading the file ahead (mm_populate)
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        17968 19:47:31.592728 openat(AT_FDCWD, "/tmp/audit-c/data.bin", O_RDWR) = 3 <0.000044>
        17968 19:47:31.592874 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0x100000) = 0x7fc5bfd80000 <0.00005>
        17968 19:47:31.671764 mmap(NULL, 1048576, PROT_READ, MAP_PRIVATE|MAP_POPULATE, 3, 0) = 0x7fc5bfa93000 <0.008106>
        """);
    assertThat(out.why(5)).contains("Pages are read in on first touch");
    assertThat(out.why(6))
        .contains("MAP_POPULATE: the kernel prefaults the pages during the call")
        .doesNotContain("on first touch;");
  }

  @Test
  void anMmapsEnomemIsToldForMmapAndAHugetlbOneByTheHugePagePool() {
    // mmap(2) never fails for an unmapped range; MAP_HUGETLB with vm.nr_hugepages 0 fails in
    // hugetlb_reserve_pages (hugetlb_acct_memory returns -ENOMEM)
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        17968 19:47:31.688945 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0) = -1 ENOMEM (Cannot allocate memory) <0.000065>
        17968 19:47:31.688946 mmap(NULL, 68719476736, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory) <0.000065>
        17968 19:47:31.688947 munmap(0x7f0000000000, 4096) = -1 ENOMEM (Cannot allocate memory) <0.000010>
        """);
    assertThat(out.why(4))
        .startsWith("mmap failed with ENOMEM: most likely too few free huge pages")
        .contains("hugetlb_reserve_pages")
        .doesNotContain("munmap");
    assertThat(out.why(5))
        .startsWith("mmap failed with ENOMEM: no room: no free range of addresses that large")
        .doesNotContain("munmap")
        .doesNotContain("huge");
    // munmap of a range that is not mapped returns 0: its ENOMEM is a split past the map count
    assertThat(out.why(6))
        .contains("one area more than the map count allows")
        .doesNotContain("the address range is not mapped");
  }

  @Test
  void anotherProgramsShortReadsOnItsFdAreNotTiedToItsReadBuffer() {
    // file(1): libmagic reads up to bytes_max (7 MiB) into a malloc'd buffer, then its readelf
    // preads ELF headers into structs of its own on the same fd
    Run.Out out =
        Run.explain(
            """
        28722 19:51:07.089862 execve("/usr/bin/file", ["file", "/bin/ls"], 0x7ffc2b954ce0 /* 39 vars */) = 0 <0.043495>
        28722 19:51:07.100000 brk(NULL)         = 0x564c53549000 <0.000013>
        28722 19:51:07.141273 brk(NULL)         = 0x564c53549000 <0.000013>
        28722 19:51:07.141312 brk(0x564c5356a000) = 0x564c5356a000 <0.000034>
        28722 19:51:07.165394 mmap(NULL, 7344128, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f01deeff000 <0.000042>
        28722 19:51:07.165861 openat(AT_FDCWD, "/bin/ls", O_RDONLY|O_NONBLOCK|O_CLOEXEC) = 3 <0.000027>
        28722 19:51:07.165990 read(3, "\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\320a\0\0\0\0\0\0"..., 7340032) = 151344 <0.001080>
        28722 19:51:07.167835 pread64(3, "\6\0\0\0\4\0\0\0@\0\0\0\0\0\0\0@\0\0\0\0\0\0\0@\0\0\0\0\0\0\0"..., 56, 64) = 56 <0.000039>
        """);
    assertThat(out.why(7))
        .contains("likely through file's buffer of its 7340032-byte read made at line 5");
    assertThat(out.why(8)).doesNotContain("read buffer");
  }

  @Test
  void anMremapOfAMallocSizedMappingFitsReallocButIsNotSaidToBeIt() {
    // apt-cache: pkgCacheGenerator's DynamicMMap maps APT::Cache-Start (24 MiB) anonymous and
    // grows it by APT::Cache-Grow (1 MiB) with mremap(MREMAP_MAYMOVE) (apt-pkg/contrib/mmap.cc)
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        30354 19:51:38.352753 mmap(NULL, 25165824, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fde16c00000 <0.000042>
        30354 19:51:38.895452 mremap(0x7fde16c00000, 25165824, 26214400, MREMAP_MAYMOVE) = 0x7fde15300000 <0.000893>
        """);
    assertThat(out.why(5))
        .startsWith(
            "fits realloc of an mmapped malloc chunk (mremap_chunk), or the program resizing a"
                + " mapping of its own: grows")
        .contains("realloc(p, n) for n from 26210281 to 26214376")
        .contains("so this may well be the program's own mapping")
        .endsWith("(inferred from the pattern)");
  }

  @Test
  void malloc_trimsAdviceAndTrimAreToldAsItsOwn() {
    // malloc_trim(0): mtrim madvises the whole pages of free chunks, then systrim(0) lowers the
    // break keeping only the pad argument, not top_pad
    Run.Out out =
        Run.explain(
            """
        17938 19:47:31.283000 brk(NULL)         = 0x55eca5ba3000 <0.000031>
        17938 19:47:31.283815 brk(NULL)         = 0x55eca5ba3000 <0.000031>
        17938 19:47:31.283876 brk(0x55eca5bc4000) = 0x55eca5bc4000 <0.000014>
        17938 19:47:31.320918 brk(0x55eca673d000) = 0x55eca673d000 <0.000013>
        17938 19:47:31.321452 madvise(0x55eca5bc8000, 11878400, MADV_DONTNEED) = 0 <0.000696>
        17938 19:47:31.322347 brk(0x55eca672c000) = 0x55eca672c000 <0.000029>
        """);
    assertThat(out.why(5))
        .startsWith("MADV_DONTNEED on 11878400 bytes")
        .contains("in [heap] glibc malloc does this only in malloc_trim");
    assertThat(out.why(6))
        .startsWith("the break moves down by 69632 bytes")
        .contains("or when the program called malloc_trim (keeping only its pad argument)");
  }

  @Test
  void aMemfdMappedTwiceLivesInMemoryAndItsReadOnlyMappingIsNotWrittenThrough() {
    // memfd_create + ftruncate, mapped MAP_SHARED read-write and read-only: the file is shmem
    // (mm/shmem.c), a page is zero-filled on first touch; the read-only one cannot be written
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        17957 19:47:31.394326 memfd_create("mt-memfd", MFD_CLOEXEC) = 3 <0.000050>
        17957 19:47:31.394419 ftruncate(3, 1048576) = 0 <0.000016>
        17957 19:47:31.394461 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7feaf1afc000 <0.000017>
        17957 19:47:31.394504 mmap(NULL, 1048576, PROT_READ, MAP_SHARED, 3, 0) = 0x7feaf19fc000 <0.000013>
        """);
    assertThat(out.why(6))
        .contains("MAP_SHARED: writes go to the file")
        .contains("The file lives in memory (shmem, tmpfs), not on a disk")
        .doesNotContain("read in");
    assertThat(out.why(7))
        .contains("PROT_READ, MAP_SHARED, not writable: it shows the file's own page-cache pages")
        .doesNotContain("writes go to the file");
    // neither view is executable: no dual mapping is told
    assertThat(out.at(7).why().get(0).rule()).isEqualTo("file-shared");
  }

  @Test
  void mapNoreserveIsHonouredOnlyWhenOvercommitIsAllowed() {
    // do_mmap: MAP_NORESERVE sets VM_NORESERVE unless sysctl_overcommit_memory is
    // OVERCOMMIT_NEVER
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        17968 19:47:31.688727 mmap(NULL, 68719476736, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fb5bfa00000 <0.000018>
        """);
    assertThat(out.why(4))
        .contains("MAP_NORESERVE: no commit charge (overcommit) is taken for it, unless")
        .contains("vm.overcommit_memory is 2");
  }

  @Test
  void malloc_trimInAThreadsArenaIsNotShrinkHeap() {
    // a thread filled its arena (the grow_heap mprotects merged here into one, its lines given the
    // process's pid, the clone left out) and freed all but
    // the last chunk; malloc_trim(0) in the main thread madvises the free chunk's whole pages
    // (mtrim), which end below the top; free of the last chunk then shrinks the heap (shrink_heap
    // advises from the new top to the end of the RW part)
    Run.Out out =
        Run.explain(
            """
        10048 20:19:07.068733 brk(NULL)         = 0x560f3d490000 <0.000038>
        10048 20:19:07.072910 brk(NULL)         = 0x560f3d490000 <0.000014>
        10048 20:19:07.072952 brk(0x560f3d4b1000) = 0x560f3d4b1000 <0.000016>
        10048 20:19:07.074682 mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f7982c00000 <0.000134>
        10048 20:19:07.074911 munmap(0x7f7982c00000, 20971520) = 0 <0.000103>
        10048 20:19:07.075133 munmap(0x7f7988000000, 46137344) = 0 <0.000077>
        10048 20:19:07.075325 mprotect(0x7f7984000000, 2007040, PROT_READ|PROT_WRITE) = 0 <0.000084>
        10048 20:19:07.129998 madvise(0x7f7984001000, 1978368, MADV_DONTNEED) = 0 <0.000231>
        10048 20:19:07.130897 madvise(0x7f7984021000, 1871872, MADV_DONTNEED) = 0 <0.000138>
        """);
    assertThat(out.why(8))
        .startsWith("MADV_DONTNEED on 1978368 bytes inside a thread's malloc arena")
        .contains("fits malloc_trim")
        .doesNotContain("arena shrinks");
    assertThat(out.why(9)).startsWith("a thread's malloc arena shrinks (shrink_heap)");
  }

  @Test
  void shrinkHeapAgainFromTheTopItLeftIsNotMalloc_trim() {
    // git gc's pack-objects thread (git 2.39): deflateEnd frees zlib's 64 KiB window, prev and head
    // one after another, and each free's heap_trim calls shrink_heap, which advises the top of the
    // heap away and lowers h->size, not mprotect_size (malloc/arena.c): the second range ends where
    // the first began, below the RW end. It was told as malloc_trim's mtrim. The heap then grows
    // back silently inside its RW part, past the new top, and shrinks from there
    Run.Out out =
        Run.explain(
            """
        5276  02:23:16.700000 brk(NULL)         = 0x55c1559ff000 <0.000010>
        5276  02:23:16.700100 brk(NULL)         = 0x55c1559ff000 <0.000010>
        5276  02:23:16.700200 brk(0x55c155a20000) = 0x55c155a20000 <0.000010>
        5276  02:23:16.762754 mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f18ac400000 <0.000016>
        5276  02:23:16.762796 munmap(0x7f18ac400000, 62914560) = 0 <0.000020>
        5276  02:23:16.762841 munmap(0x7f18b4000000, 4194304) = 0 <0.000015>
        5276  02:23:16.762881 mprotect(0x7f18b0000000, 135168, PROT_READ|PROT_WRITE) = 0 <0.000015>
        5276  02:23:16.883998 mprotect(0x7f18b0021000, 237568, PROT_READ|PROT_WRITE) = 0 <0.000014>
        5276  02:23:16.884512 madvise(0x7f18b004b000, 65536, MADV_DONTNEED) = 0 <0.000093>
        5276  02:23:16.884640 madvise(0x7f18b003b000, 65536, MADV_DONTNEED) = 0 <0.000096>
        5276  02:23:16.903393 mprotect(0x7f18b005b000, 8192, PROT_READ|PROT_WRITE) = 0 <0.000019>
        5276  02:23:16.903683 madvise(0x7f18b004d000, 65536, MADV_DONTNEED) = 0 <0.000057>
        5276  02:23:16.903827 madvise(0x7f18b003d000, 65536, MADV_DONTNEED) = 0 <0.000110>
        5276  02:23:16.905231 madvise(0x7f18b004c000, 65536, MADV_DONTNEED) = 0 <0.000102>
        5276  02:23:16.905380 madvise(0x7f18b003c000, 65536, MADV_DONTNEED) = 0 <0.000109>
        """);
    assertThat(out.why(9)).startsWith("a thread's malloc arena shrinks (shrink_heap)");
    assertThat(out.why(10))
        .startsWith("a thread's malloc arena shrinks again (shrink_heap)")
        .contains("right below those the MADV_DONTNEED at line 9 dropped")
        .doesNotContain("malloc_trim");
    assertThat(out.why(11)).contains("arena grows (grow_heap)");
    assertThat(out.why(12)).startsWith("a thread's malloc arena shrinks (shrink_heap)");
    assertThat(out.why(13)).contains("right below those the MADV_DONTNEED at line 12 dropped");
    assertThat(out.why(14))
        .contains("ending above the heap's top after line 13 (0x7f18b003d000)")
        .contains("fits shrink_heap once the heap grew back")
        .contains("or malloc_trim");
    assertThat(out.why(15)).contains("right below those the MADV_DONTNEED at line 14 dropped");
  }

  @Test
  void aProgramCallingMmapItselfIsNotMallocWhenTheStackShowsIt() {
    // GCC 12's cc1 (under make -j2): ggc-page's alloc_anon maps GGC_QUIRE_SIZE pages (2 MiB) with
    // mmap itself for its garbage-collected heap; -k shows libc's __mmap called from
    // ggc_internal_alloc, no malloc frame, yet the size fitted malloc's mmap path and was told so.
    // The mapping beside it, with malloc on the stack, stays malloc's
    Run.Out out =
        Run.explain(
            """
        19688 brk(NULL)                         = 0x2d6e3000
        19688 brk(NULL)                         = 0x2d6e3000
        19688 brk(0x2d704000)                   = 0x2d704000
        19688 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f144ba00000
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
         > /usr/lib/gcc/x86_64-linux-gnu/12/cc1(ggc_internal_alloc(unsigned long, void (*)(void*), unsigned long, unsigned long)+0x77e) [0x36ed3e]
         > /usr/lib/gcc/x86_64-linux-gnu/12/cc1(init_ttree()+0x20) [0xa50890]
         > /usr/lib/gcc/x86_64-linux-gnu/12/cc1(main+0x2b) [0x27655b]
        19688 mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f144b800000
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__default_morecore+0x20e4) [0x98114]
         > /usr/lib/x86_64-linux-gnu/libc.so.6(malloc+0x19a) [0x98aca]
         > /usr/lib/gcc/x86_64-linux-gnu/12/cc1(xmalloc+0xe) [0x4a1f3e]
        """);
    Explanation own = out.at(4).why().get(0);
    assertThat(own.rule()).isEqualTo("anon-direct");
    assertThat(own.basis()).isEqualTo(Explanation.Basis.STACK);
    assertThat(own.text())
        .contains("the stack shows cc1:ggc_internal_alloc")
        .contains("not glibc malloc's mmap path")
        .doesNotContain("malloc(n)");
    assertThat(out.at(9).why().get(0).rule()).isEqualTo("malloc-mmap");
  }

  @Test
  void ldSoInAnMmapAreaBelow0x7fIsNotTheExecutable() {
    // cat under strace --relative-timestamps=ns: the kernel put the mmap area at 0x7efd…
    // (mmap_base randomises up to 2^40 bytes below the stack), and ld.so's own RELRO at
    // 0x7efdf2abe000 read "after relocating the executable (cat, ...)"
    Run.Out out =
        Run.explain(
            """
        execve("/usr/bin/cat", ["cat", "/tmp/flags/big.bin"], 0x7fff19ea7a70 /* 39 vars */) = 0
        brk(NULL) = 0x55d0e8b90000
        mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7efdf2a83000
        arch_prctl(ARCH_SET_FS, 0x7efdf2892740) = 0
        mprotect(0x55d0e3a13000, 4096, PROT_READ) = 0
        mprotect(0x7efdf2abe000, 8192, PROT_READ) = 0
        """);
    assertThat(out.why(5)).startsWith("RELRO: after relocating the executable");
    assertThat(out.why(6)).startsWith("RELRO: after relocating ld.so itself");
  }

  /**
   * file /usr/bin/* (file 5.44, Debian 12; strace -f -tt -T -y): libmagic mallocs its 7 MiB read
   * buffer (bytes_max plus slop) for the first file, reads it, frees it; the free raises glibc's
   * mmap threshold, so the next file's 7340032-byte read goes into [heap] (strace -e raw=read shows
   * its address there), not into this buffer. The mapping's sentence rests on the one read at line
   * 8, not on "the reads that follow".
   */
  @Test
  void aBufferNamedByOneReadSaysThatRead() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/file_magic_read_buffer.log").toURI()));
    assertThat(out.why(6))
        .startsWith("fits a buffer for file's 7340032-byte read at line 8")
        .contains(
            "(inferred from the pattern: the 7340032-byte read at line 8 fits the arithmetic"
                + " exactly)")
        .doesNotContain("reads that follow");
  }
}
