package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.LiveAssumptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a live timeline reaches its reader: while the program waits, what it did is written (but for
 * the explain stage's window), in whole lines.
 */
class RunTimelineFlowTest {

  @TempDir Path dir;

  /**
   * waits.c makes 400 getppid calls, then reads its standard input until it ends. The timeline (a
   * few tens of KiB) used to sit in memtrace's 64 KiB output buffer until the program ended.
   */
  @ParameterizedTest
  @ValueSource(strings = {"text", "jsonl"})
  void whatTheProgramDidIsWrittenWhileItWaits(String format) throws Exception {
    assumeStrace();
    Path bin = LiveAssumptions.compile("waits", dir);
    Path timeline = dir.resolve("timeline." + format);
    Process memtrace =
        MemtraceProcess.builder(
                dir.resolve("stderr.txt"),
                List.of(
                    "--format",
                    format,
                    "--no-snapshots",
                    "-o",
                    timeline.toString(),
                    "--",
                    bin.toString()))
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    String seen = "";
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!seen.contains("getppid") && System.nanoTime() < deadline) {
        Thread.sleep(100);
        seen = Files.exists(timeline) ? Files.readString(timeline, StandardCharsets.UTF_8) : "";
      }
    } finally {
      memtrace.getOutputStream().close(); // the program's standard input ends: it exits
    }
    assertThat(memtrace.waitFor(60, TimeUnit.SECONDS)).as("memtrace ends").isTrue();
    assertThat(memtrace.exitValue()).isZero();
    assertThat(seen)
        .as("the timeline while the program waits")
        .contains("execve", bin.toString(), "getppid")
        .endsWith("\n");
    assertThat(Files.readString(timeline)).contains("exit_group");
  }
}
