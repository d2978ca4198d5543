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

  @Test
  void theLegendNamesSharedMemoryInHugePagesAsMapsShowsIt() throws Exception {
    // postgres -c huge_pages=try with huge pages free: its main shared memory is
    // /anon_hugepage (deleted) in maps (hugetlb_file_setup), not /dev/zero (deleted)
    String log =
        Path.of(
                ForkSharedExplainTest.class
                    .getResource("/logs-extra/postgres_huge_pages_try.log")
                    .toURI())
            .toString();
    Cli r = Cli.run("maps", "--explain", "--at", "10", log);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("/anon_hugepage (deleted)")
        .contains(
            "shared anonymous memory as /dev/zero (deleted) (as /anon_hugepage (deleted) in"
                + " huge pages, MAP_HUGETLB)");
  }
}
