package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.LiveItem;
import dev.memtrace.run.Recordings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to memtrace (a separate JVM here) stops the traced program and strace, leaves no process
 * behind, says what it sent them, and still writes the timeline and the recording of what was
 * traced. SIGKILL, which memtrace cannot catch, still leaves no process and no temporary file
 * behind.
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
        MemtraceProcess.builder(
            dir.resolve("stderr.txt"),
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
    assertThat(Recordings.firstLine(items, "+++ killed by SIGKILL +++"))
        .as("sh ignored SIGTERM")
        .isNotNull();
    assertThat(Files.readString(rec))
        .contains("\"type\":\"end\"", "\"interrupted\":true")
        .as("the recording ends with memtrace's own status, not sh's 137")
        .contains("\"exitStatus\":143");
    assertThat(Files.readString(timeline)).contains("execve(").contains("+++ killed by");
    // the timeline shows the SIGTERMs (from memtrace's pid), not who sent the SIGKILLs: the
    // sleeps ignore SIGTERM too (sh's SIG_IGN is inherited across fork and execve)
    // (how many depends on how far sh got: its second sleep may not have started yet)
    String pids = "\\(pids \\d+ \\w+(, \\d+ \\w+)+\\)";
    assertThat(Files.readString(dir.resolve("stderr.txt")))
        .containsPattern(
            "(?m)^memtrace: stopped by SIGTERM: sent SIGTERM to \\d+ processes still running "
                + pids
                + ", then SIGKILL to the \\d+ still running 1\\.5 s later "
                + pids
                + "$");
  }

  @Test
  void sigkillLeavesNoProcessAndNoTemporaryFileBehind() throws Exception {
    assumeStrace();
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    // a tree: sh, a sleep, a second sh with its own sleep, and a sleep in the foreground
    String script = "sleep 60 & sh -c 'sleep 62; :' & sleep 61; wait";
    ProcessBuilder pb =
        MemtraceProcess.builder(
            dir.resolve("stderr.txt"),
            List.of("-o", dir.resolve("timeline.txt").toString(), "--", "sh", "-c", script));
    pb.command().add(1, "-Djava.io.tmpdir=" + tmp); // where memtrace makes its FIFO's directory
    Process memtrace = pb.start();
    List<ProcessHandle> tree = awaitTree(memtrace, 6); // strace and five traced (and the watchdog)
    try {
      assertThat(tree).anyMatch(p -> p.info().command().orElse("").endsWith("strace"));
      assertThat(tmp).isNotEmptyDirectory();

      memtrace.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(memtrace.waitFor(20, TimeUnit.SECONDS)).isTrue();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (ProcessHandle p : tree) {
        while (running(p) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(running(p)).as("pid %d (%s) is gone", p.pid(), p.info().commandLine()).isFalse();
      }
      assertThat(tmp).as("the FIFO's directory is removed").isEmptyDirectory();
    } finally {
      tree.forEach(ProcessHandle::destroyForcibly); // whatever a failure left
    }
  }

  /** Alive and not a zombie (strace, reparented, may wait a moment to be reaped). */
  private static boolean running(ProcessHandle p) throws IOException {
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    if (!p.isAlive() || !Files.exists(stat)) {
      return false;
    }
    try {
      String s = Files.readString(stat);
      return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Test
  void sigtermWhileAttachedDetachesAndLeavesTheProcessRunning() throws Exception {
    assumeStrace();
    Process target = new ProcessBuilder("sleep", "60").start();
    try {
      Path timeline = dir.resolve("attach.txt");
      Process memtrace =
          MemtraceProcess.builder(
                  dir.resolve("stderr.txt"),
                  List.of("run", "-p", Long.toString(target.pid()), "-o", timeline.toString()))
              .start();
      Path status = Path.of("/proc", Long.toString(target.pid()), "status");
      awaitTracer(status, true);

      memtrace.toHandle().destroy(); // SIGTERM
      assertThat(memtrace.waitFor(20, TimeUnit.SECONDS)).isTrue();

      assertThat(memtrace.exitValue()).isEqualTo(128 + 15);
      assertThat(target.isAlive()).as("the attached process keeps running").isTrue();
      awaitTracer(status, false);
      assertThat(Files.readString(timeline))
          .as("what was traced is written")
          .contains(Long.toString(target.pid()));
    } finally {
      target.destroyForcibly();
      target.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * SIGTERM the moment the recording appears, before the attach snapshot and strace: the stop hook
   * used to be registered only after both, so the JVM exited at once and left the file empty. The
   * hook now comes before the file: the recording has its header and an end that says the run was
   * interrupted, and its replay says why it holds no call.
   */
  @Test
  void sigtermAsTheRecordingOpensEndsItIntact() throws Exception {
    assumeStrace();
    Process target = new ProcessBuilder("sleep", "60").start();
    try {
      Path rec = dir.resolve("early.mtrace");
      Process memtrace =
          MemtraceProcess.builder(
                  dir.resolve("stderr.txt"),
                  List.of(
                      "run",
                      "-p",
                      Long.toString(target.pid()),
                      "--save",
                      rec.toString(),
                      "-o",
                      dir.resolve("early.txt").toString()))
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(rec) && memtrace.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      memtrace.toHandle().destroy(); // SIGTERM
      assertThat(memtrace.waitFor(20, TimeUnit.SECONDS)).isTrue();

      assertThat(memtrace.exitValue()).isEqualTo(128 + 15);
      assertThat(target.isAlive()).isTrue();
      String text = Files.readString(rec);
      assertThat(text)
          .startsWith("{\"type\":\"header\"")
          .contains("\"type\":\"end\"", "\"interrupted\":true", "\"exitStatus\":143");
      Cli replay = Cli.run("analyze", rec.toString());
      assertThat(replay.status()).isZero();
      if (!text.contains("\"type\":\"log\"")) {
        assertThat(replay.err())
            .contains(
                rec
                    + ": the run was stopped (memtrace exited with 143) before strace logged a"
                    + " line");
      }
    } finally {
      target.destroyForcibly();
      target.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Waits until /proc/PID/status shows a tracer ({@code traced}) or none. */
  private static void awaitTracer(Path status, boolean traced) throws Exception {
    for (int i = 0; i < 600; i++) {
      boolean now =
          Files.readAllLines(status).stream()
              .anyMatch(l -> l.startsWith("TracerPid:") && !l.endsWith("\t0"));
      if (now == traced) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(status + (traced ? ": never traced" : ": still traced"));
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
