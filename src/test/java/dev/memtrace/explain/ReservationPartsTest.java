package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A call over several parts of one reservation that later calls told apart names the reservation
 * (node 18, Debian 12: strace -f -tt -T -y node -e '...', trimmed): V8 reserves 512 MiB PROT_NONE,
 * commits a data page and its code space in it with mprotect, then advises and unmaps over them.
 */
class ReservationPartsTest {

  @Test
  void aCallOverTheReservationAndItsCommittedPartsNamesTheReservation() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/node_v8_reservation_parts.log").toURI()));
    // both read "of the range made at line 4" once a call over a reservation's parts was named
    // by the parts' common name and V8's parts have none
    assertThat(out.why(15))
        .startsWith("MADV_DONTNEED on 262144 bytes of the V8 reservation of 537128960 bytes");
    assertThat(out.why(16))
        .startsWith(
            "unmaps 536870912 bytes of the V8 reservation of 537128960 bytes made at line 4");
  }
}
