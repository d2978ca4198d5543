package dev.memtrace.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every {@code NAME.log} + {@code NAME.maps.jsonl} in the shared corpus, the model replayed
 * from the log alone agrees with every snapshot, by the rule in {@link ReplayCheck}.
 */
class CorpusMapsTest {

  static Stream<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(Shared.mapsCorpus())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".maps.jsonl"))
          .map(n -> n.substring(0, n.length() - ".maps.jsonl".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void modelFromTheLogAloneAgreesWithEverySnapshot(String name) throws IOException {
    Path dir = Shared.mapsCorpus();
    ReplayCheck.Result r =
        ReplayCheck.run(dir.resolve(name + ".log"), dir.resolve(name + ".maps.jsonl"));
    assertThat(r.compared()).as("snapshots compared").isPositive();
    assertThat(r.regionsCompared()).as("regions compared").isPositive();
    assertThat(r.mismatches()).as("snapshots where the model differs").isEmpty();
    ReplayCheck.Resync withSnapshots =
        ReplayCheck.resync(dir.resolve(name + ".log"), dir.resolve(name + ".maps.jsonl"));
    assertThat(withSnapshots.checked()).isEqualTo(r.compared());
    assertThat(withSnapshots.reported()).as("differences reported for a faithful log").isZero();
    assertThat(withSnapshots.notEqualAfter()).as("snapshots the model did not take over").isEmpty();
  }
}
