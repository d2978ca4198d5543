package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * glibc's fatal-error path (strace -f -tt -T -y of small C programs, Debian 12, glibc 2.36):
 * __libc_message writes the message with one writev to stderr, then maps ALIGN_UP(total + 1, page)
 * bytes for __abort_msg and aborts. ./df frees a chunk twice (malloc_printerr); ./fo, built with
 * -D_FORTIFY_SOURCE=2, strcpys 20 bytes into char[8] (__fortify_fail).
 */
class FatalMessageTest {

  private static final String HEAP =
      """
      1416  20:09:43.646818 brk(NULL)         = 0x5573c4d97000 <0.000003>
      1416  20:09:43.646819 brk(NULL)         = 0x5573c4d97000 <0.000003>
      1416  20:09:43.646827 brk(0x5573c4db8000) = 0x5573c4db8000 <0.000004>
      """;

  @Test
  void theMappingAfterMallocsMessageIsGlibcsCopyOfItNotTheProgramsOwn() {
    Run.Out out =
        Run.explain(
            HEAP
                + """
                1416  20:09:43.646848 writev(2</dev/null>, [{iov_base="free(): double free detected in "..., iov_len=40}, {iov_base="\\n", iov_len=1}], 2) = 41 <0.000013>
                1416  20:09:43.647401 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f188f82f000 <0.000010>
                1416  20:09:43.647485 tgkill(1416, 1416, SIGABRT) = 0 <0.000006>
                1416  20:09:43.647498 --- SIGABRT {si_signo=SIGABRT, si_code=SI_TKILL, si_pid=1416, si_uid=0} ---
                """);
    // it read "a direct anonymous mmap of 4096 bytes ... so likely the program or a library asked
    // the kernel for it itself"
    assertThat(out.why(5))
        .startsWith(
            "fits glibc's fatal-error path: __libc_message (or, for a failed assert,"
                + " __assert_fail_base) wrote its message to stderr at line 4 (41 bytes)")
        .contains("ALIGN_UP(41 + 1, 4096) = 4096 bytes, which __abort_msg points to")
        .contains("is malloc_printerr's")
        .doesNotContain("the program or a library asked");
  }

  @Test
  void aFortifyFailureIsToldAsTheChecksMessage() {
    Run.Out out =
        Run.explain(
            HEAP
                + """
                1416  20:14:21.709315 writev(2</dev/null>, [{iov_base="*** ", iov_len=4}, {iov_base="buffer overflow detected", iov_len=24}, {iov_base=" ***: terminated\\n", iov_len=17}], 3) = 45 <0.000063>
                1416  20:14:21.709475 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe544c1f000 <0.000141>
                """);
    assertThat(out.why(5))
        .contains("ALIGN_UP(45 + 1, 4096) = 4096")
        .contains("__fortify_fail's (\"buffer overflow detected\")")
        .doesNotContain("malloc_printerr");
  }

  @Test
  void aFailedAssertIsToldAsAssertsMessage() {
    // ./as: assert(c > 5) with c = 1; __assert_fail_base writes through stdio, one write
    Run.Out out =
        Run.explain(
            HEAP
                + """
                1416  20:15:46.823799 write(2</dev/null>, "as: as.c:3: main: Assertion `c >"..., 44) = 44 <0.000004>
                1416  20:15:46.823818 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fd6b39aa000 <0.000004>
                """);
    assertThat(out.why(5))
        .contains("ALIGN_UP(44 + 1, 4096) = 4096")
        .contains("assert()'s (__assert_fail): a condition the program asserted was false");
  }

  @Test
  void aMappingOfAnotherSizeOrAfterAnotherMemoryCallIsNotTheMessages() {
    String write =
        "1416  20:09:43.646848 writev(2</dev/null>, [{iov_base=\"warning: \", iov_len=9},"
            + " {iov_base=\"x\\n\", iov_len=2}], 2) = 11 <0.000013>\n";
    Run.Out other =
        Run.explain(
            HEAP
                + write
                + "1416  20:09:43.647401 mmap(NULL, 8192, PROT_READ|PROT_WRITE,"
                + " MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f188f82f000 <0.000010>\n");
    assertThat(other.why(5)).doesNotContain("__libc_message");
    // the program's own warning, then a page of its own: the sizes fit, the message is no
    // fatal one of glibc's
    Run.Out warning =
        Run.explain(
            HEAP
                + write
                + "1416  20:09:43.647401 mmap(NULL, 4096, PROT_READ|PROT_WRITE,"
                + " MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f188f82f000 <0.000010>\n");
    assertThat(warning.why(5)).doesNotContain("__libc_message");
    Run.Out between =
        Run.explain(
            HEAP
                + write
                + "1416  20:09:43.647300 brk(0x5573c4dd9000) = 0x5573c4dd9000 <0.000004>\n"
                + "1416  20:09:43.647401 mmap(NULL, 4096, PROT_READ|PROT_WRITE,"
                + " MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f188f82f000 <0.000010>\n");
    assertThat(between.why(6)).doesNotContain("__libc_message");
  }
}
