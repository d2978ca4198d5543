package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.run.ExitCode;
import dev.memtrace.run.LiveItem;
import dev.memtrace.run.MapsSnapshot;
import dev.memtrace.run.RecordingHeader;
import dev.memtrace.run.RecordingWriter;
import dev.memtrace.run.Versions;
import dev.memtrace.trace.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged recording loses only what is damaged: each bad line is skipped with one notice that
 * names the file and line, the rest replays with its line numbers, and a recording cut short says
 * so. No message shows Java or Jackson internals.
 */
class DamagedRecordingTest {

  @TempDir Path dir;
  private Path intact;
  private List<String> lines;

  /** A recording of a real log (the corpus's cat_small_plain.log) with one snapshot and its end. */
  @BeforeEach
  void record() throws IOException {
    List<String> log =
        Files.readAllLines(
            Corpus.logs().resolve("cat_small_plain.log"), StandardCharsets.ISO_8859_1);
    intact = dir.resolve("intact.mtrace");
    RecordingHeader h =
        new RecordingHeader(
            1,
            List.of("cat", "small.txt"),
            null,
            List.of("strace"),
            new Versions("6.1", null, null),
            "2026-12-05T10:00:00Z",
            true,
            2000);
    try (RecordingWriter w = new RecordingWriter(intact, h)) {
      for (int k = 0; k < log.size(); k++) {
        w.item(new LiveItem.LogLine(k + 1, log.get(k)));
        if (k == 1) {
          w.item(new MapsSnapshot(2, 42, MapsSnapshot.Kind.AFTER_CALL, "", 1, 10, 2000));
        }
      }
      w.end(0, false, log.size(), 1);
    }
    lines = Files.readAllLines(intact, StandardCharsets.UTF_8);
  }

  private Path with(int index, String replacement) throws IOException {
    List<String> l = new ArrayList<>(lines);
    l.set(index, replacement);
    return Files.write(dir.resolve("damaged.mtrace"), l, StandardCharsets.UTF_8);
  }

  private static List<JsonNode> events(Cli r) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : r.out().split("\n")) {
      if (!l.isEmpty()) {
        out.add(new ObjectMapper().readTree(l));
      }
    }
    return out;
  }

  private static List<Integer> numbers(List<JsonNode> events) {
    return events.stream().map(e -> e.path("line").asInt()).toList();
  }

  @Test
  void aLineThatIsNotJsonIsSkippedAndTheRestReplaysWithItsNumbers() throws IOException {
    // recording line 6 is log line 4 (the header and a snapshot come before it)
    assertThat(lines.get(5)).contains("\"line\":4,");
    Path bad = with(5, "{\"type\":\"log\",\"line\":4,\"te");
    Cli ok = Cli.run("analyze", "--format", "jsonl", intact.toString());
    Cli r = Cli.run("analyze", "--format", "jsonl", bad.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(bad + ":6: damaged recording line skipped (not a JSON object)")
        .doesNotContain("Exception")
        .doesNotContain("Source:");
    List<JsonNode> good = events(ok);
    List<JsonNode> got = events(r);
    assertThat(numbers(got)).isEqualTo(numbers(good));
    assertThat(got.get(3).path("kind").asText()).isEqualTo("unparsed");
    assertThat(got.subList(4, got.size())).isEqualTo(good.subList(4, good.size()));
  }

  @Test
  void oneBadByteCostsOnlyItsLine() throws IOException {
    byte[] b = Files.readAllBytes(intact);
    String text = new String(b, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("access(");
    b[at] = (byte) 0xff;
    Path bad = Files.write(dir.resolve("byte.mtrace"), b);
    Cli r = Cli.run("analyze", "--format", "jsonl", bad.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(bad + ":6: damaged recording line skipped (not UTF-8 text)")
        .doesNotContain("Input length");
    assertThat(r.out()).contains("\"syscall\":\"openat\"").doesNotContain("\"syscall\":\"access\"");
  }

  @Test
  void anUnknownSnapshotKindIsSkippedWithoutJavaInternals() throws IOException {
    assertThat(lines.get(3)).contains("\"type\":\"snapshot\"");
    Path bad = with(3, lines.get(3).replace("after-call", "sideways"));
    Cli r = Cli.run("analyze", bad.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(bad + ":4: damaged recording line skipped (unknown snapshot kind \"sideways\")")
        .doesNotContain("java.")
        .doesNotContain("IllegalArgument");
    assertThat(r.out()).contains("exit_group");
  }

  @Test
  void aRecordingWithoutItsEndSaysItEndsEarly() throws IOException {
    List<String> l = new ArrayList<>(lines.subList(0, lines.size() - 1));
    Path cut = Files.write(dir.resolve("noend.mtrace"), l, StandardCharsets.UTF_8);
    Cli r = Cli.run("analyze", cut.toString());

    assertThat(r.status()).isZero();
    assertThat(r.err()).contains(cut + ": the recording ends early: it has no end record");
    assertThat(Cli.run("analyze", intact.toString()).err()).isEmpty();
  }

  @Test
  void aRecordingCutInTheMiddleOfALineSaysWhere() throws IOException {
    String all = String.join("\n", lines);
    int at = all.indexOf("mmap(NULL, 8192");
    Path cut =
        Files.writeString(dir.resolve("cut.mtrace"), all.substring(0, at), StandardCharsets.UTF_8);
    Cli r = Cli.run("analyze", "--format", "jsonl", cut.toString());

    assertThat(r.status()).isZero();
    assertThat(r.err())
        .contains(
            cut
                + ":5: the recording ends early: its last line is cut off;"
                + " replayed the 2 log lines before it");
    assertThat(events(r)).hasSize(2);
  }

  @Test
  void aDamagedLineFailsStrict() throws IOException {
    Path bad = with(lines.size() - 2, "not json at all");
    Cli r = Cli.run("analyze", "--strict", bad.toString());
    assertThat(r.status()).isEqualTo(ExitCode.UNPARSED.code);
    assertThat(r.err()).contains(":" + (lines.size() - 1) + ": damaged recording line skipped");
  }
}
