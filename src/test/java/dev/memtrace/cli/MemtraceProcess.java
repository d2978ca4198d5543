package dev.memtrace.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * memtrace as a separate process (same classpath as the tests), for what an in-process call cannot
 * show: the traced program's standard streams, and signals sent to memtrace.
 */
final class MemtraceProcess {

  record Result(int status, String stderr) {}

  private MemtraceProcess() {}

  static ProcessBuilder builder(Path stderr, List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(Main.class.getName());
    argv.addAll(args);
    return new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile());
  }

  /**
   * Runs memtrace with stdin from {@code in} and stdout into {@code out}; waits up to two minutes.
   */
  static Result run(Path dir, Path in, Path out, String... args)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb =
        builder(err, List.of(args)).redirectInput(in.toFile()).redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("memtrace did not finish within 120 s");
    }
    return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Runs memtrace with stdout on /dev/null; waits up to two minutes. */
  static Result run(Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    ProcessBuilder pb = builder(err, List.of(args));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("memtrace did not finish within 120 s");
    }
    return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Whether the process ends within 10 s (a zombie nobody reaps counts as ended). */
  static boolean gone(ProcessHandle p) throws Exception {
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String s;
      try {
        s = p.isAlive() ? Files.readString(stat) : null;
      } catch (NoSuchFileException e) {
        s = null;
      }
      if (s == null || s.charAt(s.lastIndexOf(')') + 2) == 'Z') {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
