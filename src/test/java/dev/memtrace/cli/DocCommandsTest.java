package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.LiveAssumptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command in the {@code sh} blocks of README.md and samples/*&#47;README.md runs as written
 * from the folder it says: README.md and samples/README.md from the project's folder, a sample's
 * README from that sample's folder (a copy of it, so the files it writes are compared with the
 * sample's own instead of replacing them). {@code memtrace} is on the PATH through the README's
 * install line, {@code bin/memtrace --install DIR}, into a temporary DIR; the launcher runs the
 * classes under test ({@code MEMTRACE_CLASSPATH}). The {@code apt-get} steps are what .ci/run does:
 * they are not rerun, the tools they install must be there. The README's test command is checked to
 * be .ci/run's, not run (it is what is running). A command that is meant to fail says so: {@code #
 * exits N}.
 */
class DocCommandsTest {

  private static final Pattern EXITS = Pattern.compile("# exits (\\d+)");
  private static final Pattern WRITES = Pattern.compile("> (\\S+)\\s*(?:#.*)?$");

  @TempDir static Path tmp;
  static Path bin;

  @BeforeAll
  static void install() throws Exception {
    LiveAssumptions.assumeStrace();
    LiveAssumptions.assumeGcc();
    bin = Files.createDirectories(tmp.resolve("bin"));
    Result r = run(Path.of("").toAbsolutePath(), "bin/memtrace --install " + bin, null);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(Files.readSymbolicLink(bin.resolve("memtrace")))
        .isEqualTo(Path.of("bin/memtrace").toAbsolutePath());
  }

  static Stream<Path> readmes() throws IOException {
    List<Path> all = new ArrayList<>(List.of(Path.of("README.md"), Path.of("samples/README.md")));
    try (Stream<Path> dirs = Files.list(Path.of("samples"))) {
      dirs.map(d -> d.resolve("README.md")).filter(Files::isRegularFile).sorted().forEach(all::add);
    }
    return all.stream().distinct();
  }

  @ParameterizedTest
  @MethodSource("readmes")
  void everyCommandRunsAsWrittenFromItsFolder(Path readme) throws Exception {
    boolean sample = readme.getParent() != null && readme.getParent().getParent() != null;
    Path dir = sample ? copy(readme.getParent()) : Path.of("").toAbsolutePath();
    List<String> commands = commands(readme);
    assertThat(commands).as("commands in %s", readme).isNotEmpty();
    for (String written : commands) {
      String command = asRun(written);
      if (command == null) {
        continue;
      }
      if (command.startsWith("cd ") && !command.contains(" && ") && !command.contains(";")) {
        dir = dir.resolve(command.substring(3).trim()).normalize();
        assertThat(dir).as("%s: `%s`", readme, written).isDirectory();
        continue;
      }
      Matcher exits = EXITS.matcher(written);
      int expected = exits.find() ? Integer.parseInt(exits.group(1)) : 0;
      Result r = run(dir, command, bin);
      assertThat(r.status())
          .as("%s: `%s` in %s; stderr: %s", readme, written, dir, r.err())
          .isEqualTo(expected);
      Matcher w = WRITES.matcher(written);
      if (sample
          && w.find()
          && !w.group(1).startsWith("/")
          && Files.isRegularFile(readme.getParent().resolve(w.group(1)))) {
        assertThat(dir.resolve(w.group(1)))
            .as("%s: `%s` writes the sample's %s", readme, written, w.group(1))
            .hasSameBinaryContentAs(readme.getParent().resolve(w.group(1)));
      }
    }
  }

  @Test
  void theReadmesTestCommandIsWhatCiRuns() throws IOException {
    List<String> tests =
        commands(Path.of("README.md")).stream().filter(c -> c.contains("mvn")).toList();
    List<String> ci = Files.readAllLines(Path.of(".ci/run"));
    assertThat(tests).containsExactly(ci.get(ci.size() - 1));
  }

  @Test
  void theReadmesExcerptIsWhatTheRecordedRunPrints() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf("```\n", readme.indexOf("An excerpt")) + 4;
    List<String> excerpt =
        readme
            .substring(from, readme.indexOf("```", from))
            .lines()
            .filter(l -> !l.equals("..."))
            .toList();
    assertThat(excerpt).hasSizeGreaterThan(8);
    Cli r = Cli.run("analyze", "samples/01-cat-buffer/run.mtrace");
    assertThat(r.status()).isZero();
    assertThat(r.out().lines().toList()).containsSubsequence(excerpt);
    assertThat(String.join("\n", excerpt))
        .contains("139264")
        .contains("why: cat's 131072-byte I/O buffer");
  }

  @Test
  void everyLinkOfTheReadmesAndDocsResolves() throws IOException {
    List<Path> docs = new ArrayList<>(readmes().toList());
    try (Stream<Path> d = Files.list(Path.of("docs"))) {
      d.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    docs.add(Path.of("bench/README.md"));
    Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    for (Path md : docs) {
      Matcher m = link.matcher(Files.readString(md));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue;
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        Path to = file.isEmpty() ? md : md.resolveSibling(file).normalize();
        assertThat(to).as("%s links to %s", md, target).exists();
        if (target.contains("#")) {
          String anchor = target.substring(target.indexOf('#') + 1);
          assertThat(
                  Files.readAllLines(to).stream()
                      .filter(l -> l.startsWith("#"))
                      .map(DocCommandsTest::slug))
              .as("%s links to %s", md, target)
              .contains(anchor);
        }
      }
    }
  }

  /** A heading's anchor as GitHub makes it. */
  static String slug(String heading) {
    return heading
        .replaceFirst("^#+\\s*", "")
        .toLowerCase()
        .replaceAll("[^a-z0-9 _-]", "")
        .replace(' ', '-');
  }

  /** The lines of the {@code sh} blocks, without blank and comment lines. */
  static List<String> commands(Path md) throws IOException {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : Files.readAllLines(md)) {
      if (l.startsWith("```")) {
        in = !in && l.equals("```sh");
      } else if (in && !l.isBlank() && !l.startsWith("#")) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * The command as this test runs it: without its apt-get steps, the install line into the test's
   * folder; null for the test command itself.
   */
  static String asRun(String written) {
    if (written.contains("mvn ")) {
      return null;
    }
    List<String> steps = new ArrayList<>();
    for (String s : written.split(" && ")) {
      String t = s.trim();
      if (t.startsWith("apt-get ")) {
        continue;
      }
      steps.add(t.equals("bin/memtrace --install") ? t + " " + bin : t);
    }
    return String.join(" && ", steps);
  }

  private record Result(int status, String err) {}

  private static Result run(Path dir, String command, Path pathFirst) throws Exception {
    Path err = Files.createTempFile(tmp, "stderr", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(tmp.resolve("stdout.txt").toFile())
            .redirectError(err.toFile());
    if (pathFirst != null) {
      pb.environment().put("PATH", pathFirst + ":" + System.getenv("PATH"));
    }
    pb.environment().put("MEMTRACE_CLASSPATH", System.getProperty("java.class.path"));
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("`" + command + "` did not finish within 300 s");
    }
    return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Path copy(Path sample) throws IOException {
    Path to = tmp.resolve(sample.getFileName());
    try (Stream<Path> files = Files.walk(sample)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(sample.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
    return to;
  }
}
