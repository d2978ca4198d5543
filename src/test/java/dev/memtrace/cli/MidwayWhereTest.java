package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code where} and {@code maps --explain} on a task whose start the log does not show: one file of
 * an strace -ff -o x set of a dash script, read alone, the child find forked to run md5sum (find
 * -exec md5sum {} +), whose first line is set_robust_list on its TLS, which find's ld.so mapped
 * before the fork. The address is in no region the model holds, but it is mapped: where said "else
 * it is unmapped" after naming only the kernel's execve regions.
 */
class MidwayWhereTest {

  static String log() throws Exception {
    return Path.of(
            MidwayWhereTest.class.getResource("/logs-extra/find_exec_child_ff_10642.log").toURI())
        .toString();
  }

  @Test
  void anAddressOutsideWhatTheLogShowsMayLieInWhatWasMappedBeforeItsFirstLine() throws Exception {
    Cli r = Cli.run("where", "0x7fe1acc494a0", "--at", "2", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "0x7fe1acc494a0 is in no region the trace shows: the log does not show this process"
                + " starting (its first line is neither its clone nor an execve), so it may lie in"
                + " a region mapped before that line, or in one the kernel mapped at execve; else"
                + " it is unmapped")
        .doesNotContain("whose address is not in the trace (listed below), else it is unmapped");
  }

  @Test
  void mapsExplainSaysTheListingHoldsOnlyWhatTheLogMade() throws Exception {
    Cli r = Cli.run("maps", "--explain", "--at", "2", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "# the log does not show this process starting (its first line is neither its clone"
                + " nor an execve): what it mapped before is unknown, and only the regions the"
                + " lines up to here made are listed");
  }
}
