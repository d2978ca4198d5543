package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --summary} and {@code --with-summary} on live runs, as on {@code analyze}. */
class LiveSummaryTest {

  @Test
  void withSummaryWritesTheTimelineThenTheSummary() {
    assumeStrace();
    Cli r = Cli.run("--with-summary", "--color", "never", "--no-snapshots", "--", "true");
    assertThat(r.status()).as(r.err()).isZero();
    // the timeline and the summary go where a live run's timeline goes: standard error
    assertThat(r.err()).contains("exit_group(0)").contains("== summary ==");
    assertThat(r.err().indexOf("== summary ==")).isGreaterThan(r.err().indexOf("exit_group(0)"));
    assertThat(r.err()).containsPattern("process \\d+ true: ");
  }

  @Test
  void summaryWritesOnlyTheSummary() {
    assumeStrace();
    Cli r = Cli.run("--summary", "--color", "never", "--no-snapshots", "--", "true");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("== summary ==").doesNotContain("exit_group(0)");
    assertThat(r.err()).containsPattern("process \\d+ true: ");
  }

  @Test
  void bothAtOnceAreRefusedOnOneLine() {
    Cli r = Cli.run("--summary", "--with-summary", "--", "true");
    assertThat(r.status()).isEqualTo(125);
    assertThat(r.err()).startsWith("memtrace: give either --summary or --with-summary, not both");
  }
}
