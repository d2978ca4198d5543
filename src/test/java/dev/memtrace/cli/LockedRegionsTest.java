package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code maps --explain} and {@code where} note a region the model holds locked, which a line of
 * /proc/PID/maps does not show: gpg-agent 2.2.40 mlocks libgcrypt's 64 KiB secure pool (line 8 of
 * the cut trace) and forks into its daemon (line 9), whose copy is not locked.
 */
class LockedRegionsTest {

  private static String log() throws Exception {
    return Path.of(
            LockedRegionsTest.class.getResource("/logs-extra/gpg_agent_secmem_fork.log").toURI())
        .toString();
  }

  @Test
  void mapsExplainNotesTheLockedPoolInTheParentOnly() throws Exception {
    Cli parent = Cli.run("maps", "--explain", "--at", "8", log());
    assertThat(parent.status()).as(parent.err()).isZero();
    String pool = parent.out().substring(parent.out().indexOf("7f288aa01000-7f288aa11000"));
    assertThat(pool.lines().limit(5).toList())
        .anySatisfy(l -> assertThat(l).startsWith("    locked (VM_LOCKED"));
    Cli child = Cli.run("maps", "--explain", "--at", "10", log());
    assertThat(child.status()).as(child.err()).isZero();
    assertThat(child.out()).contains("# line 10 pid 7199").doesNotContain("locked (VM_LOCKED");
  }

  @Test
  void whereNotesTheLock() throws Exception {
    Cli r = Cli.run("where", "0x7f288aa01100", "--at", "8", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("locked (VM_LOCKED").contains("smaps shows lo");
  }
}
