package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.LiveItem;
import dev.memtrace.run.MapsSnapshot;
import dev.memtrace.run.Recordings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memtrace run -p PID}: the maps first, then the trace until the process ends. */
class RunAttachTest {

  @TempDir Path dir;

  @Test
  void attachingReadsTheMapsFirstAndReturnsTheProcessStatus() throws Exception {
    assumeStrace();
    // waits on its stdin until memtrace has attached, then forks a sleep and exits 7
    Process target =
        new ProcessBuilder("sh", "-c", "read x; sleep 0.1; exit 7")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      Thread.sleep(200); // let sh exec
      Path rec = dir.resolve("attach.mtrace");
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      CompletableFuture<Integer> status =
          CompletableFuture.supplyAsync(
              () ->
                  Main.run(
                      new String[] {
                        "run",
                        "-p",
                        Long.toString(target.pid()),
                        "--save",
                        rec.toString(),
                        "-o",
                        "/dev/null"
                      },
                      new PrintStream(new ByteArrayOutputStream()),
                      new PrintStream(err, true)));
      awaitTracer(target.pid());
      target.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
      target.getOutputStream().flush();

      assertThat(status.get(60, TimeUnit.SECONDS))
          .as(err.toString(StandardCharsets.UTF_8))
          .isEqualTo(7);
      List<LiveItem> items = Recordings.items(rec);
      MapsSnapshot first = (MapsSnapshot) items.get(0);
      assertThat(first.kind()).isEqualTo(MapsSnapshot.Kind.ATTACH);
      assertThat(first.pid()).isEqualTo(target.pid());
      assertThat(first.maps())
          .contains("[stack]")
          .contains("/" + Path.of("/bin/sh").toRealPath().getFileName())
          .doesNotContain("/sleep");
      assertThat(Recordings.firstLine(items, "[\"sleep\", \"0.1\"]"))
          .as("the forked child is traced")
          .isNotNull();
      assertThat(((LiveItem.LogLine) items.get(items.size() - 1)).text())
          .endsWith("+++ exited with 7 +++");
    } finally {
      target.destroyForcibly();
      target.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Waits until /proc/PID/status shows a tracer: strace has attached. */
  private static void awaitTracer(long pid) throws Exception {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    for (int i = 0; i < 600; i++) {
      for (String l : Files.readAllLines(status)) {
        if (l.startsWith("TracerPid:") && !l.endsWith("\t0")) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("strace never attached to " + pid);
  }
}
