package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden samples: each {@code samples/NAME/} holds a {@code trace.log} and the
 * {@code expected.txt} that {@code memtrace analyze --color never} (with {@code --with-summary}
 * when the sample's README asks for it) writes for it. To accept a deliberate change, rerun the
 * command in the sample's README and review the diff.
 */
class SamplesTest {

  static Stream<Path> samples() throws IOException {
    Path root = Path.of("samples");
    if (!Files.isDirectory(root)) {
      return Stream.empty();
    }
    List<Path> found = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> Files.isRegularFile(d.resolve("trace.log"))
              && Files.isRegularFile(d.resolve("expected.txt")))
          .sorted().forEach(found::add);
    }
    return found.stream();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void analyzeWritesTheExpectedOutput(Path sample) throws IOException {
    boolean summary = Files.readString(sample.resolve("README.md")).contains("--with-summary");
    List<String> args = new ArrayList<>(List.of("analyze", "--color", "never"));
    if (summary) {
      args.add("--with-summary");
    }
    args.add(sample.resolve("trace.log").toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(rc).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(Files.readString(sample.resolve("expected.txt")));
  }
}
