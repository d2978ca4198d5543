package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.LiveAssumptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a live timeline reaches its reader: while the program waits, what it did is written (but for
 * the explain stage's window), in whole lines; a reader that goes away ends the run instead of
 * leaving memtrace tracing a program nobody watches.
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

  /**
   * {@code memtrace -- sh -c 'yes > /dev/null' 2>&1 | head -1}: the timeline's reader goes away;
   * memtrace used to trace on as long as the program ran (here: for ever).
   */
  @Test
  void aReaderThatGoesAwayStopsTheRun() throws Exception {
    assumeStrace();
    Process memtrace =
        MemtraceProcess.builder(
                dir.resolve("unused.txt"),
                List.of("--no-snapshots", "--", "sh", "-c", "yes > /dev/null"))
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    List<ProcessHandle> tree = List.of();
    try {
      InputStream timeline = memtrace.getErrorStream();
      byte[] first = timeline.readNBytes(4096);
      assertThat(new String(first, StandardCharsets.UTF_8)).contains("execve(");
      tree = memtrace.toHandle().descendants().toList();
      timeline.close(); // the reader goes away, as head does

      assertThat(memtrace.waitFor(60, TimeUnit.SECONDS)).as("memtrace ends").isTrue();
      assertThat(memtrace.exitValue()).as("sh, stopped with SIGTERM").isEqualTo(128 + 15);
      for (ProcessHandle p : tree) {
        assertThat(MemtraceProcess.gone(p))
            .as("pid %d (%s) is gone", p.pid(), p.info().commandLine())
            .isTrue();
      }
    } finally {
      memtrace.destroy();
      memtrace.waitFor(30, TimeUnit.SECONDS);
      tree.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
