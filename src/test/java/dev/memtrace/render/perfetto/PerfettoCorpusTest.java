package dev.memtrace.render.perfetto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.cli.Main;
import dev.memtrace.trace.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memtrace analyze --format perfetto} on real corpus logs, checked against the schema. */
class PerfettoCorpusTest {

  @TempDir Path dir;

  JsonNode export(String log) throws Exception {
    Path in = Corpus.log(log);
    Path out = dir.resolve("trace.json");
    int rc =
        Main.run(
            new String[] {"analyze", "--format", "perfetto", "-o", out.toString(), in.toString()},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(rc).isZero();
    JsonNode root = new ObjectMapper().readTree(out.toFile());
    TraceEventSchema.check(root);
    return root;
  }

  @Test
  void threadsOfOneProcessShareItsPidAndEachHasATrack() throws Exception {
    JsonNode root = export("python_threads_f.log");
    List<JsonNode> slices = PerfettoRendererTest.phase(root, "X");
    Set<Integer> pids = new HashSet<>();
    Set<Integer> tids = new HashSet<>();
    slices.forEach(
        s -> {
          pids.add(s.get("pid").asInt());
          tids.add(s.get("tid").asInt());
        });
    assertThat(pids).hasSize(1);
    assertThat(tids.size()).isGreaterThan(2);
    assertThat(
            PerfettoRendererTest.phase(root, "M").stream()
                .filter(m -> m.get("name").asText().equals("thread_name")))
        .hasSize(tids.size());
    assertThat(PerfettoRendererTest.phase(root, "C")).isNotEmpty();
    assertThat(root.get("metadata").get("timestamps").asText()).startsWith("synthesised");
  }

  @Test
  void realTimestampsAndDurationsFromTtAndT() throws Exception {
    JsonNode root = export("ls_la_y_i_n_T.log");
    List<JsonNode> slices = PerfettoRendererTest.phase(root, "X");
    assertThat(root.get("metadata").get("timestamps").asText()).isEqualTo("from the log");
    assertThat(slices.get(0).get("ts").asDouble()).isZero();
    // -tt 09:10:47.040702 then .040733: 31 µs apart; -T <0.000008> is 8 µs
    JsonNode close =
        slices.stream()
            .filter(s -> s.get("args").get("line").asInt() == 8)
            .findFirst()
            .orElseThrow();
    JsonNode open =
        slices.stream()
            .filter(s -> s.get("args").get("line").asInt() == 9)
            .findFirst()
            .orElseThrow();
    assertThat(open.get("ts").asDouble() - close.get("ts").asDouble())
        .isCloseTo(31.0, Offset.offset(0.01));
    assertThat(close.get("dur").asDouble()).isEqualTo(8.0);
    double prev = -1;
    for (JsonNode s : slices) {
      assertThat(s.get("ts").asDouble()).isGreaterThanOrEqualTo(prev);
      prev = s.get("ts").asDouble();
    }
  }
}
