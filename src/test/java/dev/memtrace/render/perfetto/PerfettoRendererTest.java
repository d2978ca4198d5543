package dev.memtrace.render.perfetto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.correlate.ModelStage;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.Synthetic;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PerfettoRendererTest {

  static JsonNode render(List<AnnotatedEvent> timeline) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PerfettoRenderer r = new PerfettoRenderer(out, RegionClassifier.BY_NAME, "demo");
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
  void aThreadsLinesBeforeItsCloneReturnedAreDrawnInItsProcess() throws IOException {
    // the document is written at the end, so what the clone told later holds for the lines before
    ModelStage stage = new ModelStage(new MemoryModel(), List.of());
    List<AnnotatedEvent> timeline = new ArrayList<>();
    for (TraceEvent e :
        TraceReader.parseAll(
            String.join(
                "\n",
                "100 clone(child_stack=0x7f0000001000, flags=CLONE_VM|CLONE_FS|CLONE_FILES"
                    + "|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM <unfinished ...>",
                "101 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
                    + " = 0x7f1000000000",
                "100 <... clone resumed>) = 101",
                "101 exit(0) = ?",
                "101 +++ exited with 0 +++",
                ""))) {
      timeline.add(stage.annotate(e));
    }
    Set<Path> before = spools();
    JsonNode root = render(timeline);
    TraceEventSchema.check(root);
    JsonNode mmap =
        phase(root, "X").stream()
            .filter(x -> x.get("name").asText().equals("mmap"))
            .findFirst()
            .get();
    assertThat(mmap.get("args").get("line").asInt()).isEqualTo(2);
    assertThat(mmap.get("tid").asInt()).isEqualTo(101);
    assertThat(mmap.get("pid").asInt()).isEqualTo(100);
    // strace's "= ?" of a call that does not return is said in words, not shown as a "?"
    JsonNode exit =
        phase(root, "X").stream()
            .filter(x -> x.get("name").asText().equals("exit"))
            .findFirst()
            .get();
    assertThat(exit.get("args").get("ret").asText()).isEqualTo("(none: the call does not return)");
    assertThat(phase(root, "M"))
        .extracting(m -> m.get("args").get("name").asText())
        .containsExactlyInAnyOrder("thread 101", "pid 100", "main 100");
    // the events waited in a temporary file, gone once the document is written
    assertThat(spools()).isEqualTo(before);
  }

  private static Set<Path> spools() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("memtrace-perfetto-"))
          .collect(Collectors.toSet());
    }
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
    assertThat(third.get("args").path("main stack").asLong()).isEqualTo(132 * 1024);
    assertThat(third.get("args").path("vdso").asLong()).isPositive();
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
    assertThat(last.get("args").get("heap (brk)").asLong()).isEqualTo(0x42000);
    // the executable and libc stay; the mapped file came and went
    assertThat(last.get("args").get("image: text").asLong()).isEqualTo(0x2000 + 0x196000);
    assertThat(last.get("args").path("file mapping (shared)").asLong()).isZero();
    JsonNode peak = counters.get(counters.size() - 2);
    assertThat(peak.get("args").get("file mapping (shared)").asLong()).isEqualTo(1 << 20);
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
