package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.trace.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** analyze on strace 6.1 logs of shapes the corpus lacks (src/test/resources/logs-extra/). */
class ExtraShapesCliTest {

  @TempDir Path dir;

  static String extra(String name) throws Exception {
    return Path.of(ExtraShapesCliTest.class.getResource("/logs-extra/" + name).toURI()).toString();
  }

  @Test
  void jsonlCarriesTheDumpedDataOfItsCall() throws Exception {
    Cli r = Cli.run("analyze", "--strict", "--format", "jsonl", extra("cat_read_write_dump.log"));

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains(
            "\"syscall\":\"write\",\"args\":[\"1\",\"\\\"hello01234\\\\n\\\"\",\"11\"],"
                + "\"ret\":\"11\",\"errno\":null,\"dump\":\"68656c6c6f30313233340a\",");
  }

  @Test
  void relativeSecondsLogsParse() throws Exception {
    Cli r = Cli.run("analyze", "--strict", extra("cat_r_seconds.log"));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void perfettoTimesAreNeverNegativeOnAnOutOfOrderLog() throws Exception {
    List<String> lines =
        new ArrayList<>(
            Files.readAllLines(
                Corpus.logs().resolve("bash_pipes_f_ttt.log"), StandardCharsets.ISO_8859_1));
    lines.add(0, lines.remove(lines.size() - 1)); // the last exit first: 0.03 s before the rest
    Path log = Files.write(dir.resolve("swapped.log"), lines, StandardCharsets.ISO_8859_1);
    Path out = dir.resolve("trace.json");
    Cli r = Cli.run("analyze", "--format", "perfetto", "-o", out.toString(), log.toString());

    assertThat(r.status()).as(r.err()).isZero();
    double min = Double.MAX_VALUE;
    for (JsonNode e : new ObjectMapper().readTree(out.toFile()).get("traceEvents")) {
      if (e.has("ts")) {
        min = Math.min(min, e.get("ts").asDouble());
      }
    }
    assertThat(min).isZero();
  }
}
