package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import org.junit.jupiter.api.Test;

/**
 * Shared memory as servers and small C programs make it (strace -f -tt -T, Debian 12, glibc 2.36):
 * a memfd mapped twice and moved by mremap, shared anonymous memory mapped read-only, then fork.
 * What maps shows is said as maps shows it, and a name's " (deleted)" is not part of the name.
 */
class SharedMemoryTest {

  /** A program's startup: ld.so's and libc's brk(NULL), then malloc's first growth of [heap]. */
  private static final String MALLOC_STARTED =
      """
      14861 00:02:25.819700 brk(NULL)         = 0x55c295648000 <0.000040>
      14861 00:02:25.819872 brk(NULL)         = 0x55c295648000 <0.000040>
      14861 00:02:25.819975 brk(0x55c295669000) = 0x55c295669000 <0.000130>
      """;

  @Test
  void sharedAnonymousMemoryIsShownWithThePermissionsItsProtGives() {
    // shmem_zero_setup names it dev/zero; maps prints its vm_flags (calc_vm_prot_bits), so a
    // PROT_READ mapping is r--s, not rw-s
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        14861 00:02:25.828784 mmap(NULL, 4096, PROT_READ, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fe3675f5000 <0.000028>
        14861 00:02:25.828863 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fe3675f1000 <0.000038>
        """);
    assertThat(out.why(4))
        .contains("shown as /dev/zero (deleted) r--s in maps")
        .doesNotContain("rw-s");
    assertThat(out.why(5)).contains("shown as /dev/zero (deleted) rw-s in maps");
  }

  @Test
  void aMemfdIsNamedByTheNameItWasGivenNotByItsMapsNameWithDeleted() {
    // memfd_create makes its file with alloc_file_pseudo, in no directory: maps shows
    // /memfd:mtbuf (deleted), but the memfd's name is mtbuf
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        14861 00:02:25.827708 memfd_create("mtbuf", MFD_CLOEXEC) = 3 <0.000119>
        14861 00:02:25.827928 ftruncate(3, 65536) = 0 <0.000026>
        14861 00:02:25.828010 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7fe3673f8000 <0.000033>
        14861 00:02:25.830092 ftruncate(3, 131072) = 0 <0.00002>
        14861 00:02:25.830148 mremap(0x7fe3673f8000, 65536, 131072, MREMAP_MAYMOVE) = 0x7fe3672c8000 <0.002162>
        14861 00:02:25.834748 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fe367408a10) = 14870 <0.002786>
        """);
    assertThat(out.why(6))
        .startsWith(
            "the program maps 65536 bytes of the memfd \"mtbuf\" (memfd_create's file, in no"
                + " directory: maps shows /memfd:mtbuf (deleted)) from offset 0");
    assertThat(out.why(8))
        .startsWith("grows the mapping of memfd \"mtbuf\" made at line 6")
        .doesNotContain("(deleted)");
    assertThat(out.why(9)).contains("mapping of memfd \"mtbuf\" (line 6)");
    // the kernel's name says what the memory is, whatever the mapping's sentence tagged it
    assertThat(out.at(6).classes()).containsExactly(RegionClass.SHARED_MEMORY);
  }

  @Test
  void aFileUnlinkedBeforeItIsMappedIsNamedWithoutDeleted() {
    // shm_open, shm_unlink, then mmap of the still open fd: maps shows the path with " (deleted)"
    // (d_path of an unlinked dentry), which is not part of the file's name
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        14861 00:02:25.828347 openat(AT_FDCWD, "/dev/shm/mtshm", O_RDWR|O_CREAT|O_NOFOLLOW|O_CLOEXEC, 0600) = 4 <0.000094>
        14861 00:02:25.828520 ftruncate(4, 8192) = 0 <0.000035>
        14861 00:02:25.828699 unlink("/dev/shm/mtshm") = 0 <0.000041>
        14861 00:02:25.828592 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 4, 0) = 0x7fe3675f6000 <0.000032>
        14861 00:02:25.828864 munmap(0x7fe3675f6000, 8192) = 0 <0.000038>
        """);
    assertThat(out.why(7))
        .startsWith(
            "the program maps 8192 bytes of /dev/shm/mtshm (unlinked since it was opened: maps"
                + " shows /dev/shm/mtshm (deleted)) from offset 0")
        .contains("The file lives in memory");
    assertThat(out.why(8))
        .isEqualTo("unmaps the mapping of mtshm made at line 7 (inferred from the pattern)");
  }

  @Test
  void aWorkersLdSoCacheLookupIsADlopensNotStartups() {
    // an nginx worker, forked after startup, runs initgroups: NSS dlopens libnss_systemd, and
    // _dl_open (elf/dl-open.c) unmaps the cache when the dlopen returns, not at startup's end
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        14861 00:04:31.712455 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f25229b8a10) = 14870 <0.000826>
        14870 00:04:31.721300 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 8 <0.000035>
        14870 00:04:31.721416 mmap(NULL, 42723, PROT_READ, MAP_PRIVATE, 8, 0) = 0x7f25228ad000 <0.00187>
        14870 00:04:31.728031 munmap(0x7f25228ad000, 42723) = 0 <0.000063>
        """);
    assertThat(out.why(6))
        .startsWith("ld.so maps /etc/ld.so.cache whole (42723 bytes, the file's size)")
        .contains("a library that dlopen asked for")
        .contains("_dl_open unmaps it when that dlopen returns")
        .doesNotContain("startup is done");
  }

  @Test
  void localeAliasMappedSharedThroughStdioIsNotSetlocalesLocaleData() {
    // locale -a (run by initdb) reads locale.alias through stdio's mmap mode: decide_maybe_mmap
    // (libio/fileops.c) maps the file MAP_SHARED and seeks to its end; _nl_load_locale maps an
    // LC_* file MAP_PRIVATE (MAP_COPY)
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        7927 00:00:58.120353 openat(AT_FDCWD, "/usr/share/locale/locale.alias", O_RDONLY) = 3 <0.000044>
        7927 00:00:58.120579 mmap(NULL, 2996, PROT_READ, MAP_SHARED, 3, 0) = 0x7f3d6f158000 <0.000042>
        7927 00:00:58.120676 lseek(3, 2996, SEEK_SET) = 2996 <0.000038>
        7927 00:00:58.120700 openat(AT_FDCWD, "/usr/lib/locale/C.utf8/LC_CTYPE", O_RDONLY|O_CLOEXEC) = 4 <0.000044>
        7927 00:00:58.120710 mmap(NULL, 353616, PROT_READ, MAP_PRIVATE, 4, 0) = 0x7f3d6f000000 <0.000042>
        """);
    assertThat(out.why(5))
        .startsWith("the program maps 2996 bytes of /usr/share/locale/locale.alias from offset 0")
        .contains("MAP_SHARED")
        .doesNotContain("setlocale");
    assertThat(out.why(8)).startsWith("setlocale or newlocale loads the LC_CTYPE locale data");
  }

  @Test
  void aMunmapOfAWholeLibraryImageIsToldAsThatImageNotItsFirstSegment() {
    // su's PAM: pam_end dlcloses each module, and _dl_unmap_segments unmaps the whole span ld.so
    // reserved, all its segments in one munmap
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        7824 00:00:53.234460 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/security/pam_permit.so", O_RDONLY|O_CLOEXEC) = 5 <0.000023>
        7824 00:00:53.237859 mmap(NULL, 16400, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 5, 0) = 0x7f68c0583000 <0.000058>
        7824 00:00:53.237949 mmap(0x7f68c0584000, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 5, 0x1000) = 0x7f68c0584000 <0.000022>
        7824 00:00:53.237997 mmap(0x7f68c0585000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 5, 0x2000) = 0x7f68c0585000 <0.000015>
        7824 00:00:53.238038 mmap(0x7f68c0586000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 5, 0x2000) = 0x7f68c0586000 <0.000016>
        7824 00:00:53.238158 close(5)          = 0 <0.000014>
        7824 00:00:53.238241 mprotect(0x7f68c0586000, 4096, PROT_READ) = 0 <0.000041>
        7824 00:01:01.834362 munmap(0x7f68c0583000, 16400) = 0 <0.000066>
        """);
    assertThat(out.why(11))
        .startsWith(
            "unmaps the whole image of pam_permit.so that ld.so mapped at lines 5 to 8 (16400"
                + " bytes, the span ld.so reserved for it): fits dlclose")
        .doesNotContain("first segment (headers");
  }

  @Test
  void sqlitesSharedMappingsFitItsWalIndexAndItsMmapIo() {
    // sqlite3 with PRAGMA journal_mode=WAL and mmap_size: os_unix.c's unixShmMap maps the -shm
    // file read-write and shared, unixMapfile the database read-only and shared, and
    // unixRemapfile grows that view with mremap(MREMAP_MAYMOVE); said only once libsqlite3 is
    // loaded, and as what the mappings fit
    String lib =
        """
        19287 00:05:06.510762 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libsqlite3.so.0", O_RDONLY|O_CLOEXEC) = 3 <0.000068>
        19287 00:05:06.511018 mmap(NULL, 1437528, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fadfc9af000 <0.000024>
        19287 00:05:06.511077 mmap(0x7fadfc9d5000, 999424, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7fadfc9d5000 <0.000033>
        19287 00:05:06.511685 close(3)          = 0 <0.000051>
        """;
    String db =
        """
        19287 00:05:06.538826 openat(AT_FDCWD, "/tmp/srv/t.db", O_RDWR|O_CREAT|O_NOFOLLOW|O_CLOEXEC, 0644) = 3 <0.000128>
        19287 00:05:06.574857 openat(AT_FDCWD, "/tmp/srv/t.db-shm", O_RDWR|O_CREAT|O_NOFOLLOW|O_CLOEXEC, 0644) = 5 <0.000087>
        19287 00:05:06.578380 mmap(NULL, 32768, PROT_READ|PROT_WRITE, MAP_SHARED, 5, 0) = 0x7fadfcb11000 <0.000042>
        19287 00:05:06.663094 mmap(NULL, 282624, PROT_READ, MAP_SHARED, 3, 0) = 0x7fadfc5f9000 <0.000049>
        19287 00:05:06.695428 mremap(0x7fadfc5f9000, 282624, 557056, MREMAP_MAYMOVE) = 0x7fadfc571000 <0.000275>
        """;
    Run.Out out = Run.explain(lib + db);
    assertThat(out.why(7))
        .contains("a page wholly beyond the end of the file raises SIGBUS. In a process that")
        .contains("fits SQLite's unixShmMap (os_unix.c)")
        .endsWith("(inferred from the pattern)");
    assertThat(out.why(8)).contains("fits SQLite's unixMapfile (os_unix.c)");
    assertThat(out.why(9))
        .startsWith("grows the mapping of t.db made at line 8 from 282624 to 557056 bytes")
        .contains("fits SQLite's unixRemapfile (os_unix.c)");
    // a file's mapping resized is no malloc chunk's realloc: its own rule
    assertThat(out.at(9).why()).extracting(Explanation::rule).containsExactly("mremap-file");
    Run.Out other = Run.explain(db);
    assertThat(other.why(3)).doesNotContain("SQLite");
    assertThat(other.why(4)).doesNotContain("SQLite");
    assertThat(other.why(5)).doesNotContain("SQLite");
  }

  @Test
  void aCacheLookupAfterLdSoAskedForLdSoPreloadIsStartups() {
    // a thread's execve whose new program's lines carry no pid lands in the old space, where the
    // thread pointer was set: dl_main's access("/etc/ld.so.preload") still marks the next
    // ld.so.cache mapping as startup's (dlopen never asks for that file)
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        14861 00:04:31.683726 arch_prctl(ARCH_SET_FS, 0x7f25229b8740) = 0 <0.000015>
        14861 00:04:31.721200 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory) <0.000020>
        14861 00:04:31.721300 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 8 <0.000035>
        14861 00:04:31.721416 mmap(NULL, 42723, PROT_READ, MAP_PRIVATE, 8, 0) = 0x7f25228ad000 <0.00187>
        14861 00:04:31.731300 openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 8 <0.000035>
        14861 00:04:31.731416 mmap(NULL, 42723, PROT_READ, MAP_PRIVATE, 8, 0) = 0x7f25227ad000 <0.00187>
        """);
    assertThat(out.why(7)).contains("once startup is done").doesNotContain("dlopen");
    assertThat(out.why(9)).contains("_dl_open unmaps it when that dlopen returns");
  }

  @Test
  void aMunmapOverSeveralRangesThatNameNoObjectNamesEach() {
    // two anonymous mappings side by side, unmapped by one call: no object to compare
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        14861 00:02:25.828863 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fe3675f1000 <0.000038>
        14861 00:02:25.828963 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe3675ef000 <0.000038>
        14861 00:02:25.829063 munmap(0x7fe3675ef000, 24576) = 0 <0.000038>
        """);
    assertThat(out.why(6))
        .startsWith("unmaps the ")
        .contains("made at line 5, then the shared anonymous memory made at line 4");
  }

  /**
   * strace -s 8: memfd_create("mymemfdl"..., ...) (python3, os.memfd_create("mymemfdlongname")) was
   * told as the memfd "mymemfdl", a cut name presented as whole, and maps as /memfd:mymemfdl.
   */
  @Test
  void aMemfdNameStraceCutIsSaidToBeCut() {
    Run.Out out =
        Run.explain(
            """
            memfd_create("mymemfdl"..., MFD_CLOEXEC) = 3
            ftruncate(3, 8192) = 0
            mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7fb367886000
            munmap(0x7fb367886000, 8192) = 0
            """);
    assertThat(out.at(3).changes().get(0).after().path())
        .isEqualTo("/memfd:mymemfdl... (cut by strace -s) (deleted)");
    assertThat(out.at(3).classes()).containsExactly(RegionClass.SHARED_MEMORY);
    assertThat(out.why(3))
        .contains(
            "the memfd \"mymemfdl... (cut by strace -s)\" (memfd_create's file, in no directory:"
                + " maps shows /memfd:NAME (deleted) with the whole name)")
        .doesNotContain("\"mymemfdl\"");
    assertThat(out.why(4)).contains("memfd \"mymemfdl... (cut by strace -s)\"");
  }
}
