package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that ends but leaves processes running (a daemon, {@code sh -c 'sleep 60 & exit 3'}):
 * strace -f, and so memtrace, go on until they end. memtrace says so once they have outlived the
 * program a moment, naming them, so that a run that does not return is explained; Ctrl-C then stops
 * them too.
 */
class RunLeftBehindTest {

  private static final Pattern NOTICE =
      Pattern.compile(
          "memtrace: sh exited with 3 and left 1 process running \\(pid (\\d+) sleep\\): memtrace"
              + " traces it until it ends \\(Ctrl-C stops it\\)\n");

  @TempDir Path dir;

  @Test
  void whatTheProgramLeftRunningIsNamedAndStoppedWithIt() throws Exception {
    assumeStrace();
    Path stderr = dir.resolve("stderr.txt");
    Path timeline = dir.resolve("timeline.txt");
    Process memtrace =
        MemtraceProcess.builder(
                stderr,
                List.of(
                    "--no-snapshots",
                    "-o",
                    timeline.toString(),
                    "--",
                    "sh",
                    "-c",
                    "sleep 60 & exit 3"))
            .start();
    Optional<ProcessHandle> sleep = Optional.empty();
    try {
      Matcher m = NOTICE.matcher("");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!m.find() && memtrace.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        m = NOTICE.matcher(Files.readString(stderr));
      }
      String said = Files.readString(stderr);
      assertThat(said).as("the notice").matches("(?s)" + NOTICE.pattern());
      sleep = ProcessHandle.of(Long.parseLong(m.group(1)));
      assertThat(sleep).as("the pid named runs").isPresent();
      assertThat(sleep.get().info().command().orElse("")).endsWith("sleep");

      memtrace.toHandle().destroy(); // SIGTERM, as Ctrl-C would be SIGINT
      assertThat(memtrace.waitFor(30, TimeUnit.SECONDS)).as("memtrace exits").isTrue();
      assertThat(memtrace.exitValue()).isEqualTo(128 + 15);
      assertThat(MemtraceProcess.gone(sleep.get())).as("sleep is stopped with memtrace").isTrue();
      assertThat(Files.readString(timeline))
          .contains("+++ exited with 3 +++")
          .contains("+++ killed by SIGTERM +++");
    } finally {
      memtrace.destroyForcibly();
      sleep.ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aProgramThatLeavesNothingRunningGetsNoNotice() throws Exception {
    assumeStrace();
    Path stderr = dir.resolve("stderr.txt");
    Process memtrace =
        MemtraceProcess.builder(
                stderr,
                List.of(
                    "--no-snapshots",
                    "-o",
                    dir.resolve("timeline.txt").toString(),
                    "--",
                    "sh",
                    "-c",
                    "sleep 3; exit 3"))
            .start();
    assertThat(memtrace.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(memtrace.exitValue()).isEqualTo(3);
    assertThat(Files.readString(stderr)).doesNotContain("left");
  }
}
