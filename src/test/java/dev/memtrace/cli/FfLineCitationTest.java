package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In an {@code strace -ff} set each file numbers its lines from 1: a sentence about an event of one
 * file that cites a line of another says which file, and one citing its own file's line stays "line
 * N". Here thread 101 unmaps a page of the mapping its process made at line 1 of t.100.
 */
class FfLineCitationTest {

  @TempDir Path dir;

  private String prefix;

  @BeforeEach
  void set() throws Exception {
    Files.writeString(
        dir.resolve("t.100"),
        "10:00:00.000001 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
            + " = 0x7f0000000000\n"
            + "10:00:00.000002 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND"
            + "|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID,"
            + " child_tid=0x7f0000100990, parent_tid=0x7f0000100990, exit_signal=0,"
            + " stack=0x7f0000200000, stack_size=0x7fff80, tls=0x7f00001006c0}"
            + " => {parent_tid=[101]}, 88) = 101\n"
            + "10:00:00.000005 munmap(0x7f0000000000, 8192) = 0\n"
            + "10:00:00.000006 exit_group(0) = ?\n"
            + "10:00:00.000007 +++ exited with 0 +++\n");
    Files.writeString(
        dir.resolve("t.101"),
        "10:00:00.000003 munmap(0x7f0000004000, 4096) = 0\n"
            + "10:00:00.000004 exit(0) = ?\n"
            + "10:00:00.000004 +++ exited with 0 +++\n");
    prefix = dir.resolve("t").toString();
  }

  @Test
  void aThreadsSentenceNamesTheFileOfTheLineItCites() {
    Cli r = Cli.run("analyze", "--with-summary", prefix);

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        // t.101's munmap, of the mapping line 1 of t.100 made
        .contains(
            "   1:   101 10:00:00.000003 munmap(0x7f0000004000, 4096) = 0\n",
            "why: unmaps 4096 bytes of the 65536-byte anonymous mapping made at line 1 of t.100"
                + " (inferred from the pattern)\n")
        // t.100's own munmap cites its own line as before
        .contains(
            "why: unmaps 8192 bytes of the 65536-byte anonymous mapping made at line 1"
                + " (inferred from the pattern)\n")
        // the summary is about no one event: its line names its file
        .contains("peak 64 KiB at line 1 of t.100 (regions the trace made)");
  }

  @Test
  void jsonLinesNameTheFileInTheTextAndListOnlyTheEventsOwnLines() {
    Cli r = Cli.run("analyze", "--format", "jsonl", "--with-summary", prefix);

    assertThat(r.status()).as(r.err()).isZero();
    // the munmap's line (the mmap's retelling cites the munmap's address as its evidence too)
    String thread =
        r.out()
            .lines()
            .filter(l -> l.contains("\"syscall\":\"munmap\"") && l.contains("0x7f0000004000"))
            .findFirst()
            .get();
    assertThat(thread)
        .contains("\"line\":1,\"pid\":101,")
        .contains("\"file\":\"" + prefix + ".101\"")
        .contains("made at line 1 of t.100 (inferred from the pattern)")
        .contains("\"evidence\":[\"range starts in the region made at line 1 of t.100\"]")
        .contains("\"lines\":[1]}");
    assertThat(r.out()).contains("\"peak_line\":1,\"peak_table_line\":1,\"peak_file\":\"t.100\"");
  }

  @Test
  void theReportCitesTheFileOfTheLineARegionWasMadeAt() {
    Cli r = Cli.run("analyze", "--format", "html", prefix);

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"1 of t.100\"").contains("\"peakLine\":\"1 of t.100\"");
  }

  @Test
  void aSingleLogCitesPlainLines() throws Exception {
    Cli r = Cli.run("analyze", "--format", "jsonl", "--with-summary", prefix + ".100");

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain(" of t.").doesNotContain("peak_file");
  }
}
