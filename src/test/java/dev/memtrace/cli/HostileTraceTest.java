package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log carries whatever bytes the traced program wrote, and a log written without -o has the
 * program's own output spliced in raw. Terminal escapes, markup and script must come out as text:
 * visible, inert.
 */
class HostileTraceTest {

  /**
   * Raw bytes (one char per byte): ESC ] 0 ; ... BEL retitles a terminal, ESC [ 2 J clears it, and
   * C2 9B is U+009B, the one-character CSI.
   */
  static final String LOG =
      "123   write(1, \"\u001b]0;pwned\u0007\u001b[31m</script><script>alert(1)</script>\", 40) = 40\n"
          + "\u001b[2J\u00c2\u009b31m</textarea><img src=x onerror=alert(2)> <!-- not strace\n"
          + "123   +++ exited with 0 +++\n";

  @TempDir Path dir;

  Path log() throws Exception {
    Path p = dir.resolve("hostile.log");
    Files.write(p, LOG.getBytes(StandardCharsets.ISO_8859_1));
    return p;
  }

  static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    return new String[] {
      String.valueOf(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void theTextTimelineShowsControlCharactersAsEscapesNeverRaw() throws Exception {
    for (String color : new String[] {"never", "always"}) {
      String[] r = run("analyze", "--color", color, log().toString());
      assertThat(r[0]).isEqualTo("0");
      String visible = r[1].replaceAll("\u001b\\[[0-9;]*m", ""); // memtrace's own colours
      assertThat(visible)
          .doesNotContain("\u001b")
          .doesNotContain("\u0007")
          .doesNotContain("\u009b");
      assertThat(visible)
          .contains("\\x1b]0;pwned\\x07\\x1b[31m</script>")
          .contains("\\x1b[2J\\x9b31m</textarea>");
    }
  }

  @Test
  void aMappingOfTwoToTheSixtyThirdBytesIsRefusedNotSummedIntoAStackOverflow() throws Exception {
    Path huge = dir.resolve("huge.log");
    Files.writeString(
        huge,
        "100 mmap(NULL, 9223372036854775807, PROT_READ|PROT_WRITE,"
            + " MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n100 +++ exited with 0 +++\n");
    for (String summary : new String[] {"--summary", "--with-summary"}) {
      String[] r = run("analyze", summary, "--color", "never", huge.toString());
      assertThat(r[0]).isEqualTo("0");
      assertThat(r[2]).isEmpty();
      assertThat(r[1]).contains("mapped 8192 PiB").doesNotContainPattern("-[0-9.]+ [KMGTP]?i?B");
    }
    String[] timeline = run("analyze", "--color", "never", huge.toString());
    assertThat(timeline[1])
        .contains("past the top of user space (0x7ffffffff000), which the" + " kernel refuses")
        .doesNotContain("+ 7f0000000000");
  }

  /**
   * Files named with ESC ] 52 (a clipboard write) and ESC [ 2 J (clear screen), one opened with -yy
   * and one without, both mapped: the names reach the summary and the maps listing.
   */
  static final String NAMES =
      "100 openat(AT_FDCWD, \"/tmp/\\33]52;c;aGk=\\7\", O_RDONLY) = 3\n"
          + "100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000\n"
          + "100 openat(AT_FDCWD, \"/tmp/x\\33[2J\", O_RDONLY) = 4</tmp/x\\33[2J>\n"
          + "100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 4</tmp/x\\33[2J>, 0) = 0x7f0000010000\n"
          + "100 +++ exited with 0 +++\n";

  @Test
  void fileNamesWithTerminalEscapesAreShownEscapedInTheSummaryAndTheMapsListing() throws Exception {
    Path log = dir.resolve("names.log");
    Files.writeString(log, NAMES);
    String[] summary = run("analyze", "--summary", log.toString());
    String[] maps = run("maps", "--at", "4", log.toString());
    for (String[] r : new String[][] {summary, maps}) {
      assertThat(r[0]).isEqualTo("0");
      assertThat(r[1])
          .doesNotContain("\u001b")
          .doesNotContain("\u0007")
          .contains("/tmp/\\x1b]52;c;aGk=\\x07")
          .contains("/tmp/x\\x1b[2J");
    }
    // the end and the peak name each file alike: one row each
    assertThat(summary[1]).doesNotContain("\\33");
  }

  @Test
  void theHtmlReportEmbedsTheBytesAsInertJson() throws Exception {
    Path html = dir.resolve("report.html");
    String[] r = run("analyze", "--format", "html", "-o", html.toString(), log().toString());
    assertThat(r[0]).isEqualTo("0");
    String page = Files.readString(html);
    assertThat(page.split("</script>", -1)).hasSize(3);
    assertThat(page).doesNotContain("<img").doesNotContain("<!-- not").doesNotContain("\u001b");
    assertThat(page)
        .containsIgnoringCase("\\u001b]0;pwned\\u0007")
        .contains("\\u003c/textarea\\u003e");
  }
}
