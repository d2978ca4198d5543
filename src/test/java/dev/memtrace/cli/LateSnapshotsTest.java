package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording whose snapshots after lines 2 and 3 were read late (samples/01-cat-buffer's, with
 * their read times raised past the 2000 µs hold): the text timeline says so once, at the end, with
 * how to avoid it; the JSON Lines keep the caveat on each call.
 */
class LateSnapshotsTest {

  @TempDir Path dir;
  Path recording;

  @BeforeEach
  void lateRecording() throws Exception {
    String text = Files.readString(Path.of("samples/01-cat-buffer/run.mtrace"));
    String late =
        text.replace(
                "\"line\":2,\"pid\":28239,\"kind\":\"after-call\",\"threads\":1,\"micros\":665,",
                "\"line\":2,\"pid\":28239,\"kind\":\"after-call\",\"threads\":1,\"micros\":6650,")
            .replace(
                "\"line\":3,\"pid\":28239,\"kind\":\"after-call\",\"threads\":1,\"micros\":539,",
                "\"line\":3,\"pid\":28239,\"kind\":\"after-call\",\"threads\":1,\"micros\":5390,");
    assertThat(late).isNotEqualTo(text);
    recording = Files.writeString(dir.resolve("late.mtrace"), late);
  }

  @Test
  void theTextTimelineSummarisesLateSnapshotsOnceAtTheEnd() {
    Cli r = Cli.run("analyze", "--color", "never", recording.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).doesNotContain("snapshot caveat").contains("   2: 28239 ");
    assertThat(r.err().lines().filter(l -> l.contains("read after")))
        .singleElement()
        .asString()
        .startsWith(
            "memtrace: 2 maps snapshots were read after strace's 2000 µs hold (up to 6650 µs")
        .contains("--delay");
  }

  @Test
  void theJsonLinesKeepTheCaveatOnEachCall() {
    Cli r = Cli.run("analyze", "--format", "jsonl", recording.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out().lines().filter(l -> l.contains("snapshot caveat: read "))).hasSize(2);
    assertThat(r.err()).doesNotContain("read after");
  }
}
