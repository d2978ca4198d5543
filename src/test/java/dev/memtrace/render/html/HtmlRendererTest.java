package dev.memtrace.render.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.cli.Main;
import dev.memtrace.model.RegionChange;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.Synthetic;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.RegionClass;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlRendererTest {

  static String render(List<AnnotatedEvent> timeline, String title) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HtmlRenderer r = new HtmlRenderer(out, RegionClassifier.BY_NAME, title);
    for (AnnotatedEvent e : timeline) {
      r.event(e);
    }
    r.finish();
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The page {@code analyze --format html} writes of {@code log} to {@code html}. */
  static String analyze(Path log, Path html) throws IOException {
    int rc =
        Main.run(
            new String[] {"analyze", "--format", "html", "-o", html.toString(), log.toString()},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()));
    assertThat(rc).isZero();
    return Files.readString(html);
  }

  /** The JSON embedded in the page, read back. */
  static JsonNode data(String page) throws IOException {
    String open = "<script type=\"application/json\" id=\"data\">";
    int a = page.indexOf(open) + open.length();
    int b = page.indexOf("</script>", a);
    return new ObjectMapper().readTree(page.substring(a, b));
  }

  @Test
  void embedsEveryEventWithItsDeltasAndAThreadInItsProcessSpace() throws IOException {
    String page = render(Synthetic.process(true), "demo");
    Files.createDirectories(Path.of("target/html"));
    Files.writeString(Path.of("target/html/synthetic.html"), page);
    JsonNode d = data(page);
    JsonNode ev = d.get("ev");
    assertThat(ev.get("line")).hasSize(13);
    assertThat(d.get("spaces")).hasSize(1);
    // thread 101 belongs to process 100 and acts on its address space
    assertThat(ev.get("task").get(10).asInt()).isEqualTo(101);
    assertThat(ev.get("proc").get(10).asInt()).isEqualTo(100);
    assertThat(ev.get("sp").get(10).asInt()).isEqualTo(ev.get("sp").get(0).asInt());
    // the heap change removes the old heap region and adds the grown one
    int removed = ev.get("rm").get(10).get(0).asInt();
    int added = ev.get("add").get(10).get(0).asInt();
    JsonNode regions = d.get("regions");
    assertThat(regions.get("e").get(removed).asText()).isEqualTo("555500041000");
    assertThat(regions.get("e").get(added).asText()).isEqualTo("555500062000");
    // the read's buffer lies in the heap
    assertThat(regions.get("path").get(ev.get("buf").get(7).asInt()).asInt())
        .satisfies(i -> assertThat(d.get("strs").get(i).asText()).isEqualTo("[heap]"));
    assertThat(ev.get("mem").get(7).asInt()).isEqualTo(1);
    assertThat(ev.get("mem").get(3).asInt()).isEqualTo(0);
  }

  /**
   * Two calls' mappings the kernel keeps as one area: the page says how much of it the call on its
   * line made, so it does not credit that call with the whole.
   */
  @Test
  void aMergedRegionCarriesThePartItsLineMade() throws IOException {
    Path log = Files.createDirectories(Path.of("target/html")).resolve("merged.log");
    Files.writeString(log, Synthetic.MERGED_MMAPS + "100 +++ exited with 0 +++\n");
    Path html = log.resolveSibling("merged.html");
    JsonNode regions = data(analyze(log, html)).get("regions");
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < regions.get("s").size(); i++) {
      rows.add(
          regions.get("s").get(i).asText()
              + " "
              + regions.get("size").get(i).asLong()
              + " line "
              + regions.get("origin").get(i).asInt()
              + " made "
              + regions.get("made").get(i).asLong());
    }
    assertThat(rows)
        .containsExactlyInAnyOrder(
            "7f0000003000 12288 line 1 made 12288", "7f0000000000 24576 line 2 made 12288");
  }

  @Test
  void compressesTheGapsBetweenDistantAreasAndKeepsAddressOrder() throws IOException {
    JsonNode d = data(render(Synthetic.process(false), "demo"));
    JsonNode regions = d.get("regions");
    double exeY = -1;
    double stackY = -1;
    for (int i = 0; i < regions.get("s").size(); i++) {
      String path = d.get("strs").get(regions.get("path").get(i).asInt()).asText();
      if (path.equals("/usr/bin/demo")) {
        exeY = regions.get("y").get(i).asDouble();
      } else if (path.equals("[stack]")) {
        stackY = regions.get("y").get(i).asDouble();
      }
    }
    assertThat(exeY).isLessThan(stackY);
    // 0x5555... to 0x7ffe... spans ~40 TiB, yet the whole picture stays a few hundred pixels tall
    double height = d.get("spaces").get(0).get("height").asDouble();
    assertThat(height).isBetween(50.0, 400.0);
    assertThat(d.get("spaces").get(0).get("gaps").size()).isGreaterThanOrEqualTo(3);
    assertThat(d.get("meta").get("timed").asBoolean()).isFalse();
  }

  @Test
  void summarisesPerClassAndPerObjectWithPeaks() throws IOException {
    JsonNode d = data(render(Synthetic.process(true), "demo"));
    JsonNode classes = d.get("classes");
    JsonNode summary = d.get("summary");
    Map<String, JsonNode> rows = new HashMap<>();
    for (JsonNode row : summary.get("classes")) {
      rows.put(classes.get(row.get(0).asInt()).asText(), row);
    }
    // the executable and libc stay; the mapped file came and went
    assertThat(rows.get("image: text").get(2).asLong()).isEqualTo(0x2000 + 0x196000);
    assertThat(rows.get("file mapping (shared)").get(2).asLong()).isZero();
    assertThat(rows.get("file mapping (shared)").get(3).asLong()).isEqualTo(1 << 20);
    assertThat(rows.get("heap (brk)").get(2).asLong()).isEqualTo(0x42000);
    assertThat(summary.get("objects").get(0).get(0).asText())
        .isEqualTo("(anonymous anonymous mmap)");
    JsonNode data = null;
    for (JsonNode o : summary.get("objects")) {
      if (o.get(0).asText().equals("/tmp/data.bin")) {
        data = o;
      }
    }
    assertThat(data).isNotNull();
    assertThat(data.get(2).asLong()).isZero();
    assertThat(data.get(3).asLong()).isEqualTo(1 << 20);
  }

  @Test
  void regionsTakeTheClassTheExplainStageGaveTheirChange() throws IOException {
    List<AnnotatedEvent> plain = Synthetic.process(true);
    // the thread stack's mmap (line 9) classed by the explain stage, as the pipeline does
    List<AnnotatedEvent> timeline = new ArrayList<>(plain);
    AnnotatedEvent mmap = plain.get(8);
    timeline.set(
        8,
        new AnnotatedEvent(
            mmap.event(),
            mmap.changes(),
            mmap.checks(),
            mmap.buffer(),
            mmap.why(),
            List.of(RegionClass.THREAD_STACK),
            null,
            List.of(),
            null));
    JsonNode d = data(render(timeline, "demo"));
    JsonNode regions = d.get("regions");
    int added = d.get("ev").get("add").get(8).get(0).asInt();
    assertThat(d.get("classes").get(regions.get("cls").get(added).asInt()).asText())
        .isEqualTo("thread stack");
    // a region no event classed keeps the fallback classifier's class
    int heap = d.get("ev").get("add").get(2).get(0).asInt();
    assertThat(d.get("classes").get(regions.get("cls").get(heap).asInt()).asText())
        .isEqualTo("heap (brk)");
  }

  /**
   * A fork child holds a copy of the parent's region, the same value. When the parent maps that
   * value again and the explain stage classes it (a thread stack), the child's copy must still
   * leave the totals, at the child's execve, under the class it was added with. It left under the
   * new one: the old class kept its bytes and the new one lost them; for an object the totals had
   * never held, the page was not written at all (a null class id; bench/fuzz.sh, seed 1207).
   */
  @Test
  void aRegionLeavesTheTotalsUnderTheClassItWasCountedWith() throws IOException {
    var r = Synthetic.region(0x7f2000000000L, 0x7f2000800000L, "rw-p", "");
    Synthetic s =
        new Synthetic(true)
            .call(
                100, "execve", "\"/usr/bin/demo\", [\"demo\"], 0x7ffe /* 3 vars */", "0", List.of())
            .call(
                100,
                "mmap",
                "NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0",
                "0x7f2000000000",
                List.of(RegionChange.added(r)))
            .call(100, "clone", "child_stack=NULL, flags=SIGCHLD", "200", List.of())
            .call(200, "getpid", "", "200", List.of())
            .call(100, "munmap", "0x7f2000000000, 8388608", "0", List.of(RegionChange.removed(r)))
            .call(
                100,
                "mmap",
                "NULL, 8388608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0",
                "0x7f2000000000",
                List.of(RegionChange.added(r)))
            .call(200, "getppid", "", "100", List.of())
            .call(
                200,
                "execve",
                "\"/usr/bin/true\", [\"true\"], 0x7ffe /* 3 vars */",
                "0",
                List.of());
    List<AnnotatedEvent> timeline = new ArrayList<>(s.events());
    AnnotatedEvent again = timeline.get(5);
    timeline.set(
        5,
        new AnnotatedEvent(
            again.event(),
            again.changes(),
            again.checks(),
            again.buffer(),
            again.why(),
            List.of(RegionClass.THREAD_STACK),
            again.who(),
            List.of(),
            null));
    JsonNode d = data(render(timeline, "demo"));
    Map<String, Long> now = new HashMap<>();
    for (JsonNode row : d.get("summary").get("classes")) {
      now.put(d.get("classes").get(row.get(0).asInt()).asText(), row.get(2).asLong());
    }
    // the parent's thread stack is all that is mapped at the end; the child's copy left
    assertThat(now).containsEntry("thread stack", 8L << 20).containsEntry("anonymous mmap", 0L);
  }

  @Test
  void spoolsToTemporaryFilesThatAreDeletedOnceThePageIsWritten() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HtmlRenderer r = new HtmlRenderer(out, RegionClassifier.BY_NAME, "demo");
    for (AnnotatedEvent e : Synthetic.process(true)) {
      r.event(e);
    }
    List<Path> files = r.spoolFiles();
    assertThat(files).isNotEmpty().allMatch(Files::exists);
    r.finish();
    assertThat(files).noneMatch(Files::exists);
    assertThat(data(out.toString(StandardCharsets.UTF_8)).get("ev").get("line")).hasSize(13);
  }

  @Test
  void deletesItsTemporaryFilesWhenWritingThePageFails() throws IOException {
    OutputStream full =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }
        };
    HtmlRenderer r = new HtmlRenderer(full, RegionClassifier.BY_NAME, "demo");
    for (AnnotatedEvent e : Synthetic.process(true)) {
      r.event(e);
    }
    List<Path> files = r.spoolFiles();
    assertThat(files).allMatch(Files::exists);
    assertThatThrownBy(r::finish).isInstanceOf(IOException.class).hasMessageContaining("No space");
    assertThat(files).noneMatch(Files::exists);
  }

  @Test
  void closingWithoutWritingThePageDeletesTheTemporaryFiles() throws IOException {
    HtmlRenderer r =
        new HtmlRenderer(new ByteArrayOutputStream(), RegionClassifier.BY_NAME, "demo");
    r.event(Synthetic.process(true).get(0));
    List<Path> files = r.spoolFiles();
    assertThat(files).isNotEmpty().allMatch(Files::exists);
    r.close();
    assertThat(files).noneMatch(Files::exists);
  }

  @Test
  void anEmptyTimelineHasNoEventColumnsButEveryRegionColumn() throws IOException {
    JsonNode d = data(render(List.of(), "empty"));
    assertThat(d.get("ev").size()).isZero();
    assertThat(d.get("regions").fieldNames())
        .toIterable()
        .containsExactly(
            "sp", "s", "e", "size", "perm", "path", "cls", "y", "h", "origin", "made", "learnt");
    assertThat(d.get("meta").get("events").asInt()).isZero();
    assertThat(d.get("spaces")).isEmpty();
  }
}
