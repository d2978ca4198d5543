package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The first brk(0) of a trace that does not show its process start (strace -p, or -e trace= without
 * execve) fits ld.so's at a start, but glibc's first sbrk asks the same (sbrk calls __brk(0) while
 * its __curbrk is unset), and so may the program: it is no fresh address space's for certain.
 */
class MidwayBrkTest {

  @Test
  void aFirstBrkQueryMetMidwayIsHedged() {
    Run.Out out =
        Run.explain(
            """
            25431 brk(NULL)                         = 0x5634cbf95000
            25431 brk(0x5634cbfb6000)               = 0x5634cbfb6000
            """);
    assertThat(out.why(1))
        .startsWith("the first brk(0) the trace shows: fits ld.so learning the initial")
        .contains("the trace does not show this process start")
        .contains("glibc's sbrk asking for the break the first time")
        .doesNotContain("fresh address space")
        .doesNotContain("will start at");
    // nor is the growth after it [heap]'s first for certain
    assertThat(out.why(2))
        .startsWith(
            "the break moves up by 135168 = 0x21000 bytes from 0x5634cbf95000, where the first"
                + " brk(0) the trace shows found it: this fits [heap] appearing")
        .contains("[heap] may already have held memory below 0x5634cbf95000")
        .doesNotContain("[heap] appears");
  }

  @Test
  void aStackInLdsoShowsItIsTheStart() {
    // strace -f -k -e trace=memory java -version: no execve, but the call is in ld.so's code
    Run.Out out =
        Run.explain(
            """
            13914 brk(NULL)                         = 0x55c0ff7c1000
             > /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2(_dl_catch_error+0x77c7) [0x1fc47]
             > /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2(_dl_catch_error+0x1e7f) [0x1a2ff]
            13914 brk(0x55c0ff7e2000)               = 0x55c0ff7e2000
            """);
    assertThat(out.why(1))
        .startsWith("the first brk(0) of a fresh address space: ld.so learns the initial")
        .doesNotContain("may instead");
    assertThat(out.why(4)).startsWith("[heap] appears: malloc's main arena moves the break up");
  }

  @Test
  void aFirstBrkQueryAfterExecveIsLdsos() {
    Run.Out out =
        Run.explain(
            """
            25431 execve("/usr/bin/cat", ["cat"], 0x7ffd02964fd8 /* 39 vars */) = 0
            25431 brk(NULL)                         = 0x5634cbf95000
            """);
    assertThat(out.why(2))
        .startsWith("the first brk(0) of a fresh address space: ld.so learns the initial")
        .contains("[heap] will start at 0x5634cbf95000");
  }
}
