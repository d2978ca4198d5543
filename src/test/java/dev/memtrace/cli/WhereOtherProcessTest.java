package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code where} at a line of one process for an address another process of the log holds:
 * PostgreSQL 15's postmaster (2731) forks a backend (2752), which maps a dynamic shared memory
 * segment from /dev/shm that the postmaster never maps. Asked at the postmaster's later signal
 * line, where said the address "is in no region the trace shows", though the trace shows it in the
 * backend.
 */
class WhereOtherProcessTest {

  static String log() throws Exception {
    return Path.of(
            WhereOtherProcessTest.class
                .getResource("/logs-extra/postgres_backend_dsm_where.log")
                .toURI())
        .toString();
  }

  @Test
  void anAddressAnotherProcessHoldsIsNamedThereAndNotSaidToBeOutsideTheTrace() throws Exception {
    Cli r = Cli.run("where", "0x7f865243c010", "--at", "9", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("# line 9 pid 2731")
        .contains("0x7f865243c010 is in no region of this process that the trace shows")
        .doesNotContain("0x7f865243c010 is in no region the trace shows")
        .contains("in process 2752 at this line it is in 7f865243c000-7f865253c000 rw-s")
        .contains("/dev/shm/PostgreSQL.51963222, made at line 7");
  }

  @Test
  void anAddressTheLinesProcessHoldsNamesNoOtherProcess() throws Exception {
    // the shared anonymous memory the postmaster mapped before the fork: both hold it
    Cli r = Cli.run("where", "0x7f865255e000", "--at", "9", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("0x7f865255e000 is in 7f865255d000").doesNotContain("in process");
  }
}
