package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.Snapshot;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.TraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mappings a runtime makes for itself that only look like glibc's (lines of strace -f -tt -T of
 * ruby 3.1): what a later call shows about them wins over what their size fitted.
 */
class RuntimeMappingsTest {

  /** ruby's startup: ld.so's and libc's brk(NULL), then malloc's first growth of [heap]. */
  private static final String MALLOC_STARTED =
      """
      24870 05:07:53.189967 brk(NULL)         = 0x5654b06fc000 <0.000007>
      24870 05:07:53.192791 brk(NULL)         = 0x5654b06fc000 <0.000007>
      24870 05:07:53.192812 brk(0x5654b071d000) = 0x5654b071d000 <0.000009>
      """;

  @Test
  void aMappingCutByAPartialMunmapIsNotAMallocChunk() {
    // Ruby's transient heap: rb_aligned_malloc maps 32 MiB + 32 KiB and trims head and tail so
    // that 32 MiB aligned to 32 KiB is left; glibc's free() never unmaps part of a chunk.
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        24870 05:07:53.195627 mmap(NULL, 33587200, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7feb25627000 <0.000008>
        24870 05:07:53.195651 munmap(0x7feb25627000, 4096) = 0 <0.000010>
        24870 05:07:53.195676 munmap(0x7feb27628000, 28672) = 0 <0.000010>
        """);
    assertThat(out.why(4))
        .startsWith("a direct anonymous mmap of 33587200 bytes")
        .contains("the munmap at line 5 unmaps only part of it")
        .doesNotContain("malloc's mmap path: a chunk");
    assertThat(out.why(5))
        .startsWith("unmaps 4096 bytes of the 33587200-byte mapping made at line 4")
        .contains("not a malloc chunk")
        .doesNotContain("free() gives");
    assertThat(out.why(6))
        .isEqualTo(
            "unmaps 28672 bytes of the 33587200-byte anonymous mapping made at line 4 (inferred"
                + " from the pattern)");
  }

  @Test
  void aMapStackMappingIsAThreadsStackOnlyOnceAThreadRunsOnIt() {
    // Ruby's fiber pool: 32 stacks of 644 KiB in one MAP_STACK mapping, a guard page at the low
    // end of each (cont.c, fiber_pool_expand); ruby -e 'puts 1' makes no thread at all.
    Run.Out fibers =
        Run.explain(
            """
        24870 05:07:53.200182 mmap(NULL, 21233664, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7feb241e8000 <0.000012>
        24870 05:07:53.200210 mprotect(0x7feb241e8000, 4096, PROT_NONE) = 0 <0.000010>
        24870 05:07:53.200241 mprotect(0x7feb2428a000, 4096, PROT_NONE) = 0 <0.000011>
        """);
    assertThat(fibers.why(1))
        .startsWith("a MAP_STACK mapping of 21233664 bytes")
        .contains("coroutine or fiber stacks")
        .doesNotContain("thread stack")
        .doesNotContain("JVM");
    assertThat(fibers.why(2)).startsWith("makes 4096 bytes at offset 0x0 of the MAP_STACK mapping");
    assertThat(fibers.why(3))
        .startsWith("makes 4096 bytes at offset 0xa2000 of the MAP_STACK mapping made at line 1");

    // pthread_attr_setguardsize(0): the clone3 that follows runs the thread on the mapping
    Run.Out thread =
        Run.explain(
            """
        10353 05:18:16.808674 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f683ffe2000 <0.000011>
        10353 05:18:16.808830 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f68400e1990, parent_tid=0x7f68400e1990, exit_signal=0, stack=0x7f683ffe2000, stack_size=0xfef80, tls=0x7f68400e16c0} => {parent_tid=[10354]}, 88) = 10354 <0.000056>
        """);
    assertThat(thread.why(1))
        .startsWith("a thread stack of 1048576 bytes without a glibc guard page")
        .contains("the thread the clone at line 2 makes runs on it");

    // corpus mmapfile.c maps a MAP_STACK region itself and unmaps it: no thread ever had it
    Run.Out own =
        Run.explain(
            """
        27903 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_GROWSDOWN|MAP_STACK, -1, 0) = 0x7ff389e7e000
        27903 munmap(0x7ff389e7e000, 65536)     = 0
        """);
    assertThat(own.why(2))
        .isEqualTo("unmaps the MAP_STACK mapping made at line 1 (inferred from the pattern)");
  }

  @Test
  void aReadIntoTheExecutablesBssIsPlacedInItsBssNotInAnMmap() {
    // gzip -9: its inbuf is a static array, in the .bss the kernel maps at execve after the data
    String maps =
        """
        5614e7809000-5614e780c000 r--p 00000000 00:2a 123 /usr/bin/gzip
        5614e780c000-5614e781b000 r-xp 00003000 00:2a 123 /usr/bin/gzip
        5614e781b000-5614e7820000 r--p 00012000 00:2a 123 /usr/bin/gzip
        5614e7820000-5614e7822000 rw-p 00016000 00:2a 123 /usr/bin/gzip
        5614e7822000-5614e78e9000 rw-p 00000000 00:00 0
        7ffd95eea000-7ffd95f0b000 rw-p 00000000 00:00 0                          [stack]
        """;
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(
                """
        29780 05:27:13.000001 execve("/usr/bin/gzip", ["gzip", "-9"], 0x7ffd95f09a00 /* 30 vars */) = 0
        29780 05:27:13.100000 read(0x4, 0x5614e7844000, 0x10000) = 0x10000
        """),
            List.of(new Snapshot(1, 29780, maps)),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.why(2))
        .contains(
            "the buffer at 0x5614e7844000 is 139264 bytes into the .bss of /usr/bin/gzip (image:"
                + " bss, made by the kernel at execve)")
        .doesNotContain("anonymous mmap");
  }

  @Test
  void aProcessAttachedToIsNotAtItsStartEvenWhenASnapshotShowedAllItsRegions() {
    // memtrace run -p PID on python3 running a loop: the snapshot taken as strace attaches tells
    // the model every region, but not that the trace saw the process start; ld.so's minimal
    // malloc ran long before, and this mapping is a malloc chunk (a 315000-byte bytearray)
    String maps =
        """
        5600dce03000-5600dce24000 rw-p 00000000 00:00 0                          [heap]
        7fef4b6db000-7fef4b85b000 rw-p 00000000 00:00 0
        7ffd7a776000-7ffd7a797000 rw-p 00000000 00:00 0                          [stack]
        """;
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(
                """
        22091 clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=40673, tv_nsec=772701414}, NULL) = 0
        22091 mmap(NULL, 315392, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fef4b68e000
        """),
            List.of(new Snapshot(0, 22091, maps)),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.why(2))
        .startsWith("fits glibc malloc's mmap path")
        .contains("the trace does not show the process start")
        .doesNotContain("minimal malloc");
  }

  @Test
  void aCallOverSeveralRegionsTheTraceDidNotMakeSaysHowFarItRuns() {
    // node attached to (run -p): V8 makes 256 KiB PROT_NONE over an 8 KiB rw-p region, a 4 KiB
    // guard and 240 KiB of its code range; "of an anonymous region (0x...-0x...2000)" said 256 KiB
    // lay in 8 KiB
    String maps =
        """
        7f8d4e7c0000-7f8d4e7c2000 rw-p 00000000 00:00 0
        7f8d4e7c2000-7f8d4e7c3000 ---p 00000000 00:00 0
        7f8d4e7c3000-7f8d4e7ff000 rwxp 00000000 00:00 0
        7f8d4e7ff000-7f8d4e900000 ---p 00000000 00:00 0
        """;
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(
                """
        2991 epoll_pwait(14, [], 1024, 72, NULL, 8) = 0
        2991 mprotect(0x7f8d4e7c0000, 262144, PROT_NONE) = 0
        2991 munmap(0x7f8d4e7c0000, 4096) = 0
        """),
            List.of(new Snapshot(0, 2991, maps)),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.why(2))
        .isEqualTo(
            "changes 262144 bytes from 0x7f8d4e7c0000 to 0x7f8d4e800000 to PROT_NONE: they begin"
                + " in an anonymous region (anonymous mmap, 0x7f8d4e7c0000-0x7f8d4e7c2000), a region"
                + " the trace did not show being made, and run into 3 more regions");
    assertThat(out.why(3))
        .startsWith(
            "unmaps 4096 bytes of an anonymous region (reserved (PROT_NONE), 0x7f8d4e7c0000-");
  }

  @Test
  void theThreadsOfAProcessAttachedToShareTheRegionsItsSnapshotShowed() {
    // java attached to (run -p): /proc/PID/task listed 18359 and its threads; thread 18371 reads
    // into a malloc arena the snapshot showed. Without the list it was a stranger with no regions,
    // and the buffer "most likely the main thread's [stack]"; nor was the arena made at execve
    String maps =
        """
        7f2ff0000000-7f2ff0021000 rw-p 00000000 00:00 0
        7ffd95eea000-7ffd95f0b000 rw-p 00000000 00:00 0                          [stack]
        """;
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(
                """
        18385 restart_syscall(<... resuming interrupted read ...>) = -1 ETIMEDOUT (Connection timed out)
        18371 read(0x4, 0x7f2ff0005c10, 0x1000) = 0x3
        """),
            List.of(new Snapshot(0, 18359, maps, null, List.of(18359, 18371, 18385), null)),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.why(2))
        .isEqualTo(
            "the buffer at 0x7f2ff0005c10 is 23568 bytes into anonymous region (anonymous mmap,"
                + " mapped before the trace began)");
  }

  @Test
  void aDontneedOverSeveralPrivateAnonymousRegionsReadsBackZeros() {
    // node: V8 drops 256 KiB across a rw-p area and the ---p rest of its reservation
    String maps =
        """
        7f8d4e7c0000-7f8d4e7c2000 rw-p 00000000 00:00 0
        7f8d4e7c2000-7f8d4e800000 ---p 00000000 00:00 0
        7f8d4e900000-7f8d4e910000 rw-s 00000000 00:01 7                          /dev/zero (deleted)
        """;
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(
                """
        2991 epoll_pwait(14, [], 1024, 72, NULL, 8) = 0
        2991 madvise(0x7f8d4e7c0000, 262144, MADV_DONTNEED) = 0
        """),
            List.of(new Snapshot(0, 2991, maps)),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.why(2))
        .contains("private anonymous memory reads back as zeros")
        .doesNotContain("depends on the mapping");
  }

  @Test
  void aSmallHeapBufferIsNotSaidToBeUsuallyStdios() {
    // ruby reads its scripts through its own IO buffer (io.c: 8192 bytes, ruby_xmalloc), not stdio
    Run.Out out =
        Run.explain(
            """
        24870 brk(NULL) = 0x564000353000
        24870 brk(NULL) = 0x564000353000
        24870 brk(0x564000374000) = 0x564000374000
        24870 brk(0x564000490000) = 0x564000490000
        24870 openat(AT_FDCWD, "/usr/lib/ruby/vendor_ruby/rubygems.rb", O_RDONLY|O_NONBLOCK|O_CLOEXEC) = 5
        24870 read(0x5, 0x564000472470, 0x2000) = 0x2000
        """);
    assertThat(out.why(6))
        .contains("a stdio FILE buffer fits")
        .contains("a buffer the program or its runtime mallocs for its own I/O")
        .doesNotContain("the usual one is a stdio FILE buffer");
  }

  @Test
  void whatIsLeftOfACutMappingIsNotTheWholeMapping() {
    // a ruby heap page: 32 KiB mapped, 16 KiB trimmed to align it, the other 16 KiB freed at exit
    Run.Out out =
        Run.explain(
            MALLOC_STARTED
                + """
        24870 05:07:53.298998 mmap(NULL, 32768, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7feb24170000 <0.000041>
        24870 05:07:53.299079 munmap(0x7feb24170000, 16384) = 0 <0.000040>
        24870 05:07:53.436297 munmap(0x7feb24174000, 16384) = 0 <0.000056>
        """);
    assertThat(out.why(6))
        .isEqualTo(
            "unmaps the 16384 bytes left of the 32768-byte anonymous mapping made at line 4, which"
                + " an earlier munmap cut (inferred from the pattern)");
  }

  @Test
  void aSharedAnonymousMibIsNotAnObmallocArena() {
    // python3 3.11: mmap.mmap(-1, 1 << 20) maps MAP_SHARED|MAP_ANONYMOUS (Modules/mmapmodule.c);
    // _PyObject_ArenaMmap maps MAP_PRIVATE|MAP_ANONYMOUS, and glibc malloc never maps shared.
    Run.Out out =
        Run.explain(
            """
        29758 19:51:25.254483 execve("/usr/bin/python3", ["python3", "py2.py"], 0x7fffe1145f58 /* 39 vars */) = 0 <0.000507>
        29758 19:51:25.255631 brk(NULL)         = 0x555f9779f000 <0.000013>
        29758 19:51:25.288150 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7faf842c7000 <0.000018>
        29758 19:51:25.455825 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7faf83bd2000 <0.000043>
        29758 19:51:25.456016 munmap(0x7faf83bd2000, 1048576) = 0 <0.000107>
        """);
    assertThat(out.why(3)).startsWith("fits CPython's small-object allocator (obmalloc)");
    assertThat(out.why(4))
        .contains("shared")
        .doesNotContain("obmalloc")
        .doesNotContain("malloc(n)");
    assertThat(out.why(5)).doesNotContain("obmalloc");
  }

  @Test
  void v8sWebAssemblyGuardRegionIsNamed() {
    // node 20: new WebAssembly.Memory({initial: 1, maximum: 100}), then mem.grow(3)
    Run.Out out =
        Run.explain(
            """
        25545 19:50:02.250000 execve("/usr/bin/node", ["node", "wasm.js"], 0x7ffd06b35a08 /* 39 vars */) = 0 <0.000400>
        25545 19:50:02.383909 mmap(NULL, 10737479680, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fe2defb1000 <0.000029>
        25545 19:50:02.384025 madvise(0x7fe2defb1000, 10737479680, MADV_DONTFORK) = 0 <0.000017>
        25545 19:50:02.384069 munmap(0x7fe2defb1000, 61440) = 0 <0.000023>
        25545 19:50:02.384118 mprotect(0x7fe35efc0000, 65536, PROT_READ|PROT_WRITE) = 0 <0.000016>
        25545 19:50:02.421194 mprotect(0x7fe35efc0000, 262144, PROT_READ|PROT_WRITE) = 0 <0.000782>
        """);
    assertThat(out.why(2))
        .startsWith("fits V8's reservation for a WebAssembly memory with guard regions")
        .contains("61440 bytes of slack")
        .contains("2 GiB in");
    assertThat(out.why(5)).contains("of the V8 WebAssembly memory reservation made at line 2");
    assertThat(out.why(6)).contains("V8 WebAssembly memory");
  }

  /** A madvise(MADV_DONTFORK) whose length strace printed as no number marks no range. */
  @Test
  void aDontforkWithoutALengthMarksNothing() {
    Run.Out out =
        Run.explain(
            """
        25545 19:50:02.250000 execve("/usr/bin/node", ["node", "wasm.js"], 0x7ffd06b35a08 /* 39 vars */) = 0 <0.000400>
        25545 19:50:02.383909 mmap(NULL, 10737479680, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7fe2defb1000 <0.000029>
        25545 19:50:02.384025 madvise(0x7fe2defb1000, 107374_9680, MADV_DONTFORK) = 0 <0.000017>
        25545 19:50:02.384069 munmap(0x7fe2defb1000, 61440) = 0 <0.000023>
        """);
    assertThat(out.why(4)).contains("61440");
  }

  /**
   * python3's mmap.resize traced with -e trace=mremap,mprotect,munmap,execve: the mremap moves
   * memory the trace never showed made. It was told as growing "in place" though the result is
   * another address, classed "anonymous mmap", and its permissions printed "????" (a placeholder);
   * now the move is said from the result, the region is "unknown", and the field reads "unkn", or
   * "r--u" once an mprotect set the protection, and stays a parseable maps line.
   */
  @Test
  void anMremapOfMemoryTheTraceNeverShowedIsAMoveWithUnknownPermissions() {
    Run.Out out =
        Run.explain(
            """
            execve("/usr/bin/python3", ["python3", "remap.py"], 0x7ffc /* 1 var */) = 0
            mremap(0x7f038bfde000, 1048576, 4194304, MREMAP_MAYMOVE) = 0x7f038bbde000
            mprotect(0x7f038bbde000, 4096, PROT_READ) = 0
            """);
    Region moved = out.at(2).changes().get(0).after();
    assertThat(moved.perms()).isEqualTo("unkn");
    assertThat(MapsFormat.parseLine(MapsFormat.line(moved))).isNotNull();
    assertThat(out.at(2).classes()).containsExactly(RegionClass.UNKNOWN);
    assertThat(out.why(2))
        .contains(
            "moves a mapping from 0x7f038bfde000 to 0x7f038bbde000, growing it from 1048576 to"
                + " 4194304 bytes")
        .doesNotContain("in place");
    Region opened = out.at(3).changes().get(0).after();
    assertThat(opened.perms()).isEqualTo("r--u");
    assertThat(MapsFormat.line(opened)).doesNotContain("?");
  }

  /** java attached to (run -p): the snapshot at attach names the program /proc/PID/exe links to. */
  private static final String JAVA_AT_ATTACH =
      """
      55e1c0a00000-55e1c0a01000 r--p 00000000 fe:00 131 /usr/lib/jvm/java-17-openjdk-amd64/bin/java
      55e1c0a01000-55e1c0a02000 r-xp 00001000 fe:00 131 /usr/lib/jvm/java-17-openjdk-amd64/bin/java
      55e1c0a02000-55e1c0a03000 r--p 00002000 fe:00 131 /usr/lib/jvm/java-17-openjdk-amd64/bin/java
      55e1c0a03000-55e1c0a04000 r--p 00002000 fe:00 131 /usr/lib/jvm/java-17-openjdk-amd64/bin/java
      55e1c0a04000-55e1c0a05000 rw-p 00003000 fe:00 131 /usr/lib/jvm/java-17-openjdk-amd64/bin/java
      7f8eecb76000-7f8eecc7a000 rw-p 00000000 00:00 0
      7f8eecd00000-7f8eecd26000 r--p 00000000 fe:00 9 /usr/lib/x86_64-linux-gnu/libc.so.6
      7ffd95eea000-7ffd95f0b000 rw-p 00000000 00:00 0                          [stack]
      """;

  /** A new Java thread on a cached stack: HotSpot's guard zone, committed, guarded, uncommitted. */
  private static final String GUARD_ZONE =
      """
      24331 mmap(0x7f8eecc76000, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7f8eecc76000
      24331 mprotect(0x7f8eecc76000, 16384, PROT_NONE) = 0
      24331 mmap(0x7f8eecc76000, 16384, PROT_NONE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f8eecc76000
      """;

  @Test
  void aProcessAttachedToIsNamedByItsExeLinkAndItsRuntimesRulesApply() {
    // without /proc/PID/exe the space ran "the program", and the uncommit of a thread's guard zone
    // read as a reservation whose owner "the call alone does not tell"
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(GUARD_ZONE + GUARD_ZONE + GUARD_ZONE),
            List.of(
                new Snapshot(
                    0,
                    24331,
                    JAVA_AT_ATTACH,
                    null,
                    List.of(24331),
                    "/usr/lib/jvm/java-17-openjdk-amd64/bin/java")),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.why(1))
        .contains("the executable /usr/lib/jvm/java-17-openjdk-amd64/bin/java")
        .contains("r--p 4 KiB rodata (constants, string literals); r--p 4 KiB fits RELRO");
    assertThat(out.why(3))
        .startsWith("HotSpot uncommits 16384 bytes at offset 0x0 of the 16384-byte anonymous");
    // the next threads' zones are parts of the same mapping, not parts of parts
    assertThat(out.why(7))
        .contains("at offset 0x0 of the 16384-byte anonymous mapping made at line 1:");
    assertThat(out.why(9))
        .contains("at offset 0x0 of the 16384-byte anonymous mapping made at line 1:");
  }

  @Test
  void withoutTheExeLinkTheProgramIsNotGuessed() {
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(GUARD_ZONE),
            List.of(new Snapshot(0, 24331, JAVA_AT_ATTACH)),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.why(1)).doesNotContain("the executable");
    assertThat(out.why(3)).doesNotContain("HotSpot");
  }

  @Test
  void aStaticProgramsRodataThatAdjoinsItsDataIsNotRelro() {
    // a static Go binary attached to: its R segment ends where its RW segment begins, in the file
    // and in memory, but no ld.so ever relocates it
    String maps =
        """
        00400000-00482000 r-xp 00000000 fe:00 77 /tmp/galloc
        00482000-00511000 r--p 00082000 fe:00 77 /tmp/galloc
        00511000-00529000 rw-p 00111000 fe:00 77 /tmp/galloc
        7ffd95eea000-7ffd95f0b000 rw-p 00000000 00:00 0                          [stack]
        """;
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(
                "5150 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) ="
                    + " 0x7f0000000000\n"),
            List.of(new Snapshot(0, 5150, maps, null, List.of(5150), "/tmp/galloc")),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.why(1))
        .contains("the executable /tmp/galloc")
        .contains("r--p 572 KiB rodata")
        .doesNotContain("RELRO");
  }

  @Test
  void aSmallMappingPartlyUnmappedIsNoMallocChunkWhateverTheThreshold() throws Exception {
    // ruby 3.1 maps each 16 KiB heap page as 32 KiB and unmaps the slack around an aligned page
    // (lines 5 to 7). The mmap read "too small for glibc malloc's mmap path ... so likely the
    // program or a library asked the kernel for it itself, unless it lowered the threshold ...
    // and malloc mapped it", though line 6 unmaps part of it, which free() never does. From strace
    // -f -tt -T -y ruby r1.rb data.txt (ruby 3.1.2, Debian 12)
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/ruby_heap_page_mmap.log").toURI()));
    Run.Out out = Run.explain(log);
    assertThat(out.why(5))
        .startsWith("a direct anonymous mmap of 32768 bytes: the munmap at line 6 unmaps only part")
        .contains("free() never does")
        .contains("whatever the mmap threshold")
        .doesNotContain("unless it lowered the threshold");
    assertThat(out.at(5).why().get(0).basis().name()).isEqualTo("ARITHMETIC");
    // unmapped whole, it could have been a chunk after all, had the threshold been lowered
    Run.Out whole =
        Run.explain(
            log.replace("munmap(0x7fab20be6000, 8192)", "munmap(0x7fab20be6000, 32768)")
                .lines()
                .filter(l -> !l.contains("munmap(0x7fab20bec000"))
                .reduce("", (a, b) -> a + b + "\n"));
    assertThat(whole.why(5)).contains("unless it lowered the threshold");
  }
}
