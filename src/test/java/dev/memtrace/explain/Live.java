package dev.memtrace.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real programs under strace for the live tests. */
final class Live {
  private Live() {}

  static boolean has(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command, waiting at most a minute; returns its exit status. */
  static int run(List<String> cmd, Path dir) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(dir.resolve("stderr.txt").toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + cmd);
    }
    return p.exitValue();
  }

  /** Traces a command with the given strace options; returns the log. */
  static Path trace(Path dir, List<String> straceOptions, String... command)
      throws IOException, InterruptedException {
    Path log = dir.resolve("trace.log");
    List<String> cmd = new ArrayList<>(List.of("strace", "-o", log.toString()));
    cmd.addAll(straceOptions);
    cmd.addAll(List.of(command));
    run(cmd, dir);
    return log;
  }
}
