package dev.memtrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package imports a later stage of the pipeline: a log travels the stages in {@link #ORDER}, and
 * each package may import its own stage and the ones before it, never one after. A subpackage
 * belongs to the stage it sits in ({@code render.html} is render, {@code model.abi} is model).
 *
 * <p>The check reads the {@code import} lines of the source files under {@code src/main/java} (the
 * project writes no fully qualified names inline, so the imports are every reference to another
 * package).
 */
class StageOrderTest {

  /**
   * The stages, first to last. {@code run} starts strace and records its lines and the {@code
   * /proc/PID/maps} snapshots: everything after it reads what it produced, and it imports nothing.
   * {@code elf} is a library the model reads the files of the trace with. {@code timeline} holds
   * the record the stages after the model pass on. {@code pipeline} joins the stages; {@code cli}
   * only turns options into a call of it. A stage named here may have no files yet ({@code
   * decode}).
   */
  static final List<String> ORDER =
      List.of(
          "run",
          "trace",
          "decode",
          "elf",
          "model",
          "timeline",
          "correlate",
          "explain",
          "render",
          "pipeline",
          "cli");

  private static final Path MAIN = Path.of("src/main/java");

  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+dev\\.memtrace\\.(\\w+)[\\w.]*\\s*;", Pattern.MULTILINE);

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import\\s+(?:static\\s+)?dev\\.memtrace\\.(\\w+)[\\w.*]*\\s*;", Pattern.MULTILINE);

  @Test
  void noPackageImportsALaterStage() throws IOException {
    Map<String, String> sources = sources();

    assertThat(sources).hasSizeGreaterThan(100);
    assertThat(backwardImports(sources)).isEmpty();
  }

  @Test
  void everyPackageHasItsPlaceInTheOrder() throws IOException {
    List<String> unplaced = new ArrayList<>();
    sources()
        .forEach(
            (file, text) -> {
              String stage = stage(text);
              if (!ORDER.contains(stage)) {
                unplaced.add(file + ": " + stage);
              }
            });

    assertThat(unplaced).as("packages missing from StageOrderTest.ORDER").isEmpty();
  }

  @Test
  void aLaterStageImportedIsFound() {
    Map<String, String> sources =
        Map.of(
            "model/A.java",
            "package dev.memtrace.model.abi;\n\nimport dev.memtrace.trace.Arg;\n"
                + "import dev.memtrace.explain.Tag;\nimport java.util.List;\n",
            "correlate/B.java",
            "package dev.memtrace.correlate;\n\nimport static dev.memtrace.render.Texts.size;\n"
                + "import dev.memtrace.correlate.Other;\nimport dev.memtrace.timeline.AnnotatedEvent;\n",
            "cli/C.java",
            "package dev.memtrace.cli;\n\nimport dev.memtrace.pipeline.Pipeline;\n"
                + "import dev.memtrace.run.ExitCode;\n");

    assertThat(backwardImports(sources))
        .containsExactly(
            "correlate/B.java (correlate) imports render", "model/A.java (model) imports explain");
  }

  /** Each import of a later stage, as "FILE (STAGE) imports LATER", sorted by file. */
  static List<String> backwardImports(Map<String, String> sources) {
    List<String> found = new ArrayList<>();
    new TreeMap<>(sources)
        .forEach(
            (file, text) -> {
              String stage = stage(text);
              Matcher m = IMPORT.matcher(text);
              while (m.find()) {
                String imported = m.group(1);
                if (ORDER.indexOf(imported) > ORDER.indexOf(stage)) {
                  found.add(file + " (" + stage + ") imports " + imported);
                }
              }
            });
    return found;
  }

  /** The stage a source file belongs to: the package under dev.memtrace its package line names. */
  private static String stage(String text) {
    Matcher m = PACKAGE.matcher(text);
    return m.find() ? m.group(1) : "(no dev.memtrace package)";
  }

  /** Every Java source file of the project's main tree, by path, with its text. */
  private static Map<String, String> sources() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        out.put(MAIN.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
