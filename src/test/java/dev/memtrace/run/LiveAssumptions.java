package dev.memtrace.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Skips live tests cleanly where strace or gcc is missing (CI installs both). */
public final class LiveAssumptions {

  private LiveAssumptions() {}

  public static void assumeStrace() {
    assumeTrue(
        Preflight.onPath("strace", System.getenv("PATH")) != null,
        "strace is not installed: live test skipped (apt-get install strace)");
    assumeTrue(ptraceWorks(), "ptrace is not permitted here: live test skipped");
  }

  public static void assumeGcc() {
    assumeTrue(
        Preflight.onPath("gcc", System.getenv("PATH")) != null,
        "gcc is not installed: live test skipped (apt-get install gcc)");
  }

  /** Compiles a C file from src/test/resources/live into dir; returns the binary. */
  public static Path compile(String name, Path dir) throws IOException, InterruptedException {
    assumeGcc();
    Path src = dir.resolve(name + ".c");
    try (var in = LiveAssumptions.class.getResourceAsStream("/live/" + name + ".c")) {
      Files.copy(in, src);
    }
    Path bin = dir.resolve(name);
    Process p =
        new ProcessBuilder(List.of("gcc", "-O0", "-pthread", "-o", bin.toString(), src.toString()))
            .inheritIO()
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("gcc failed on " + src);
    }
    return bin;
  }

  private static boolean ptraceWorks() {
    try {
      Process p =
          new ProcessBuilder("strace", "-o", "/dev/null", "--", "true")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
