package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden samples: each {@code samples/NAME/} holds a saved {@code trace.log} (and often its {@code
 * trace.maps.jsonl} snapshots) and a README that shows, one a line, the commands that made its
 * expected outputs: {@code memtrace analyze ... trace.log > expected.txt}, run in the sample's
 * folder. The test runs each such command in-process and compares. To accept a deliberate change,
 * rerun the commands in the README and review the diff.
 */
class SamplesTest {

  private static final Pattern COMMAND =
      Pattern.compile("^memtrace ((?:analyze|maps|where) [^>\\n]+?) > (\\S+)$", Pattern.MULTILINE);

  static Stream<Path> samples() throws IOException {
    Path root = Path.of("samples");
    if (!Files.isDirectory(root)) {
      return Stream.empty();
    }
    List<Path> found = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> Files.isRegularFile(d.resolve("trace.log"))).sorted().forEach(found::add);
    }
    return found.stream();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void eachCommandInTheReadmeWritesItsExpectedOutput(Path sample) throws IOException {
    Matcher m = COMMAND.matcher(Files.readString(sample.resolve("README.md")));
    int commands = 0;
    while (m.find()) {
      commands++;
      List<String> args = new ArrayList<>();
      for (String a : m.group(1).trim().split("\\s+")) {
        Path p = sample.resolve(a);
        args.add(!a.startsWith("-") && Files.exists(p) ? p.toString() : a);
      }
      Cli r = Cli.run(args.toArray(String[]::new));
      assertThat(r.status()).as("%s: %s", sample, m.group(1)).isZero();
      assertThat(r.out())
          .as("%s: %s", sample, m.group(1))
          .isEqualTo(Files.readString(sample.resolve(m.group(2))));
    }
    assertThat(commands).as("commands with '> FILE' in %s/README.md", sample).isPositive();
  }
}
