package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code maps --explain} in a fork child: PostgreSQL 15's postmaster maps its main shared memory
 * (MAP_SHARED|MAP_ANONYMOUS) and forks a backend. The backend's listing said "the fork copied it",
 * but a fork shares a shared mapping's pages (dup_mmap), and copies only private ones.
 */
class ForkSharedExplainTest {

  static String log() throws Exception {
    return Path.of(
            ForkSharedExplainTest.class
                .getResource("/logs-extra/postgres_backend_pread_shared_buffers.log")
                .toURI())
        .toString();
  }

  @Test
  void aSharedRegionTheChildGotIsSharedNotCopied() throws Exception {
    Cli r = Cli.run("maps", "--explain", "--at", "9", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "inherited: the fork at line 6 gave it to 15488 from process 15483, shared: both map"
                + " the same pages, nothing is copied")
        // the private [heap] is still a copy
        .contains("inherited: the fork at line 6 copied it from process 15483 into 15488");
  }
}
