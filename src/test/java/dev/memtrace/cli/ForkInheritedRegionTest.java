package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code where} and {@code maps --explain} in a fork child: a region the child got from its parent
 * at the fork names the parent's call that made it, and says the fork copied it (dup_mmap), so the
 * line it cites, which ran in another process, is not read as the child's own. The log: bash -c '(
 * cd /tmp; read x < /etc/hostname; ... )' under strace -f -tt -T -y, trimmed: 21747 grows its
 * [heap] at line 35 and forks the subshell 21748 at line 95.
 */
class ForkInheritedRegionTest {

  static String log() throws Exception {
    return Path.of(
            ForkInheritedRegionTest.class.getResource("/logs-extra/bash_subshell_fork.log").toURI())
        .toString();
  }

  @Test
  void whereInTheChildSaysTheForkCopiedTheParentsHeap() throws Exception {
    Cli r = Cli.run("where", "0x55c5fbeed000", "--at", "96", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("# line 96 pid 21748")
        .contains("made by line 35: 21747")
        .contains(
            "inherited: the fork at line 95 copied it from process 21747 into 21748; the line"
                + " above ran in 21747 or an ancestor, before that fork")
        .doesNotContain("null");
  }

  @Test
  void whereInTheParentSaysNothingOfAFork() throws Exception {
    Cli r = Cli.run("where", "0x55c5fbeed000", "--at", "95", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("made by line 35: 21747").doesNotContain("inherited");
  }

  @Test
  void mapsExplainMarksWhatTheKernelMappedAtTheParentsExecveAsInherited() throws Exception {
    Cli r = Cli.run("maps", "--explain", "--at", "96", log());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern(
            "made by the kernel at the execve on line 1 [^\n]*\n    inherited: the fork at line 95"
                + " copied it from process 21747 into 21748");
  }

  /**
   * The timeline too: bash -c '(echo hi) > /dev/null; true' under strace -f -tt -T -y -e raw=write,
   * trimmed: the subshell 29552 writes from the [heap] its parent's brk at line 35 made, which the
   * fork at line 95 copied.
   */
  @Test
  void aForkChildsBufferInItsParentsHeapNamesTheFork() throws Exception {
    String log =
        Path.of(
                ForkInheritedRegionTest.class
                    .getResource("/logs-extra/bash_subshell_write_raw.log")
                    .toURI())
            .toString();
    Cli r = Cli.run("analyze", log);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "the buffer at 0x55855543d070 is 77936 bytes into the [heap] made at line 35 (heap"
                + " (brk); the fork at line 95 copied it from process 29551)");
  }
}
