package dev.memtrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The summary's object column: a long name keeps the part that tells it apart. */
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
}
