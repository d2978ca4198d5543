package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static dev.memtrace.run.Recordings.firstLine;
import static dev.memtrace.run.Recordings.items;
import static dev.memtrace.run.Recordings.regionAt;
import static dev.memtrace.run.Recordings.snapshotAfter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.run.LiveItem;
import dev.memtrace.run.MapsSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memtrace -- cat FILE > /dev/null}, checked against the maps the kernel reported. */
class LiveCatTest {

  /**
   * The hold (µs) for tests that compare snapshots with exact expectations: long enough that a busy
   * CI machine still reads every snapshot while the task is held.
   */
  static final String HOLD = "50000";

  @TempDir Path dir;

  @Test
  void catOfASmallFileIsTracedWithASnapshotAfterEveryMemoryCall() throws Exception {
    assumeStrace();
    Path small = Files.writeString(dir.resolve("small.txt"), "hello world\n");
    Path rec = dir.resolve("run.mtrace");
    Path timeline = dir.resolve("timeline.txt");

    MemtraceProcess.Result r =
        MemtraceProcess.run(
            dir,
            Map.of(),
            "--delay",
            HOLD,
            "--save",
            rec.toString(),
            "-o",
            timeline.toString(),
            "--",
            "cat",
            small.toString());

    assertThat(r.status()).isZero();
    // the timeline went to -o and strace said nothing; on a loaded machine a snapshot may be late,
    // and memtrace then says so in its one notice
    assertThat(r.stderr().lines())
        .allMatch(l -> l.startsWith("memtrace: of ") && l.contains(" maps snapshots, "));
    List<LiveItem> items = items(rec);
    assertThat(firstLine(items, "execve(").text()).contains("\"cat\"").endsWith(">");
    long memoryCalls =
        items.stream()
            .filter(i -> i instanceof LiveItem.LogLine l && l.text().contains("(DELAYED)"))
            .count();
    long afterCall =
        items.stream()
            .filter(i -> i instanceof MapsSnapshot s && s.kind() == MapsSnapshot.Kind.AFTER_CALL)
            .count();
    assertThat(memoryCalls).isGreaterThan(5);
    assertThat(afterCall).isEqualTo(memoryCalls);
    assertThat(items)
        .anyMatch(i -> i instanceof MapsSnapshot s && s.kind() == MapsSnapshot.Kind.EXIT);
    assertThat(items)
        .filteredOn(i -> i instanceof MapsSnapshot)
        .allMatch(i -> !((MapsSnapshot) i).missed() && !((MapsSnapshot) i).racy());
    assertThat(((LiveItem.LogLine) lastLine(items)).text()).endsWith("+++ exited with 0 +++");
    assertThat(Files.readString(timeline)).contains("exit_group(0)");
  }

  @Test
  void catOfA300KbFileMapsItsBufferAndTheSnapshotConfirmsIt() throws Exception {
    assumeStrace();
    Path big = dir.resolve("big.txt");
    Files.write(big, new byte[300 * 1024]);
    Path rec = dir.resolve("run.mtrace");
    Path timeline = dir.resolve("timeline.jsonl");

    MemtraceProcess.Result r =
        MemtraceProcess.run(
            dir,
            Map.of(),
            "--delay",
            HOLD,
            "--save",
            rec.toString(),
            "--format",
            "jsonl",
            "-o",
            timeline.toString(),
            "--",
            "cat",
            big.toString());

    assertThat(r.status()).isZero();
    List<LiveItem> items = items(rec);
    LiveItem.LogLine mmap =
        firstLine(
            items,
            "mmap(NULL, 139264, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x");
    assertThat(mmap).as("cat's 128 KiB + 2 pages read buffer").isNotNull();
    long addr = returned(mmap.text());

    MapsSnapshot after = snapshotAfter(items, mmap.line());
    String region = regionAt(after, addr);
    assertThat(region).as("the kernel shows the new mapping").isNotNull();
    assertThat(region.split("\\s+")[1]).isEqualTo("rw-p");
    assertThat(region.split("\\s+")).hasSize(5); // no path: anonymous
    assertThat(regionAt(after, addr + 139264 - 1)).isEqualTo(region);
    MapsSnapshot before = previousSnapshot(items, mmap.line());
    assertThat(regionAt(before, addr)).as("it was not there before the call").isNull();

    LiveItem.LogLine read = firstLine(items, ", 0x20000) = 0x"); // cat reads 128 KiB at a time
    long buffer =
        Long.parseUnsignedLong(read.text().replaceAll(".*read\\(0x3, 0x([0-9a-f]+), .*", "$1"), 16);
    assertThat(regionAt(after, buffer))
        .as("the read buffer lies in that mapping")
        .isEqualTo(region);

    LiveItem.LogLine munmap = firstLine(items, "munmap(0x" + Long.toHexString(addr) + ", 139264)");
    assertThat(regionAt(snapshotAfter(items, munmap.line()), addr)).isNull();

    // the timeline shows the new region, and the snapshot after the call agrees with the model
    JsonNode event = eventOnLine(timeline, mmap.line());
    JsonNode added = event.path("changes").get(0);
    assertThat(added.path("op").asText()).isEqualTo("+");
    assertThat(added.path("after").path("size").asLong()).isEqualTo(139264);
    assertThat(added.path("after").path("path").asText()).isEmpty();
    String pid = mmap.text().substring(0, mmap.text().indexOf(" "));
    String agrees = "snapshot: /proc/" + pid + "/maps after this call agrees with the model";
    assertThat(event.path("checks").toString()).isEqualTo("[\"" + agrees + "\"]");
    assertThat(eventOnLine(timeline, munmap.line()).path("checks").toString())
        .isEqualTo("[\"" + agrees + "\"]");
  }

  static JsonNode eventOnLine(Path jsonl, int line) throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (String l : Files.readAllLines(jsonl)) {
      JsonNode o = json.readTree(l);
      if (o.path("line").asInt() == line) {
        return o;
      }
    }
    throw new AssertionError("no event on line " + line + " in " + jsonl);
  }

  static long returned(String line) {
    Matcher m = Pattern.compile("\\) += 0x([0-9a-f]+)").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Long.parseUnsignedLong(m.group(1), 16);
  }

  static MapsSnapshot previousSnapshot(List<LiveItem> items, int line) {
    MapsSnapshot prev = null;
    for (LiveItem i : items) {
      if (i instanceof MapsSnapshot s && s.line() < line) {
        prev = s;
      }
    }
    return prev;
  }

  private static LiveItem lastLine(List<LiveItem> items) {
    for (int i = items.size() - 1; i >= 0; i--) {
      if (items.get(i) instanceof LiveItem.LogLine) {
        return items.get(i);
      }
    }
    return null;
  }
}
