package dev.memtrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.explain.ExplainStats;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.explain.Tally;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The summary's object column: a long name keeps the part that tells it apart; and the heading of a
 * space several tasks used.
 */
class SummaryTextTest {

  @Test
  void aMemfdNameCutByStraceKeepsItsNameAndItsMarks() {
    // cut from the left it read "…ut by strace -s) (deleted)": the name itself was gone
    assertThat(SummaryText.shorten("/memfd:mymemfdl... (cut by strace -s) (deleted)"))
        .isEqualTo("/memfd:mymemfdl… (deleted)");
    assertThat(
            SummaryText.shorten(
                "/memfd:mymemfdlongname_for_the_jit_code... (cut by strace -s) (deleted)"))
        .isEqualTo("/memfd:mymem…t_code… (deleted)");
  }

  @Test
  void aLongLastPathElementKeepsItsStartAndItsEnd() {
    String a =
        SummaryText.shorten(
            "/usr/lib/python3.11/lib-dynload/_struct.cpython-311-x86_64-linux-gnu.so");
    String b =
        SummaryText.shorten(
            "/usr/lib/python3.11/lib-dynload/_json.cpython-311-x86_64-linux-gnu.so");
    assertThat(a).hasSize(30).startsWith("…_struct.cpython").endsWith("gnu.so");
    assertThat(b).startsWith("…_json.cpython").isNotEqualTo(a);
  }

  @Test
  void aPathWhoseLastElementFitsIsCutFromTheLeftAsBefore() {
    assertThat(SummaryText.shorten("/usr/lib/locale/C.utf8/LC_MEASUREMENT"))
        .isEqualTo("…/locale/C.utf8/LC_MEASUREMENT");
    assertThat(SummaryText.shorten("/usr/lib/libc.so.6")).isEqualTo("/usr/lib/libc.so.6");
  }

  @Test
  void aSpaceSeveralTasksUsedNamesThemPidsNotOneProcess() throws Exception {
    // strace -f -e trace=%memory java -version: no clone in the log, the JVM's threads met midway
    // share the space; it read "process [17870, 17871, 17873] the program"
    StringWriter w = new StringWriter();
    SummaryText.write(
        w,
        List.of(
            new SpaceReport(
                "java",
                List.of(17870, 17871, 17873),
                new Tally(),
                new Tally(),
                1,
                1,
                false,
                1,
                List.of())),
        new ExplainStats());
    assertThat(w.toString())
        .contains("\npids 17870, 17871, 17873 java: ")
        .doesNotContain("process [");
  }
}
