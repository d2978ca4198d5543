package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Rules on small hand-written traces: faults, failures, flags printed raw, odd input. */
class ExplainerTest {

  private static Run.Out explain(String log) {
    return Run.explain(TraceReader.parseAll(log), Explainer.DEFAULT_WINDOW);
  }

  @Test
  void aNullPointerFaultIsPlacedInTheNullPageAndItsCodeIsRead() {
    Run.Out out =
        explain(
            """
        --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---
        +++ killed by SIGSEGV +++
        """);
    assertThat(out.why(1)).contains("NULL page").contains("SEGV_MAPERR: no mapping at all");
    assertThat(out.stats().memoryEvents()).isEqualTo(1);
    assertThat(out.stats().explained()).isEqualTo(1);
  }

  /** [heap] made by a brk in the trace rests on the trace; only a snapshot's region on it. */
  @Test
  void aSpecialRegionTheTraceMadeRestsOnTheTraceNotOnASnapshot() {
    Run.Out out =
        explain(
            """
        execve("/bin/x", ["x"], 0x7ffc37bac0e0 /* 2 vars */) = 0
        brk(NULL) = 0x555500000000
        brk(0x555500021000) = 0x555500021000
        """);
    Explanation heap =
        out.at(3).why().stream()
            .filter(e -> e.rule().equals("special-region"))
            .findFirst()
            .orElseThrow();
    assertThat(heap.text()).startsWith("[heap]:");
    assertThat(heap.basis()).isEqualTo(Explanation.Basis.ARITHMETIC);
  }

  @Test
  void aWriteToAReadOnlySegmentIsAnAccessError() {
    Run.Out out =
        explain(
            """
        execve("/bin/x", ["x"], 0x7ffc37bac0e0 /* 2 vars */) = 0
        openat(AT_FDCWD, "/lib/libz.so.1", O_RDONLY|O_CLOEXEC) = 3
        mmap(NULL, 106496, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7f0000000000
        mmap(0x7f0000003000, 57344, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x3000) = 0x7f0000003000
        --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7f0000003010} ---
        """);
    assertThat(out.why(4))
        .contains("text segment")
        .contains("/lib/libz.so.1")
        .contains("base + 0x3000");
    assertThat(out.why(5))
        .contains("16 bytes into the libz.so.1 text")
        .contains("read-only segment")
        .contains("SEGV_ACCERR");
  }

  @Test
  void aBusErrorPastTheEndOfAMappedFileIsPlacedInItsMapping() {
    Run.Out out =
        explain(
            """
        brk(NULL) = 0x555500000000
        brk(0x555500021000) = 0x555500021000
        openat(AT_FDCWD, "data.bin", O_RDONLY) = 3
        mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000
        --- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x7f0000001000} ---
        --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x555500021010} ---
        """);
    assertThat(out.why(4))
        .contains(
            "the program maps 8192 bytes of the file \"data.bin\" (a "
                + "path relative to a directory the trace does not show, fd 3)");
    assertThat(out.why(5))
        .contains("4096 bytes into the mapping of data.bin made at line 4")
        .contains("BUS_ADRERR: the address is mapped, but the page lies beyond the end");
    assertThat(out.why(6))
        .contains("16 bytes (16 B) beyond the end of the [heap] made at line 2")
        .contains("past the program break");
  }

  @Test
  void aResultStraceInjectedIsNotTheKernelsAndChangesNothing() {
    // strace -e inject=munmap:retval=0 python3.11 -c 'x=bytearray(10**7); del x', and an
    // injected error: the kernel ran neither call
    Run.Out out =
        explain(
            """
        mmap(NULL, 10002432, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fdc1011e000
        munmap(0x7fdc1011e000, 10002432)        = 0 (INJECTED)
        mmap(NULL, 50, PROT_READ, MAP_PRIVATE, 3, 0) = -1 ENOMEM (Cannot allocate memory) (INJECTED)
        brk(0x555500021000) = 0x555500021000 (INJECTED)
        munmap(0x7fdc1011e000, 4096) = 0 (DELAYED)
        """);
    assertThat(out.at(2).changes()).isEmpty();
    assertThat(out.why(2))
        .isEqualTo(
            "strace's -e inject kept the kernel from running this munmap (strace changes the "
                + "syscall number at entry, tamper_with_syscall_entering) and made its result, 0, "
                + "itself; the address space is unchanged");
    assertThat(out.why(3)).contains("-1 ENOMEM, itself").doesNotContain("no room");
    assertThat(out.at(4).changes()).isEmpty();
    assertThat(out.why(4)).contains("running this brk");
    // a delayed call ran: the first page of the chunk is gone
    assertThat(out.at(5).changes()).isNotEmpty();
    assertThat(out.why(5)).doesNotContain("inject");
    assertThat(out.stats().bytesMapped()).isEqualTo(10002432);
    assertThat(out.stats().bytesUnmapped()).isEqualTo(4096);
  }

  @Test
  void anExecveTheTraceDoesNotShowIsFoundAtTheBrkThatFindsTheBreakElsewhere() {
    // strace -f -e trace=mmap,munmap,brk of pyenv's bash shim, which execs python3 in the same
    // pid: no execve line, but the break is suddenly elsewhere
    String log =
        """
        26323 brk(NULL)                         = 0x55f3c9c83000
        26323 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fc858010000
        26323 brk(NULL)                         = 0x55f3c9c83000
        26323 brk(0x55f3c9ca4000)               = 0x55f3c9ca4000
        26323 brk(NULL)                         = 0x55e28b7fe000
        26323 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fca6a1a9000
        26323 brk(NULL)                         = 0x55e28b7fe000
        26323 brk(0x55e28b81f000)               = 0x55e28b81f000
        """;
    Run.Out out = explain(log);
    assertThat(out.at(5).checks())
        .containsExactly(
            "brk(NULL) returned 0x55e28b7fe000, not the break 0x55f3c9ca4000 of this task's "
                + "address space: only brk and execve move it, so an execve the trace does not "
                + "show replaced the space; the model starts a fresh one here");
    assertThat(out.why(5))
        .contains("an execve the trace does not show")
        .contains("likely the new program's first brk(0)");
    assertThat(out.why(6)).contains("ld.so's minimal malloc");
    // tcache_init mallocs sizeof (tcache_perthread_struct), 640 bytes on x86-64 (64 uint16_t
    // counts, 64 pointers): request2size makes it a 656-byte chunk
    assertThat(out.why(8))
        .contains("[heap] appears")
        .contains("tcache_init's, of its 640-byte tcache_perthread_struct: a 656-byte chunk");

    MemoryModel model = new MemoryModel();
    TraceReader.parseAll(log).forEach(model::apply);
    assertThat(model.space(26323).regions())
        .extracting(Region::start)
        .containsExactly(0x55e28b7fe000L, 0x7fca6a1a9000L);

    // a brk(NULL) that finds the break where the last brk left it is no execve
    Run.Out same =
        explain(
            log.lines().limit(4).collect(Collectors.joining("\n", "", "\n"))
                + "26323 brk(NULL) = 0x55f3c9ca4000\n");
    assertThat(same.at(5).checks()).isEmpty();
    assertThat(same.why(5)).doesNotContain("execve");
  }

  @Test
  void aProcessAttachedToMidwayIsNotStartingAndItsThresholdIsAFloor() {
    // strace -f -p PID of python3 appending 300000-byte bytearrays: ld.so and libc's startup are
    // long over, [heap] exists already, and frees before the attach may have raised the threshold
    Run.Out out =
        explain(
            """
        25431 mmap(NULL, 303104, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa6a264e000
        25431 munmap(0x7fa6a264e000, 303104)    = 0
        25431 brk(0x5634cbf95000)               = 0x5634cbf95000
        25431 brk(0x5634cbfde000)               = 0x5634cbfde000
        """);
    assertThat(out.why(1))
        .startsWith("fits glibc malloc's mmap path")
        .contains("131072 or more: the trace does not show the process start")
        .doesNotContain("minimal malloc");
    assertThat(out.why(2))
        .contains("is now at least 303104")
        .contains("earlier frees may have raised it further")
        .doesNotContain("rises to");
    assertThat(out.why(4))
        .startsWith("the main arena's top chunk ran out")
        .contains("The mmap threshold is at least 303104")
        .doesNotContain("[heap] appears");

    // from its execve on, the same calls are ld.so's and a threshold the trace saw rise
    Run.Out started =
        explain(
            """
        25431 execve("/usr/bin/python3", ["python3"], 0x7ffd02964fd8 /* 39 vars */) = 0
        25431 brk(NULL)                         = 0x5634cbf4b000
        25431 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa6a2698000
        """);
    assertThat(started.why(3)).contains("ld.so's minimal malloc");

    // strace -f -k -e trace=mmap: no brk at all; the stack tells ld.so's own mmap from malloc's
    Run.Out stacks =
        explain(
            """
        26634 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f78a469a000
         > /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2(_dl_catch_error+0x8823) [0x20ca3]
         > /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2(_dl_rtld_di_serinfo+0x1d81) [0xa781]
        26634 mmap(NULL, 266240, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa6bc5e4000
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__default_morecore+0xccc) [0x96cfc]
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_calloc+0x161) [0x99841]
        """);
    assertThat(stacks.why(1)).contains("ld.so's minimal malloc");
    assertThat(stacks.why(4)).startsWith("glibc malloc's mmap path").doesNotContain("ld.so");
  }

  @Test
  void flagsPrintedAsNumbersStillMatchTheRules() {
    Run.Out out =
        explain(
            """
        mmap(NULL, 8392704, 0, 0x20022, -1, 0) = 0x7f1000000000
        mprotect(0x7f1000001000, 8388608, 0x3) = 0
        mmap(NULL, 134217728, 0, 0x4022, -1, 0) = 0x7f2000000000
        """);
    assertThat(out.why(1)).contains("pthread_create makes a thread stack");
    assertThat(out.why(2)).contains("guard page");
    assertThat(out.why(3)).contains("a new per-thread malloc arena");
  }

  @Test
  void aJvmsHeapCodeCacheAndJavaThreadStacksAreRecognisedOnceLibjvmIsLoaded() {
    Run.Out out =
        explain(
            """
        7126  mmap(NULL, 20365008, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3</usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so>, 0) = 0x7f9098200000
        7126  mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f9098100000
        7127  mmap(NULL, 251658240, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f9079400000
        7127  mmap(0x7f9079400000, 2555904, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7f9079400000
        7127  mmap(0x687400000, 6320816128, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x687400000
        7127  mmap(0x687400000, 398458880, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x687400000
        7127  mmap(NULL, 12345344, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fa214062000
        7127  mmap(NULL, 98762752, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fa1f1e44000
        """);
    assertThat(out.why(2)).contains("a Java thread's stack: 1048576 bytes");
    assertThat(out.why(3)).contains("the JIT code cache reserved whole: 240 MiB");
    assertThat(out.why(4)).contains("JIT code cache");
    assertThat(out.why(5))
        .contains("the whole Java heap: 6320816128 bytes")
        .contains("ends exactly at 32 GiB");
    assertThat(out.why(6)).contains("commits 398458880 bytes").contains("Java heap reservation");
    assertThat(out.why(7)).contains("G1 side table").contains("6320816128 / 512 = 12345344");
    assertThat(out.why(8)).contains("G1 marking bitmap").contains("6320816128 / 64 = 98762752");
  }

  @Test
  void aJavaHeapOfSixtyFourMibIsTheJavaHeapNotAMallocArena() {
    // java -Xmx64m: HotSpot places the heap to end at 4 GiB; its size is glibc's HEAP_MAX_SIZE
    Run.Out out =
        explain(
            """
        7126  mmap(NULL, 20365008, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3</usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so>, 0) = 0x7f9098200000
        7127  mmap(0xfc000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0xfc000000
        7127  mmap(0xfc000000, 67108864, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0xfc000000
        """);
    assertThat(out.why(2))
        .contains("the whole Java heap: 67108864 bytes")
        .contains("ends exactly at 4 GiB")
        .doesNotContain("arena");
    assertThat(out.why(3)).contains("Java heap reservation").doesNotContain("arena");
  }

  @Test
  void glibcRemembersOnlyTheUpperHalfOfAnAlignedArenaReservationAndOnlyOnce() {
    Run.Out out =
        explain(
            """
        mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f1008000000
        munmap(0x7f100c000000, 67108864) = 0
        mmap(0x7f100c000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f100c000000
        mmap(0x7f1010000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f1010000000
        """);
    assertThat(out.why(1)).contains("came back aligned").contains("aligned_heap_area");
    assertThat(out.why(3))
        .contains("another malloc arena heap")
        .contains("reservation made at line 1");
    // glibc clears aligned_heap_area once tried: a second 64 MiB-aligned hint is not an arena's
    assertThat(out.why(4)).doesNotContain("malloc arena");
  }

  @Test
  void anArenaAskedForAtTheRememberedAddressMayBePlacedElsewhere() {
    // python3 with three threads: the upper half was taken again before the second arena
    Run.Out out =
        explain(
            """
        535 mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f5d14000000
        535 munmap(0x7f5d18000000, 67108864) = 0
        536 mmap(0x7f5d18000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f5d10000000
        537 mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f5c00000000
        537 munmap(0x7f5c04000000, 67108864) = 0
        538 mmap(0x7f5c04000000, 67108864, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f5bfff00000
        """);
    assertThat(out.why(3))
        .contains("asked for at the address glibc remembered")
        .contains("the kernel placed it at 0x7f5d10000000")
        .contains("glibc keeps it")
        .doesNotContain("another malloc arena heap: 64 MiB PROT_NONE at the address");
    assertThat(out.why(6))
        .contains("placed it at 0x7f5bfff00000, not 64 MiB-aligned")
        .contains("glibc unmaps it")
        .doesNotContain("another malloc arena heap");
  }

  @Test
  void anRwPageAtAnAlignedAddressInARuntimesReservationIsNotAnArena() {
    // node: V8 reserves 512 MiB at a random hint; its first commit falls on a 64 MiB boundary
    Run.Out out =
        explain(
            """
        mmap(0x5680000, 537128960, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f0a33fc1000
        munmap(0x7f0a33fc1000, 258048) = 0
        mprotect(0x7f0a34000000, 8192, PROT_READ|PROT_WRITE) = 0
        madvise(0x7f0a34002000, 4096, MADV_DONTNEED) = 0
        """);
    assertThat(out.why(3)).contains("changes 8192 bytes").doesNotContain("arena");
    assertThat(out.why(4)).doesNotContain("arena");
  }

  /**
   * MADV_DONTNEED says what the next touch finds in the mapping it is on (madvise(2)): zeros only
   * in private anonymous memory; a private file mapping reads the file again and loses its private
   * changes; a shared mapping loses nothing.
   */
  @Test
  void madvDontneedSaysWhatTheNextTouchFindsInItsKindOfMapping() {
    Run.Out out =
        explain(
            """
        openat(AT_FDCWD, "/tmp/data.bin", O_RDWR) = 3
        mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE, 3, 0) = 0x7f0a34000000
        madvise(0x7f0a34000000, 4096, MADV_DONTNEED) = 0
        mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f0a34100000
        madvise(0x7f0a34100000, 4096, MADV_DONTNEED) = 0
        mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0a34200000
        madvise(0x7f0a34200000, 4096, MADV_DONTNEED) = 0
        madvise(0x7f0a34300000, 4096, MADV_DONTNEED) = 0
        """);
    assertThat(out.why(3))
        .contains("reads back the file's contents")
        .contains("private changes made to its pages are lost")
        .doesNotContain("zeros");
    assertThat(out.why(5)).contains("contents are kept").doesNotContain("zeros");
    assertThat(out.why(7)).contains("private anonymous memory reads back as zeros");
    assertThat(out.why(8)).contains("zeros in private anonymous memory, the file's contents");
  }

  /**
   * A program that munmaps the page of main faults fetching its next instruction there: si_addr is
   * then the code address (x86's page fault address, cr2), so it is not said to be a data address.
   */
  @Test
  void siAddrIsTheFaultingAddressWhetherDataOrAnInstructionFetch() {
    Run.Out out =
        explain(
            """
        mmap(NULL, 8192, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0a34000000
        munmap(0x7f0a34000000, 8192) = 0
        --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x7f0a34000236} ---
        """);
    assertThat(out.why(3))
        .contains("the address the access faulted on")
        .contains("when an instruction fetch faulted")
        .doesNotContain("data address touched, not the instruction");
  }

  @Test
  void posixSpawnsChildStackIsNamedByTheCloneThatUsesIt() {
    Run.Out out =
        explain(
            """
        658   set_tid_address(0x7f34cc48ca10) = 658
        658   mmap(NULL, 36864, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f34cc668000
        658   clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f34cc668000, stack_size=0x9000}, 88) = 663
        658   munmap(0x7f34cc668000, 36864) = 0
        """);
    assertThat(out.why(2))
        .contains("posix_spawn's stack for the child (36864 bytes")
        .contains("clone at line 3");
    assertThat(out.why(3)).contains("the child runs on the stack made at line 2");
    assertThat(out.why(4)).contains("unmaps posix_spawn's stack for its child made at line 2");
  }

  @Test
  void aFailedCallIsReadByItsErrno() {
    Run.Out out =
        explain(
            """
        munmap(0x1000, 4096) = -1 EINVAL (Invalid argument)
        mmap(NULL, 4096, PROT_READ, MAP_SHARED, 12345, 0) = -1 EBADF (Bad file descriptor)
        """);
    assertThat(out.why(1)).contains("munmap failed with EINVAL").contains("unchanged");
    assertThat(out.why(2)).contains("the fd is not open");
  }

  @Test
  void anUnknownMappingIsCountedUnexplained() {
    Run.Out out =
        explain(
            """
        munmap(0x7f0000000000, 4096) = 0
        """);
    assertThat(out.at(1).why()).isEmpty();
    assertThat(out.stats().unexplained()).isEqualTo(1);
    assertThat(out.stats().unexplainedBySyscall()).containsEntry("munmap", 1L);
  }

  @Test
  void aCallWhoseNumbersAreNotNumbersMatchesNoRow() {
    Run.Out out =
        explain(
            """
        mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
        munmap(0x7f0000000000, LENGTH) = 0
        brk(BREAK) = 0x555500000000
        munmap(0x7f0000000000, 8192) = 0
        """);
    assertThat(out.why(1)).isNotEmpty();
    assertThat(out.at(2).why()).isEmpty();
    assertThat(out.at(3).why()).isEmpty();
    // the mapping was not forgotten on the unreadable munmap: the readable one finds it
    assertThat(out.why(4)).contains("line 1");
  }

  @Test
  void mutatedLinesNeverMakeTheStageThrow() throws Exception {
    List<TraceEvent> real = Run.read(Run.corpusLog("python_threads_f.log"));
    assertThat(real).isNotEmpty();
    Random rnd = new Random(42);
    StringBuilder mutated = new StringBuilder();
    for (TraceEvent e : real) {
      char[] t = e.source().text().toCharArray();
      for (int i = 0; i < 3 && t.length > 0; i++) {
        t[rnd.nextInt(t.length)] = "0x,()|-=9f\"{}".charAt(rnd.nextInt(13));
      }
      mutated.append(t).append('\n');
    }
    List<TraceEvent> events = TraceReader.parseAll(mutated.toString());
    assertThatCode(
            () -> {
              Run.Out out = Run.explain(events, 16);
              assertThat(out.events()).hasSize(events.size());
            })
        .doesNotThrowAnyException();
  }

  @Test
  void classesOfKernelMadeRegionsComeFromTheirNames() {
    assertThat(Classifier.classify(region("[stack]", "rw-p"), null))
        .isEqualTo(RegionClass.MAIN_STACK);
    assertThat(Classifier.classify(region("[vvar_vclock]", "r--p"), null))
        .isEqualTo(RegionClass.VVAR);
    assertThat(Classifier.classify(region("/usr/bin/cat", "r-xp"), null))
        .isEqualTo(RegionClass.IMAGE_TEXT);
    assertThat(Classifier.classify(region("/dev/zero (deleted)", "rw-s"), null))
        .isEqualTo(RegionClass.SHARED_MEMORY);
    assertThat(Classifier.classify(region("/tmp/data.bin", "rw-s"), null))
        .isEqualTo(RegionClass.FILE_SHARED);
    assertThat(Classifier.classify(region("", "---p"), null)).isEqualTo(RegionClass.RESERVED);
    assertThat(
            Classifier.classify(
                region("", "rw-p"), new Tag(RegionClass.THREAD_STACK, "thread stack", null, 3)))
        .isEqualTo(RegionClass.THREAD_STACK);
  }

  @Test
  void theAnonymousTailTheElfHeadersLaidOutIsTheImagesBss() {
    Region tail =
        new Region(0x1000, 0x2000, "rw-p", 0, "00:00", 0, "", 1, Region.Learnt.ELF_HEADER);
    assertThat(Classifier.classify(tail, null)).isEqualTo(RegionClass.IMAGE_BSS);
    Region mapped = new Region(0x1000, 0x2000, "rw-p", 0, "00:00", 0, "", 1);
    assertThat(Classifier.classify(mapped, null)).isEqualTo(RegionClass.ANON);
  }

  /**
   * A program that mprotects the page of main PROT_READ|PROT_WRITE|PROT_EXEC: the kernel laid the
   * page out from the text PT_LOAD, and it is text still (an rw page of an image would read as its
   * data). A data segment ld.so's RELRO made read-only goes by its permissions, as before.
   */
  @Test
  void aTextPageMadeWritableIsClassedByTheSegmentItCameFrom() {
    Region text =
        new Region(
            0x1000,
            0x2000,
            "rwxp",
            0x1000,
            "08:01",
            7,
            "/tmp/rwx",
            1,
            Region.Learnt.ELF_HEADER,
            0x1000,
            0x2000,
            5);
    assertThat(Classifier.classify(text, null, "./rwx")).isEqualTo(RegionClass.IMAGE_TEXT);
    Region relro =
        new Region(
            0x3000,
            0x4000,
            "r--p",
            0x2000,
            "08:01",
            7,
            "/tmp/rwx",
            1,
            Region.Learnt.ELF_HEADER,
            0x3000,
            0x4000,
            3);
    assertThat(Classifier.classify(relro, null, "./rwx")).isEqualTo(RegionClass.IMAGE_RODATA);
    Region mapped = new Region(0x1000, 0x2000, "rwxp", 0x1000, "08:01", 7, "/tmp/rwx", 5);
    assertThat(Classifier.classify(mapped, null, "./rwx")).isEqualTo(RegionClass.IMAGE_DATA);
  }

  private static Region region(String path, String perms) {
    return new Region(0x1000, 0x2000, perms, 0, "00:00", 0, path, 0);
  }

  @Test
  void aStackFramesCallerIsTheFrameFurtherOutNotTheOneItCalls() {
    // strace -f -k java -version: the safepoint polling pages; os::protect_memory is called by
    // SafepointMechanism::default_initialize, which Threads::create_vm called
    Run.Out out =
        explain(
            """
        13915 mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fb1e2624000
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(os::pd_reserve_memory(unsigned long, bool)+0x1e) [0xc2a7ce]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(os::reserve_memory(unsigned long, bool, MEMFLAGS)+0x20) [0xc23ae0]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(SafepointMechanism::default_initialize()+0x3e) [0xcded0e]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(Threads::create_vm(JavaVMInitArgs*, bool*)+0x16b) [0xea54cb]
        13915 mmap(0x7fb1e2624000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7fb1e2624000
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(os::pd_commit_memory_or_exit(char*, unsigned long, bool, char const*)+0x3b) [0xc298eb]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(os::commit_memory_or_exit(char*, unsigned long, bool, char const*)+0x1b) [0xc23ccb]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(SafepointMechanism::default_initialize()+0x55) [0xcded25]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(Threads::create_vm(JavaVMInitArgs*, bool*)+0x16b) [0xea54cb]
        13915 mprotect(0x7fb1e2624000, 4096, PROT_NONE) = 0
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__mprotect+0x7) [0x101a37]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(os::protect_memory(char*, unsigned long, os::ProtType, bool)+0xa8) [0xc2a898]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(SafepointMechanism::default_initialize()+0x9b) [0xcded6b]
         > /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(Threads::create_vm(JavaVMInitArgs*, bool*)+0x16b) [0xea54cb]
        """);
    assertThat(out.why(13))
        .contains("bad page")
        .contains(
            "SafepointMechanism::default_initialize()+0x9b called from libjvm.so:Threads::create_vm")
        .doesNotContain("called from libjvm.so:os::protect_memory");
  }

  /**
   * xz -T2 -0 (xz 5.4.1, Debian 12; strace -f -tt -T -y): the second worker's arena reservation
   * came back 64 MiB-aligned, so alloc_new_heap (malloc/arena.c) unmaps only its upper half and
   * sets aligned_heap_area = p2 + HEAP_MAX, the start of that upper half, not the heap's own
   * address.
   */
  @Test
  void anAlignedArenaReservationRemembersTheAddressAboveItsHeap() throws Exception {
    Run.Out out =
        Run.explain(
            java.nio.file.Path.of(
                getClass().getResource("/logs-extra/xz_t2_arena_aligned.log").toURI()));
    assertThat(out.why(10))
        .contains("this one came back aligned, so only the upper half is unmapped")
        .contains("right above this heap (aligned_heap_area = 0x7fd620000000)")
        .doesNotContain("remembers its address");
    assertThat(out.why(12))
        .contains("trims the tail of the 128 MiB arena reservation made at line 10");
  }
}
