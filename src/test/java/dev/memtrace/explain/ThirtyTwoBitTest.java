package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A 32-bit x86 program (gcc -m32, glibc 2.36 i386) under a 64-bit strace: strace names its calls
 * from the i386 table (mmap2, set_thread_area) and prints mmap2's offset in bytes (its mmap_pgoff
 * decoder multiplies the page offset by the page size). glibc's i386 malloc has SIZE_SZ 4, MINSIZE
 * 16, a 384-byte tcache struct and HEAP_MAX_SIZE 1 MiB, not x86-64's numbers. The lines follow the
 * calls glibc's i386 startup, malloc and pthread_create make; this kernel runs no 32-bit code, so
 * they were written from a 64-bit trace of the same program and glibc's i386 sizes.
 */
class ThirtyTwoBitTest {

  private static final String I386 =
      """
      6527  22:00:53.874547 execve("./t32", ["./t32"], 0x7ffe61e99968 /* 39 vars */) = 0 <0.000319>
      6527  22:00:53.874900 [ Process PID=6527 runs in 32 bit mode. ]
      6527  22:00:53.875001 brk(NULL)         = 0x57d4f000 <0.000010>
      6527  22:00:53.875809 mmap2(NULL, 2275520, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0xf7d56000 <0.000012>
      6527  22:00:53.876011 mmap2(0xf7d77000, 1540096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x21000) = 0xf7d77000 <0.000015>
      6527  22:00:53.876516 set_thread_area({entry_number=-1, base_addr=0xf7f8e4c0, limit=0x0fffff, seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1}) = 0 (entry_number=12) <0.000009>
      6527  22:00:53.876920 mprotect(0xf7fc6000, 8192, PROT_READ) = 0 <0.000011>
      6527  22:00:53.877223 brk(NULL)         = 0x57d4f000 <0.000008>
      6527  22:00:53.877324 brk(0x57d70000)   = 0x57d70000 <0.000010>
      6527  22:00:53.877627 mmap2(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0xf7023000 <0.000013>
      6527  22:00:53.877728 mprotect(0xf7024000, 8388608, PROT_READ|PROT_WRITE) = 0 <0.000012>
      6527  22:00:53.879445 brk(0x57d91000)   = 0x57d91000 <0.000010>
      """;

  @Test
  void mmap2IsModelledAsMmapWithItsOffsetInBytes() {
    Run.Out out = Run.explain(I386);
    assertThat(out.at(4).changes()).hasSize(1);
    // the code segment at file offset 0x21000, over the span line 4 reserved
    assertThat(out.at(5).changes())
        .anyMatch(
            ch ->
                ch.after() != null
                    && ch.after().start() == 0xf7d77000L
                    && ch.after().offset() == 0x21000);
    // the thread stack's mprotect finds the mmap2 that made it: no "the model knew no memory"
    assertThat(out.at(11).checks()).isEmpty();
    assertThat(out.why(11)).contains("made at line 10");
  }

  @Test
  void glibcsX8664MallocSizesAreNotToldOfA32BitProcess() {
    Run.Out out = Run.explain(I386);
    // the first growth is 135168 on i386 too, but from a 400-byte chunk and MINSIZE 16
    assertThat(out.at(9).why()).noneMatch(e -> e.rule().startsWith("malloc"));
    assertThat(out.why(9)).doesNotContain("656").doesNotContain("MINSIZE 32");
    assertThat(out.at(12).why()).noneMatch(e -> e.rule().startsWith("malloc"));
  }

  @Test
  void aRelroHighInA32BitSpaceIsNotSaidToBeTheExecutables() {
    Run.Out out = Run.explain(I386);
    assertThat(out.why(7))
        .startsWith("RELRO")
        .doesNotContain("the executable (t32")
        .contains("the executable or ld.so");
  }

  @Test
  void straceS32BitNoticeMarksTheProcessBeforeAnyI386Call() {
    // without -q strace says so at the first call after execve; the brk comes before any mmap2
    Run.Out out =
        Run.explain(
            """
            6527  22:00:53.874547 execve("./t32", ["./t32"], 0x7ffe61e99968 /* 39 vars */) = 0 <0.000319>
            6527  22:00:53.874900 [ Process PID=6527 runs in 32 bit mode. ]
            6527  22:00:53.875001 brk(NULL)         = 0x57d4f000 <0.000010>
            6527  22:00:53.877223 brk(NULL)         = 0x57d4f000 <0.000008>
            6527  22:00:53.877324 brk(0x57d70000)   = 0x57d70000 <0.000010>
            """);
    assertThat(out.at(5).why()).noneMatch(e -> e.rule().startsWith("malloc"));
  }

  @Test
  void aLoneInt80CallOfA64BitProgramLeavesItsMallocRowsOn() {
    // strace notes the switch to 32 bit for the int 0x80 call and back to 64 bit after it
    Run.Out out =
        Run.explain(
            """
            7001  10:00:00.000001 execve("./odd", ["./odd"], 0x7ffe61e99968 /* 39 vars */) = 0 <0.000319>
            7001  10:00:00.000002 brk(NULL)         = 0x5581e000 <0.000010>
            7001  10:00:00.000003 [ Process PID=7001 runs in 32 bit mode. ]
            7001  10:00:00.000004 getppid()         = 7000 <0.000003>
            7001  10:00:00.000005 [ Process PID=7001 runs in 64 bit mode. ]
            7001  10:00:00.000006 brk(NULL)         = 0x5581e000 <0.000008>
            7001  10:00:00.000007 brk(0x5583f000)   = 0x5583f000 <0.000010>
            """);
    assertThat(out.at(7).why()).anyMatch(e -> e.rule().equals("malloc-brk-first"));
  }
}
