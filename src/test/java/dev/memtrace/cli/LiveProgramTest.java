package dev.memtrace.cli;

import static dev.memtrace.cli.LiveCatTest.returned;
import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static dev.memtrace.run.Recordings.items;
import static dev.memtrace.run.Recordings.regionAt;
import static dev.memtrace.run.Recordings.snapshotAfter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memtrace.run.LiveAssumptions;
import dev.memtrace.run.LiveItem;
import dev.memtrace.run.MapsSnapshot;
import dev.memtrace.run.Recordings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A C program compiled here (src/test/resources/live/memory.c) mallocs big and small, maps a file
 * and starts two threads; it writes the addresses it got to a report. The trace and the snapshots
 * must agree with those addresses.
 */
class LiveProgramTest {

  /**
   * The hold (µs) for tests that compare snapshots with exact expectations: long enough that a busy
   * CI machine still reads every snapshot while the task is held.
   */
  static final String HOLD = "50000";

  @TempDir Path dir;

  @Test
  void mallocMmapAndThreadsAgreeWithTheKernel() throws Exception {
    assumeStrace();
    Path bin = LiveAssumptions.compile("memory", dir);
    Path data = Files.write(dir.resolve("data.bin"), new byte[3 * 4096 + 100]);
    Path report = dir.resolve("report.txt");
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
            bin.toString(),
            data.toString(),
            report.toString());

    assertThat(r.status()).as(r.stderr()).isZero();
    Map<String, Long> got = new HashMap<>();
    for (String l : Files.readAllLines(report)) {
      got.put(l.split(" ")[0], Long.parseUnsignedLong(l.split(" ")[1].substring(2), 16));
    }
    List<LiveItem> items = items(rec);

    // malloc(1 MiB): glibc maps it on its own, 1 MiB + a page, and returns 16 bytes in
    LiveItem.LogLine bigMmap =
        lineReturning(items, "mmap(NULL, 1052672, PROT_READ|PROT_WRITE", got.get("big"));
    String bigRegion = regionAt(snapshotAfter(items, bigMmap.line()), got.get("big"));
    assertThat(bigRegion).contains(" rw-p ");
    assertThat(returned(bigMmap.text()) + 16).isEqualTo(got.get("big"));

    // the file mapping starts at the returned address and names the file
    LiveItem.LogLine fileMmap =
        lineReturning(items, "mmap(NULL, 12388, PROT_READ, MAP_PRIVATE, ", got.get("file"));
    assertThat(returned(fileMmap.text())).isEqualTo(got.get("file"));
    assertThat(regionAt(snapshotAfter(items, fileMmap.line()), got.get("file")))
        .startsWith(Long.toHexString(got.get("file")) + "-")
        .endsWith(data.toRealPath().toString());
    LiveItem.LogLine unmap =
        first(items, "munmap(0x" + Long.toHexString(got.get("file")) + ", 12388)");
    assertThat(regionAt(snapshotAfter(items, unmap.line()), got.get("file"))).isNull();

    // malloc(100) comes from the brk heap
    MapsSnapshot exit = exitSnapshot(items);
    assertThat(regionAt(exit, got.get("small"))).endsWith("[heap]");

    // two threads; what they map while others run is in snapshots marked racy
    assertThat(
            items.stream()
                .filter(i -> i instanceof LiveItem.LogLine l && l.text().contains(" clone3(")))
        .hasSize(2);
    assertThat(items).anyMatch(i -> i instanceof MapsSnapshot s && s.racy());
    assertThat(exit.racy()).as("the threads were joined before exit").isFalse();

    // on the program's own calls, the model agrees with the snapshot (ld.so's early calls are the
    // model's own tests' business: the kernel does not always merge the RELRO split the same way),
    // also after the threads, whose first calls may come before their clone3 returns in the log
    for (LiveItem.LogLine call : List.of(bigMmap, fileMmap, unmap)) {
      String checks = LiveCatTest.eventOnLine(timeline, call.line()).path("checks").toString();
      if (checks.contains("snapshot: the")) {
        assertThat(checks).as(call.text()).contains("snapshot caveat:");
      }
    }
    // and the unmapped file is gone from the model as from the kernel
    JsonNode unmapEvent = LiveCatTest.eventOnLine(timeline, unmap.line());
    assertThat(unmapEvent.path("changes").get(0).path("op").asText()).isEqualTo("-");
    assertThat(unmapEvent.path("changes").get(0).path("before").path("start").asText())
        .isEqualTo("0x" + Long.toHexString(got.get("file")));
    JsonNode fileEvent = LiveCatTest.eventOnLine(timeline, fileMmap.line());
    assertThat(fileEvent.path("changes").get(0).path("after").path("path").asText())
        .isEqualTo(data.toRealPath().toString());
  }

  private static LiveItem.LogLine lineReturning(List<LiveItem> items, String call, long address) {
    for (LiveItem i : items) {
      if (i instanceof LiveItem.LogLine l && l.text().contains(call)) {
        long ret = returned(l.text());
        if (Long.compareUnsigned(address, ret) >= 0 && address - ret < (2 << 20)) {
          return l;
        }
      }
    }
    throw new AssertionError("no '" + call + "' returning near 0x" + Long.toHexString(address));
  }

  private static LiveItem.LogLine first(List<LiveItem> items, String text) {
    LiveItem.LogLine l = Recordings.firstLine(items, text);
    assertThat(l).as(text).isNotNull();
    return l;
  }

  private static MapsSnapshot exitSnapshot(List<LiveItem> items) {
    MapsSnapshot exit = null;
    for (LiveItem i : items) {
      if (i instanceof MapsSnapshot s && s.kind() == MapsSnapshot.Kind.EXIT) {
        exit = s;
      }
    }
    assertThat(exit).as("an exit snapshot").isNotNull();
    return exit;
  }
}
