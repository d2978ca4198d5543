package dev.memtrace.explain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real programs under strace for the live tests; tells when a tool is missing. */
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

  /** Compiles a C program from the test resources into dir; returns the binary. */
  static Path compile(String name, Path dir) throws IOException, InterruptedException {
    Path src = dir.resolve(name + ".c");
    try (InputStream in = Live.class.getResourceAsStream("/live/" + name + ".c")) {
      Files.copy(in, src);
    }
    Path bin = dir.resolve(name);
    int rc = run(List.of("gcc", "-O0", "-pthread", "-o", bin.toString(), src.toString()), dir);
    if (rc != 0) {
      throw new IOException("gcc failed: " + Files.readString(dir.resolve("stderr.txt")));
    }
    return bin;
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
