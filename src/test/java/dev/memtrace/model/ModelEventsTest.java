package dev.memtrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Events to model: fds, processes and strace's spellings of the same call. */
class ModelEventsTest {

  final MemoryModel model = new MemoryModel();
  final List<String> notes = new ArrayList<>();

  List<RegionChange> feed(String... lines) {
    List<RegionChange> changes = new ArrayList<>();
    for (TraceEvent e : TraceReader.parseAll(String.join("\n", lines) + "\n")) {
      Outcome o = model.apply(e);
      changes.addAll(o.changes());
      notes.addAll(o.notes());
    }
    return changes;
  }

  String maps(int pid) {
    AddressSpace s = model.space(pid);
    return s == null
        ? null
        : s.regions().stream()
            .map(
                r ->
                    (Long.toHexString(r.start())
                            + "-"
                            + Long.toHexString(r.end())
                            + " "
                            + r.perms()
                            + " "
                            + Long.toHexString(r.offset())
                            + " "
                            + r.path())
                        .strip())
            .collect(Collectors.joining("\n"));
  }

  static final String EXEC = "10 execve(\"/bin/x\", [\"x\"], 0x7ffc /* 1 var */) = 0";

  @Test
  void anFdNamesItsMappingWithoutDecorations() {
    feed(
        EXEC,
        "10 openat(AT_FDCWD, \"/usr/lib/libz.so\", O_RDONLY|O_CLOEXEC) = 3",
        "10 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7f0000000000",
        "10 dup2(3, 7) = 7",
        "10 close(3) = 0",
        "10 mmap(NULL, 4096, PROT_READ, MAP_SHARED, 7, 0x1000) = 0x7f0000010000",
        "10 mmap(NULL, 4096, PROT_READ, MAP_SHARED, 3, 0) = 0x7f0000020000");
    assertThat(maps(10))
        .isEqualTo(
            String.join(
                "\n",
                "7f0000000000-7f0000002000 r--p 0 /usr/lib/libz.so",
                "7f0000010000-7f0000011000 r--s 1000 /usr/lib/libz.so",
                "7f0000020000-7f0000021000 r--s 0 [unknown file, fd 3]"));
    assertThat(notes).anySatisfy(n -> assertThat(n).contains("fd 3 is unknown"));
  }

  @Test
  void decorationsRelativePathsAndMemfds() {
    feed(
        EXEC,
        "10 openat(AT_FDCWD</home/u>, \"data.bin\", O_RDWR) = 3",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 4</usr/lib/x.so>, 0) = 0x7f0000010000",
        "10 memfd_create(\"scratch\", MFD_CLOEXEC) = 5",
        "10 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 5, 0) = 0x7f0000020000",
        "10 fcntl(5, F_DUPFD_CLOEXEC, 10) = 11",
        "10 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 11, 0x1000) = 0x7f0000021000");
    assertThat(maps(10))
        .isEqualTo(
            String.join(
                "\n",
                "7f0000000000-7f0000001000 r--p 0 /home/u/data.bin",
                "7f0000010000-7f0000011000 r--p 0 /usr/lib/x.so",
                "7f0000020000-7f0000022000 rw-s 0 /memfd:scratch (deleted)"));
  }

  @Test
  void anUnlinkedOrRenamedMappedFileIsShownSo() {
    List<RegionChange> changes =
        feed(
            EXEC,
            "10 openat(AT_FDCWD</tmp>, \"perf\", O_RDWR|O_CREAT, 0600) = 3",
            "10 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f0000000000",
            "10 rename(\"/tmp/perf\", \"/tmp/perf2\") = 0",
            "10 unlinkat(AT_FDCWD, \"/tmp/perf2\", 0) = 0",
            "10 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0x1000) = 0x7f0000010000");
    assertThat(maps(10))
        .isEqualTo(
            String.join(
                "\n",
                "7f0000000000-7f0000001000 rw-s 0 /tmp/perf2 (deleted)",
                "7f0000010000-7f0000011000 rw-s 1000 /tmp/perf2 (deleted)"));
    assertThat(changes).extracting(c -> c.op().symbol).containsExactly("+", "~", "~", "+");
  }

  @Test
  void closeOnExecFdsDoNotSurviveExecve() {
    feed(
        EXEC,
        "10 openat(AT_FDCWD, \"/a\", O_RDONLY|O_CLOEXEC) = 3",
        "10 openat(AT_FDCWD, \"/b\", O_RDONLY) = 4",
        "10 execve(\"/bin/y\", [\"y\"], 0x7ffc /* 1 var */) = 0",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 4, 0) = 0x7f0000010000");
    assertThat(maps(10)).contains("[unknown file, fd 3]").contains("/b");
  }

  @Test
  void closeRangeClosesOrMarksAndHighFdsAreKeptToo() {
    feed(
        EXEC,
        "10 openat(AT_FDCWD, \"/a\", O_RDONLY) = 3",
        "10 openat(AT_FDCWD, \"/b\", O_RDONLY) = 4",
        "10 openat(AT_FDCWD, \"/c\", O_RDONLY) = 5",
        "10 dup2(5, 4000) = 4000",
        "10 fcntl(3, F_DUPFD, 100) = 100",
        "10 close_range(4, 4, 0) = 0",
        "10 close_range(101, 4294967295, CLOSE_RANGE_CLOEXEC) = 0",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 4, 0) = 0x7f0000010000",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 4000, 0) = 0x7f0000020000",
        "10 execve(\"/bin/y\", [\"y\"], 0x7ffc /* 1 var */) = 0",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 100, 0) = 0x7f0000000000",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 5, 0) = 0x7f0000010000",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 4000, 0) = 0x7f0000020000");
    assertThat(maps(10))
        .isEqualTo(
            String.join(
                "\n",
                "7f0000000000-7f0000001000 r--p 0 /a",
                "7f0000010000-7f0000011000 r--p 0 /c",
                "7f0000020000-7f0000021000 r--p 0 [unknown file, fd 4000]"));
    assertThat(notes).anySatisfy(n -> assertThat(n).contains("fd 4 is unknown"));
    assertThat(notes).filteredOn(n -> n.contains("fd 4000")).hasSize(1); // after the execve only
  }

  @Test
  void threadsShareForkCopiesVforkSharesUntilExecve() {
    feed(
        EXEC,
        "10 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000",
        "10 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM,"
            + " exit_signal=0, stack=0x7f1000000000, stack_size=0x7fff80}, 88) = 11",
        "11 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000100000",
        "10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD,"
            + " child_tidptr=0x7f0000000a10) = 12",
        "12 munmap(0x7f0000000000, 4096) = 0",
        "10 vfork() = 13",
        "13 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000200000",
        "13 execve(\"/bin/true\", [\"true\"], 0x7ffc /* 1 var */) = 0",
        "13 brk(NULL) = 0x5600000000",
        "13 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000300000");
    assertThat(model.space(11)).isSameAs(model.space(10));
    assertThat(maps(10))
        .isEqualTo(
            String.join(
                "\n",
                "7f0000000000-7f0000001000 rw-p 0",
                "7f0000100000-7f0000102000 r--p 0",
                "7f0000200000-7f0000201000 r--p 0"));
    assertThat(maps(12)).isEqualTo("7f0000100000-7f0000102000 r--p 0");
    assertThat(maps(13)).isEqualTo("7f0000300000-7f0000301000 r--p 0");
    assertThat(model.processOf(11)).isEqualTo(10);
    assertThat(model.processOf(12)).isEqualTo(12);
  }

  @Test
  void aChildSeenBeforeItsCloneReturnsIsBoundToItsParent() {
    feed(
        EXEC,
        "10 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000",
        "10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>",
        "12 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000100000",
        "10 <... clone resumed>, child_tidptr=0x7f0000000a10) = 12");
    assertThat(maps(12))
        .isEqualTo(
            String.join(
                "\n", "7f0000000000-7f0000001000 rw-p 0", "7f0000100000-7f0000101000 r--p 0"));
    assertThat(maps(10)).isEqualTo("7f0000000000-7f0000001000 rw-p 0");
  }

  @Test
  void rawVerboseAndAbbreviatedSpellingsMeanTheSame() {
    feed(
        "1 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000",
        "2 mmap(NULL, 0x2000, 0x3, 0x22, 0xffffffff, 0) = 0x7f0000000000",
        "3 mmap(NULL, 8192, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */,"
            + " -1, 0) = 0x7f0000000000");
    assertThat(maps(1))
        .isEqualTo(maps(2))
        .isEqualTo(maps(3))
        .isEqualTo("7f0000000000-7f0000002000 rw-p 0");
  }

  @Test
  void failedAndUnfinishedCallsChangeNothing() {
    List<RegionChange> changes =
        feed(
            "1 mmap(NULL, 4096, PROT_READ, MAP_SHARED, 12345, 0) = -1 EBADF (Bad file descriptor)",
            "1 mremap(0x1000, 4096, 8192, 0) = -1 EFAULT (Bad address)",
            "1 munmap(0x7f0000000000, 4096 <unfinished ...>");
    assertThat(changes).isEmpty();
    assertThat(model.space(1) == null || model.space(1).isEmpty()).isTrue();
  }

  @Test
  void whatTheModelCannotKnowIsSaidNotInvented() {
    List<RegionChange> changes =
        feed(
            "20 mprotect(0x5600000000, 4096, PROT_READ) = 0",
            "20 munmap(0x7f0000000000, 8192) = 0",
            "20 mmap(NULL, 4096, PROT_READ|PROT_FUTURE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000",
            "20 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_WHATEVER, -1, 0) = 0x7f0000010000",
            "20 mremap(0x7e0000000000, 4096, 8192, MREMAP_MAYMOVE) = 0x7f0000020000",
            "20 brk(0x5600100000) = 0x5600100000",
            "20 madvise(0x7f0000000000, 4096, MADV_SOMETHING_NEW) = 0",
            "20 mmap(NULL, 0, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000030000",
            "20 munmap(0xfffffffffffff000, 0xffffffffffffffff) = 0",
            "garbage ((( = ",
            "20 mmap(");
    assertThat(notes)
        .anySatisfy(n -> assertThat(n).contains("was not seen starting"))
        .anySatisfy(
            n ->
                assertThat(n)
                    .contains(
                        "mprotect of 0x5600000000-0x5600001000: the model"
                            + " knew no memory there"))
        .anySatisfy(n -> assertThat(n).contains("unknown protection PROT_READ|PROT_FUTURE"))
        .anySatisfy(n -> assertThat(n).contains("unknown mmap flags"))
        .anySatisfy(n -> assertThat(n).contains("what now lies at 0x7f0000020000"))
        .anySatisfy(n -> assertThat(n).contains("the break before this call is unknown"))
        .anySatisfy(n -> assertThat(n).contains("unknown madvise advice"))
        .anySatisfy(n -> assertThat(n).contains("which the kernel refuses"));
    assertThat(maps(20))
        .isEqualTo(
            String.join(
                "\n",
                "7f0000000000-7f0000001000 uuup 0",
                "7f0000010000-7f0000011000 r--u 0 [unknown]",
                "7f0000020000-7f0000022000 unkn 0 [unknown]"));
    assertThat(changes).isNotEmpty();
  }

  @Test
  void fileNamesAreHeldAsTheirBytesAsTheKernelsMapsShowsThem() {
    feed(
        EXEC,
        "10 openat(AT_FDCWD, \"caf\\303\\251.txt\", O_RDONLY) = 3</t/caf\\303\\251.txt>",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3</t/caf\\303\\251.txt>, 0) = 0x7f0000000000",
        "10 openat(AT_FDCWD, \"q\\\"<x>\", O_RDONLY) = 4</t/q\\\"\\74x\\76>",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 4</t/q\\\"\\74x\\76>, 0) = 0x7f0000010000",
        "10 openat(AT_FDCWD, \"/t/bad\\377\", O_RDONLY) = 5",
        "10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 5, 0) = 0x7f0000020000");
    // /proc/PID/maps read one char per byte
    List<Region> kernel =
        MapsFormat.parse(
            String.join(
                "\n",
                "7f0000000000-7f0000001000 r--p 00000000 fe:00 1 /t/caf\u00c3\u00a9.txt",
                "7f0000010000-7f0000011000 r--p 00000000 fe:00 2 /t/q\"<x>",
                "7f0000020000-7f0000021000 r--p 00000000 fe:00 3 /t/bad\u00ff"));
    List<Region> mine = model.space(10).regions();
    assertThat(mine).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(Agreement.same(mine.get(i), kernel.get(i))).as(mine.get(i).path()).isTrue();
      assertThat(mine.get(i).path()).isEqualTo(kernel.get(i).path());
    }
  }

  @Test
  void shmatUsesTheSizeFromShmget() {
    feed(
        EXEC,
        "10 shmget(IPC_PRIVATE, 10000, IPC_CREAT|0600) = 14",
        "10 shmat(14, NULL, 0) = 0x7f0000000000",
        "10 shmat(99, NULL, SHM_RDONLY) = 0x7f0000100000");
    assertThat(maps(10)).isEqualTo("7f0000000000-7f0000003000 rw-s 0 /SYSV00000000 (deleted)");
    assertThat(notes).anySatisfy(n -> assertThat(n).contains("size is unknown"));
    feed("10 shmdt(0x7f0000000000) = 0");
    assertThat(maps(10)).isEmpty();
  }

  /**
   * perf_mmap marks a perf ring VM_DONTCOPY (its pinned pages are accounted per mm), so dup_mmap
   * leaves it out of a fork child: a C program's perf_event_open ring, then fork, under strace -f;
   * the child's /proc/self/maps had no anon_inode:[perf_event] line, and a live run's snapshots
   * agreed only once the model left it out too.
   */
  @Test
  void aPerfRingIsNotCopiedIntoAForkChild() throws Exception {
    Path log = Path.of(getClass().getResource("/logs-extra/perf_ring_fork.log").toURI());
    feed(Files.readString(log).strip().split("\n"));
    assertThat(maps(6319)).contains("anon_inode:[perf_event]");
    assertThat(maps(6320)).isNotNull().doesNotContain("perf_event");
  }

  // ./nf (strace -tt -T -y, no -f; Debian 12, glibc 2.36): main maps 1 MiB, a thread unmaps it,
  // and main's next mmap gets the same range back
  static final String[] UNFOLLOWED_THREAD = {
    "mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fc0b2d72000",
    "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM"
        + "|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7fc0b2d71990,"
        + " parent_tid=0x7fc0b2d71990, exit_signal=0, stack=0x7fc0b2571000, stack_size=0x7fff80,"
        + " tls=0x7fc0b2d716c0} => {parent_tid=[1107]}, 88) = 1107",
    "mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fc0b2d72000",
    "munmap(0x7fc0b2d72000, 1048576) = 0"
  };

  @Test
  void aMappingOverMemoryAThreadStraceDidNotFollowFreedIsNotKeptFromItsOwnMunmap() {
    // the thread's munmap is not in a log without -f: the later munmap is the new mapping's own
    // (it read "was already reused by a mapping whose line came first ... it stays")
    feed(UNFOLLOWED_THREAD);
    assertThat(notes)
        .filteredOn(n -> n.startsWith("a clone in this log made threads"))
        .singleElement()
        .asString()
        .contains(
            "strace followed only this task, as it does without -f (or this is one file of an -ff set)");
    assertThat(notes)
        .filteredOn(n -> n.startsWith("the kernel placed"))
        .singleElement()
        .asString()
        .contains("a munmap the trace does not show freed it")
        .contains("the log shows no pids: strace followed only this task, as it does without -f")
        .doesNotContain("another thread must have");
    assertThat(model.space(0).regions()).isEmpty();
    // a munmap of memory only the unfollowed thread mapped
    feed("munmap(0xfdc65c00000, 262144) = 0");
    assertThat(notes.get(notes.size() - 1))
        .contains("the model knew no memory there")
        .contains("mapped by another thread, whose calls a log without pids leaves out")
        .contains("(strace without -f, or one file of an -ff set)");
  }

  @Test
  void strace_fWritingToStderrPrintsPidsOnlyOnceASecondTaskRunsAndFollowsIt() {
    // strace -f -tt ./nf 2> log: no pid before the clone, "[pid N]" after it; the thread's first
    // memory call is the munmap, and its tid is known from the clone
    feed(
        UNFOLLOWED_THREAD[0],
        UNFOLLOWED_THREAD[1],
        "[pid 1107] munmap(0x7fc0b2d72000, 1048576) = 0",
        "[pid 1106] " + UNFOLLOWED_THREAD[2]);
    assertThat(notes)
        .noneMatch(n -> n.contains("a clone in this log made threads"))
        .noneMatch(n -> n.contains("the kernel placed"));
  }

  @Test
  void aMappingOverMemoryAFollowedThreadMayFreeIsKeptFromThatThreadsLaterMunmap() {
    // the same calls as strace -f shows them: pids, and the thread's munmap still running
    feed(
        "1106 " + UNFOLLOWED_THREAD[0],
        "1106 " + UNFOLLOWED_THREAD[1],
        "1106 " + UNFOLLOWED_THREAD[2],
        "1107 " + UNFOLLOWED_THREAD[3]);
    assertThat(notes)
        .filteredOn(n -> !n.contains("not seen starting"))
        .satisfiesExactly(
            n -> assertThat(n).contains("a munmap still running in another thread must have"),
            n -> assertThat(n).contains("was already reused by a mapping whose line came first"));
    assertThat(maps(1106)).isEqualTo("7fc0b2d72000-7fc0b2e72000 rw-p 0");
  }

  @Test
  void aMappingOverMemoryWithNoOtherTaskInTheSpaceBlamesNoOtherThread() {
    feed("1106 " + UNFOLLOWED_THREAD[0], "1106 " + UNFOLLOWED_THREAD[2]);
    assertThat(notes)
        .filteredOn(n -> !n.contains("not seen starting"))
        .singleElement()
        .asString()
        .contains("a munmap the trace does not show freed it")
        .contains("no other traced task shares this address space");
  }
}
