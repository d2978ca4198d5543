package dev.memtrace.run;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tools the live tests need (the README's test command installs them: strace, gcc, chromium). A
 * missing tool fails the test with a message naming it; nothing is skipped.
 */
public final class LiveAssumptions {

  private LiveAssumptions() {}

  /** Fails the test unless TOOL is on the PATH, naming the Debian package that has it. */
  public static void require(String tool, String debianPackage) {
    if (Preflight.onPath(tool, System.getenv("PATH")) == null) {
      fail(tool + " is not installed; this test needs it (apt-get install " + debianPackage + ")");
    }
  }

  /** strace is installed and may trace here; fails the test otherwise. */
  public static void assumeStrace() {
    require("strace", "strace");
    if (!ptraceWorks()) {
      fail(
          "strace cannot trace here: `strace -o /dev/null true` fails (ptrace refused:"
              + " kernel.yama.ptrace_scope, a seccomp filter or a missing CAP_SYS_PTRACE)");
    }
  }

  /** gcc is installed; fails the test otherwise. */
  public static void assumeGcc() {
    require("gcc", "gcc");
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
