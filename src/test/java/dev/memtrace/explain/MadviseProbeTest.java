package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A madvise of 0 bytes changes nothing (do_madvise returns 0 once it knows the advice and sees the
 * length is 0): HotSpot 25 asks madvise(NULL, 0, MADV_POPULATE_WRITE) at start-up, which read
 * "fault the pages in now" of no pages. strace -f of Temurin 25's java, cut to the call.
 */
class MadviseProbeTest {

  @Test
  void aZeroLengthMadviseIsAProbe() {
    Run.Out out =
        Run.explain(
            """
            10579 13:31:52.163703 madvise(NULL, 0, MADV_POPULATE_WRITE) = 0 <0.000014>
            10579 13:31:52.163800 madvise(0x7f96c1414000, 4096, MADV_POPULATE_WRITE) = 0 <0.000014>
            """);
    assertThat(out.why(1))
        .startsWith(
            "a madvise of 0 bytes changes nothing: the kernel checks only that it knows the"
                + " advice (MADV_POPULATE_WRITE; EINVAL if not)")
        .doesNotContain("fault the pages in");
    assertThat(out.why(2)).contains("MADV_POPULATE_WRITE on 4096 bytes: fault the pages in now");
  }
}
