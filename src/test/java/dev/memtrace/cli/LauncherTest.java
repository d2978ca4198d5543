package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, {@code bin/memtrace}, started with closed standard descriptors: the JVM's own files
 * must not take their place, neither as analyze's input nor in a traced program. It runs from a
 * copy beside a jar that only names the test classpath, so no build is started.
 */
class LauncherTest {

  @TempDir Path dir;

  record Ran(int status, String out, String err) {}

  @Test
  void analyzeWithStandardInputClosedReadsNothing() throws Exception {
    Ran r = launch("exec \"$@\" <&-", "analyze", "--format", "jsonl");
    // sizes and first lines only: the failure this guards against printed a timeline of 128 MB
    assertThat(r.out().length()).as("bytes of timeline").isZero();
    assertThat(r.err().lines().limit(2).toList())
        .containsExactly("memtrace: standard input is empty: no lines to read");
    assertThat(r.status()).isZero();
  }

  @Test
  void aTracedProgramGetsNoneOfMemtracesFiles() throws Exception {
    assumeStrace();
    // head reads standard input: with it closed, it must read nothing (it printed the JVM's
    // modules)
    Ran head =
        launch("exec \"$@\" <&-", "--no-snapshots", "-o", "/dev/null", "--", "head", "-c", "100");
    assertThat(head.out()).isEmpty();
    assertThat(head.status()).isZero();
    // the descriptors of a traced program started with standard input and output closed
    Process p =
        start("exec \"$@\" <&- >&-", "--no-snapshots", "-o", "/dev/null", "--", "sleep", "3");
    ProcessHandle sleep = null;
    for (int i = 0; i < 600 && sleep == null; i++) {
      sleep =
          p.descendants()
              .filter(h -> h.info().command().orElse("").endsWith("/sleep"))
              .findFirst()
              .orElse(null);
      Thread.sleep(50);
    }
    assertThat(sleep).as("the traced sleep").isNotNull();
    Map<String, String> fds = new TreeMap<>();
    try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(sleep.pid()), "fd"))) {
      for (Path fd : list.toList()) {
        fds.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(fds).as("nothing of memtrace's or strace's").containsOnlyKeys("0", "1", "2");
    assertThat(fds).containsEntry("0", "/dev/null").containsEntry("1", "/dev/null");
  }

  @Test
  void writingToAClosedStandardOutputIsAWriteError() throws Exception {
    Ran r =
        launch(
            "exec \"$@\" >&-",
            "analyze",
            Path.of("samples/01-cat-buffer/trace.log").toAbsolutePath().toString());
    assertThat(r.err()).isEqualTo("memtrace: write error: Bad file descriptor\n");
    assertThat(r.status()).isEqualTo(1);
  }

  /**
   * SIGQUIT to memtrace (Ctrl-\ sends it to the whole foreground group): the JVM prints a thread
   * dump, which went to standard output, the traced program's own: 238 lines in its output file.
   */
  @Test
  void aThreadDumpStaysOutOfTheProgramsOutput() throws Exception {
    assumeStrace();
    Process p = start("exec \"$@\"", "--no-snapshots", "-o", "/dev/null", "--", "sleep", "60");
    try {
      ProcessHandle sleep = null;
      for (int i = 0; i < 600 && sleep == null; i++) {
        sleep =
            p.descendants()
                .filter(h -> h.info().command().orElse("").endsWith("/sleep"))
                .findFirst()
                .orElse(null);
        Thread.sleep(50);
      }
      assertThat(sleep).as("the traced sleep").isNotNull();
      ProcessHandle java = p.toHandle(); // sh execs the launcher, which execs java
      assertThat(new ProcessBuilder("kill", "-QUIT", Long.toString(java.pid())).start().waitFor())
          .isZero();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline
          && !(Files.readString(dir.resolve("out.txt"), StandardCharsets.ISO_8859_1)
                  + Files.readString(dir.resolve("err.txt"), StandardCharsets.ISO_8859_1))
              .contains("Full thread dump")) {
        Thread.sleep(100);
      }
      java.destroy(); // SIGTERM: memtrace stops sleep and exits
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(dir.resolve("err.txt"), StandardCharsets.ISO_8859_1))
          .contains("Full thread dump");
      assertThat(Files.readString(dir.resolve("out.txt"), StandardCharsets.ISO_8859_1))
          .as("sleep's output")
          .isEmpty();
    } finally {
      p.destroyForcibly();
    }
  }

  /** Runs the launcher under {@code sh -c SHELL launcher ARGS...} (SHELL closes descriptors). */
  private Ran launch(String shell, String... args) throws IOException, InterruptedException {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = start(shell, args);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "the launcher did not finish within 120 s: "
              + Files.readString(out).length()
              + " bytes of output");
    }
    // ISO-8859-1: any bytes (the JVM's own modules file, in the failure this guards against) read
    // as text
    return new Ran(
        p.exitValue(),
        Files.readString(out, StandardCharsets.ISO_8859_1),
        Files.readString(err, StandardCharsets.ISO_8859_1));
  }

  /** Starts the launcher under {@code sh -c SHELL}, its output in out.txt and err.txt. */
  private Process start(String shell, String... args) throws IOException {
    Path launcher = install();
    List<String> argv = new ArrayList<>(List.of("sh", "-c", shell, "sh", launcher.toString()));
    argv.addAll(List.of(args));
    return new ProcessBuilder(argv)
        .directory(dir.toFile())
        .redirectInput(Path.of("/dev/null").toFile())
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile())
        .start();
  }

  /** A copy of bin/memtrace with a target/memtrace.jar whose manifest names the test classpath. */
  private Path install() throws IOException {
    Path launcher = dir.resolve("bin/memtrace");
    if (Files.exists(launcher)) {
      return launcher;
    }
    Files.createDirectories(launcher.getParent());
    Files.copy(Path.of("bin/memtrace"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
    Files.createDirectories(dir.resolve("target"));
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      cp.add(Path.of(e).toAbsolutePath().toUri().getRawPath());
    }
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", cp));
    try (OutputStream o = Files.newOutputStream(dir.resolve("target/memtrace.jar"));
        JarOutputStream jar = new JarOutputStream(o, m)) {
      // the manifest alone
    }
    return launcher;
  }
}
