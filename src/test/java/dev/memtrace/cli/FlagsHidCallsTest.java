package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved logs whose strace flags left the calls out: {@code strace -c} (a table of counts, no call)
 * and {@code strace -Z} (cat traced with --failed-only: its openat ENOENTs and nothing else). Both
 * read as a program that changed no memory ("mapped 0 B, ... explained 0 (100.0%)"); the end of the
 * run now says what the log cannot show.
 */
class FlagsHidCallsTest {

  @TempDir Path dir;

  private String log(String text) throws IOException {
    Path p = dir.resolve("t.log");
    Files.writeString(p, text);
    return p.toString();
  }

  @Test
  void aCountTableIsSaidToListNoCall() throws IOException {
    String f =
        log(
            "% time     seconds  usecs/call     calls    errors syscall\n"
                + "------ ----------- ----------- --------- --------- ----------------\n"
                + " 28.71    0.000779         389         2           munmap\n"
                + "  7.00    0.000190           8        22           mmap\n"
                + "------ ----------- ----------- --------- --------- ----------------\n"
                + "100.00    0.002713          21       124        14 total\n");
    Cli r = Cli.run("analyze", "--with-summary", f);
    assertThat(r.status()).isZero();
    assertThat(r.err()).contains("memtrace: this log is strace's -c table (--summary-only)");
  }

  @Test
  void aLogOfFailedCallsOnlyFitsFailedOnly() throws IOException {
    String f =
        log(
            "access(\"/etc/ld.so.preload\", R_OK)      = -1 ENOENT (No such file or directory)\n"
                + "openat(AT_FDCWD, \"/usr/lib/locale/locale-archive\", O_RDONLY|O_CLOEXEC)"
                + " = -1 ENOENT (No such file or directory)\n"
                + "+++ exited with 0 +++\n");
    Cli r = Cli.run("analyze", f);
    assertThat(r.err())
        .contains("every call in this log failed (2 calls): it fits a log made with -Z");
  }

  /**
   * maps --explain and where on the same logs printed only "# no address space known", which reads
   * as a program that mapped nothing; they now say what the flag hid, as analyze does.
   */
  @Test
  void mapsAndWhereSayWhatTheFlagHid() throws IOException {
    String table =
        log(
            "% time     seconds  usecs/call     calls    errors syscall\n"
                + "------ ----------- ----------- --------- --------- ----------------\n"
                + "  7.00    0.000190           8        22           mmap\n"
                + "------ ----------- ----------- --------- --------- ----------------\n"
                + "100.00    0.002713          21       124        14 total\n");
    for (Cli r :
        List.of(
            Cli.run("maps", "--explain", table),
            Cli.run("where", "0x7f0000001000", table),
            Cli.run("maps", "--at", "3", table))) {
      assertThat(r.err()).contains("memtrace: this log is strace's -c table (--summary-only)");
    }
    String failed =
        log(
            "access(\"/etc/ld.so.preload\", R_OK)      = -1 ENOENT (No such file or directory)\n"
                + "openat(AT_FDCWD, \"/usr/lib/locale/locale-archive\", O_RDONLY|O_CLOEXEC)"
                + " = -1 ENOENT (No such file or directory)\n");
    for (Cli r :
        List.of(Cli.run("maps", "--explain", failed), Cli.run("where", "0x1000", failed))) {
      assertThat(r.err())
          .contains("every call in this log failed (2 calls): it fits a log made with -Z");
    }
    String ok = log("brk(NULL)                               = 0x55b0be206000\n");
    assertThat(Cli.run("maps", "--explain", ok).err()).doesNotContain("this log");
  }

  @Test
  void aPlainLogAndOneFailedExecveGetNoNote() throws IOException {
    String ok =
        log(
            "brk(NULL)                               = 0x55b0be206000\n"
                + "access(\"/etc/ld.so.preload\", R_OK)      = -1 ENOENT (No such file or"
                + " directory)\n");
    assertThat(Cli.run("analyze", ok).err()).doesNotContain("this log");
    String exec =
        log(
            "execve(\"/nope\", [\"/nope\"], 0x7ffd /* 39 vars */) = -1 ENOENT (No such file or"
                + " directory)\n"
                + "+++ exited with 1 +++\n");
    assertThat(Cli.run("analyze", exec).err()).doesNotContain("every call");
  }

  /**
   * cat's log cut in the middle of its I/O buffer's mmap, after "= 0x7f7602cb0" of
   * "0x7f7602cb0000": the region 7f7602cb0-7f7624cb0, which never was, read as malloc's chunk.
   */
  @Test
  void aLastLineWithNoNewlineIsACallThatNeverReturned() throws IOException {
    String f =
        log(
            "brk(NULL)                               = 0x55d131e34000\n"
                + "mmap(NULL, 139264, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
                + " = 0x7f7602cb0");
    Cli r = Cli.run("analyze", "--format", "jsonl", "--strict", f);
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("\"line\":2,\"pid\":null,\"kind\":\"syscall\",\"syscall\":\"mmap\"")
        .contains("\"ret\":null")
        .contains("\"unfinished\":true")
        .doesNotContain("0x7f7602cb0\",")
        .doesNotContain("malloc");
    String brk =
        log(
            "brk(NULL)                               = 0x55d131e34000\nbrk(0x55d131e55000) = 0x55d13");
    Cli b = Cli.run("analyze", brk);
    assertThat(b.status()).isZero();
    assertThat(b.err()).isEmpty();
    assertThat(b.out()).contains("brk never returned in the log: its effect is unknown");
  }
}
