package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.LiveItem;
import dev.memtrace.run.Recordings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to memtrace (a separate JVM here) stops the traced program and strace, leaves no process
 * behind, and still writes the timeline and the recording of what was traced.
 */
class RunInterruptTest {

  @TempDir Path dir;

  @Test
  void sigtermStopsTheWholeTreeAndKeepsWhatWasTraced() throws Exception {
    assumeStrace();
    Path rec = dir.resolve("run.mtrace");
    Path timeline = dir.resolve("timeline.txt");
    // a parent that ignores SIGTERM and a child that sleeps: both must go
    String script = "trap '' TERM; sleep 60 & sleep 61; wait";
    ProcessBuilder pb =
        MemtraceProcess.builder(dir.resolve("stderr.txt"),
            List.of("--save", rec.toString(), "-o", timeline.toString(), "--", "sh", "-c", script));
    Process memtrace = pb.start();
    List<ProcessHandle> tree = awaitTree(memtrace, 4); // strace, sh, two sleeps

    memtrace.toHandle().destroy(); // SIGTERM
    assertThat(memtrace.waitFor(20, TimeUnit.SECONDS)).as("memtrace exits").isTrue();

    assertThat(memtrace.exitValue()).isEqualTo(128 + 15);
    for (ProcessHandle p : tree) {
      p.onExit().get(5, TimeUnit.SECONDS);
      assertThat(p.isAlive()).as("pid %d (%s) is gone", p.pid(), p.info().command()).isFalse();
    }
    List<LiveItem> items = Recordings.items(rec);
    assertThat(Recordings.firstLine(items, "execve(")).isNotNull();
    assertThat(Recordings.firstLine(items, "+++ killed by SIGKILL +++")).as("sh ignored SIGTERM").isNotNull();
    assertThat(Files.readString(rec)).contains("\"type\":\"end\"", "\"interrupted\":true");
    assertThat(Files.readString(timeline)).contains("execve(").contains("+++ killed by");
  }

  private static List<ProcessHandle> awaitTree(Process p, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<ProcessHandle> tree = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      tree = p.toHandle().descendants().toList();
      if (tree.size() >= size) {
        Thread.sleep(300); // let strace log the sleeps' first calls
        return p.toHandle().descendants().toList();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the traced tree never reached " + size + " processes: " + tree);
  }
}
