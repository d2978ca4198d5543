package dev.memtrace.render.perfetto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.Synthetic;
import dev.memtrace.timeline.AnnotatedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerfettoRendererTest {

  static JsonNode render(List<AnnotatedEvent> timeline) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PerfettoRenderer r = new PerfettoRenderer(out, RegionClassifier.BY_PATH, "demo");
    for (AnnotatedEvent e : timeline) {
      r.event(e);
    }
    r.finish();
    return new ObjectMapper().readTree(out.toByteArray());
  }

  static List<JsonNode> phase(JsonNode root, String ph) {
    List<JsonNode> out = new ArrayList<>();
    root.get("traceEvents")
        .forEach(
            e -> {
              if (e.get("ph").asText().equals(ph)) {
                out.add(e);
              }
            });
    return out;
  }

  @Test
  void theCountersCountWhatASnapshotTaught() throws IOException {
    java.nio.file.Path dir = dev.memtrace.correlate.Shared.mapsCorpus();
    dev.memtrace.correlate.ModelStage stage =
        new dev.memtrace.correlate.ModelStage(
            new dev.memtrace.model.MemoryModel(),
            dev.memtrace.correlate.SnapshotFile.read(dir.resolve("sbrk.maps.jsonl")).snapshots());
    List<AnnotatedEvent> timeline = new ArrayList<>();
    for (dev.memtrace.trace.TraceEvent e :
        dev.memtrace.trace.TraceReader.parseAll(
            java.nio.file.Files.readString(dir.resolve("sbrk.log")))) {
      timeline.add(stage.annotate(e));
    }
    JsonNode root = render(timeline);
    TraceEventSchema.check(root);
    // the first counter (line 3) already holds the stack, [vdso] and [vvar] the snapshot after line
    // 2 showed
    JsonNode third = phase(root, "C").get(0);
    assertThat(third.get("args").path("stack").asLong()).isEqualTo(132 * 1024);
    assertThat(third.get("args").path("kernel").asLong()).isPositive();
  }

  @Test
  void writesASlicePerSyscallOnItsThreadsTrackWithExplanations() throws IOException {
    JsonNode root = render(Synthetic.process(true));
    TraceEventSchema.check(root);
    List<JsonNode> slices = phase(root, "X");
    assertThat(slices).hasSize(13);
    JsonNode brk = slices.get(10);
    assertThat(brk.get("name").asText()).isEqualTo("brk");
    assertThat(brk.get("pid").asInt()).isEqualTo(100);
    assertThat(brk.get("tid").asInt()).isEqualTo(101);
    assertThat(brk.get("args").get("why").get(0).asText()).startsWith("the thread grew the heap");
    assertThat(brk.get("dur").asDouble()).isEqualTo(50.0);
    // 125 µs between consecutive calls in the synthetic log
    assertThat(slices.get(1).get("ts").asDouble() - slices.get(0).get("ts").asDouble())
        .isEqualTo(125.0);
    assertThat(phase(root, "M"))
        .extracting(m -> m.get("args").get("name").asText())
        .contains("pid 100", "main 100", "thread 101");
    assertThat(root.get("metadata").get("timestamps").asText()).isEqualTo("from the log");
  }

  @Test
  void countsMappedBytesPerRegionClassOverTime() throws IOException {
    JsonNode root = render(Synthetic.process(true));
    List<JsonNode> counters = phase(root, "C");
    assertThat(counters).isNotEmpty();
    JsonNode last = counters.get(counters.size() - 1);
    assertThat(last.get("name").asText()).isEqualTo("mapped bytes");
    assertThat(last.get("args").get("heap").asLong()).isEqualTo(0x42000);
    assertThat(last.get("args").get("file").asLong()).isEqualTo(0x2000);
    JsonNode peak = counters.get(counters.size() - 2);
    assertThat(peak.get("args").get("file").asLong()).isEqualTo(0x2000 + (1 << 20));
  }

  @Test
  void synthesisesMonotonicTimesFromLineOrderAndSaysSo() throws IOException {
    JsonNode root = render(Synthetic.process(false));
    TraceEventSchema.check(root);
    double prev = -1;
    for (JsonNode s : phase(root, "X")) {
      assertThat(s.get("ts").asDouble()).isGreaterThan(prev);
      prev = s.get("ts").asDouble();
    }
    assertThat(root.get("metadata").get("timestamps").asText())
        .startsWith("synthesised from line order");
  }
}
