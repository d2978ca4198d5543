package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.run.LiveAssumptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names strace escapes and the kernel does not (src/test/resources/live/names.c maps {@code
 * café.txt}, {@code q"uo'te.txt}, {@code <x>.txt} and {@code bad\xff.txt}): the model and the
 * snapshots must name them alike, and every output must show them as they are.
 */
class LiveNamesTest {

  static final List<String> SHOWN =
      List.of("caf\u00e9.txt", "q\"uo'te.txt", "<x>.txt", "bad\\xff.txt");

  @TempDir Path dir;

  @Test
  void namesStraceEscapesAgreeWithTheSnapshotsAndShowAsTheyAre() throws Exception {
    assumeStrace();
    Path bin = LiveAssumptions.compile("names", dir);
    Path files = Files.createDirectory(dir.resolve("files"));
    Path jsonl = dir.resolve("timeline.jsonl");
    MemtraceProcess.Result r =
        MemtraceProcess.run(
            dir,
            Map.of(),
            "--delay",
            LiveProgramTest.HOLD,
            "--format",
            "jsonl",
            "-o",
            jsonl.toString(),
            "--",
            bin.toString(),
            files.toString());
    assertThat(r.status()).as(r.stderr()).isZero();

    ObjectMapper json = new ObjectMapper();
    List<String> mapped = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      JsonNode n = json.readTree(line);
      n.path("checks").forEach(c -> checks.add(c.asText()));
      // the model agrees with every snapshot read in strace's hold; one read after it (a loaded
      // machine) may already show the next call's mapping, and says so on the call
      String said = n.path("checks").toString();
      if (said.contains("snapshot: the kernel has")) {
        assertThat(said).as(n.toString()).contains("snapshot caveat:");
      }
      if ("mmap".equals(n.path("syscall").asText())) {
        n.path("changes").forEach(c -> mapped.add(c.path("after").path("path").asText()));
      }
    }
    String real = files.toRealPath().toString() + "/";
    assertThat(mapped).containsAll(SHOWN.stream().map(s -> real + s).toList());
    assertThat(checks).noneMatch(c -> c.contains(".txt"));

    Path text = dir.resolve("timeline.txt");
    r =
        MemtraceProcess.run(
            dir,
            Map.of(),
            "--delay",
            LiveProgramTest.HOLD,
            "--color",
            "never",
            "-o",
            text.toString(),
            "--",
            bin.toString(),
            files.toString());
    assertThat(r.status()).as(r.stderr()).isZero();
    String shown = Files.readString(text, StandardCharsets.UTF_8);
    List<String> regions = shown.lines().filter(l -> l.contains(" r--p " + real)).toList();
    for (String s : SHOWN) {
      assertThat(regions).anySatisfy(l -> assertThat(l).contains(" r--p " + real + s + " ["));
    }
    assertThat(regions)
        .noneMatch(l -> l.contains("\\303") || l.contains("\u00c3") || l.contains("\uFFFD"));
    if (!r.stderr().contains("read after")) {
      assertThat(shown).doesNotContain("snapshot: the kernel has");
    }
    assertThat(shown)
        .contains("why: the program maps 4096 bytes of " + real + "caf\u00e9.txt from offset 0")
        .contains("why: the program maps 4096 bytes of " + real + "bad\\xff.txt from offset 0");
  }
}
