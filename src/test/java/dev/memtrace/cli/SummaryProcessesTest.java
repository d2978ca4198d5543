package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The summary names every process the log shows, each under its own pid and program. Logs made on
 * Debian 12 with strace 6.1, Linux 6.18, trimmed.
 */
class SummaryProcessesTest {

  static String log(String name) throws Exception {
    return Path.of(SummaryProcessesTest.class.getResource("/logs-extra/" + name).toURI())
        .toString();
  }

  /**
   * src/test/resources/live/thread_execve.c under strace -f -tt -T -y writing to stderr: the second
   * thread 14080 calls execve, strace prints "+++ superseded by execve in pid 14080 +++", and, one
   * task being left, the lines after it without a pid. de_thread gave the thread the leader's pid
   * 14079 (execve(2)): those lines are /bin/echo's, in process 14079, whose execve the log shows.
   */
  @Test
  void aThreadsExecveLeavesTheLeadersPidRunningTheNewProgram() throws Exception {
    String log = log("thread_execve_f_stderr.log");
    Cli summary = Cli.run("analyze", "--summary", log);
    assertThat(summary.status()).as(summary.err()).isZero();
    assertThat(summary.out())
        .contains("process 14079 echo: ")
        .doesNotContain("texec")
        .doesNotContain("the program:")
        .doesNotContain("14080");
    Cli text = Cli.run("analyze", "--color", "never", log);
    String brk = text.out().substring(text.out().indexOf("  24: "));
    brk = brk.substring(0, brk.indexOf("  25: "));
    assertThat(brk)
        .contains("the first brk(0) of a fresh address space")
        .doesNotContain("was not seen starting")
        .doesNotContain("does not show this process start");
  }
}
