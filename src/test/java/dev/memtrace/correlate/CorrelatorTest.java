package dev.memtrace.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With snapshots given, every difference is reported on its call and the model resyncs. */
class CorrelatorTest {

  static List<AnnotatedEvent> replay(String log, List<Snapshot> snaps) {
    ModelStage stage = new ModelStage(new MemoryModel(), snaps);
    List<AnnotatedEvent> out = new ArrayList<>();
    for (TraceEvent e : TraceReader.parseAll(log)) {
      out.add(stage.annotate(e));
    }
    stage.finish();
    return out;
  }

  static AnnotatedEvent at(List<AnnotatedEvent> events, int line) {
    return events.stream().filter(a -> a.event().line() == line).findFirst().orElseThrow();
  }

  @Test
  void aFaithfulLogOnlyLearnsTheExecveRegions() throws Exception {
    Path dir = Shared.mapsCorpus();
    List<Snapshot> snapshots = SnapshotFile.read(dir.resolve("sbrk.maps.jsonl")).snapshots();
    List<AnnotatedEvent> events = replay(Files.readString(dir.resolve("sbrk.log")), snapshots);
    assertThat(at(events, 2).checks()).containsExactly("snapshot: learnt 13 regions the trace"
        + " did not show being mapped (by the kernel at execve, or before the trace)");
    assertThat(events).filteredOn(a -> a.event().line() > 2)
        .allSatisfy(a -> assertThat(a.checks())
            .noneMatch(c -> c.startsWith("snapshot") && !agreement(c)));
    assertThat(events).as("every later snapshot's call that changed something says it agreed")
        .filteredOn(a -> a.checks().stream().anyMatch(CorrelatorTest::agreement))
        .hasSize((int) events.stream().filter(a -> a.event().line() > 2)
            .filter(a -> !a.changes().isEmpty()).count())
        .isNotEmpty();
  }

  @Test
  void aWrongModelIsReportedRegionByRegionAndResynced() throws Exception {
    Path dir = Shared.mapsCorpus();
    // Pretend the RELRO mprotect of libc (line 25) made the pages writable instead of read-only.
    String log = Files.readString(dir.resolve("sbrk.log"))
        .replace("mprotect(0x7f17f4808000, 16384, PROT_READ)",
            "mprotect(0x7f17f4808000, 16384, PROT_READ|PROT_WRITE)");
    List<Snapshot> snaps = SnapshotFile.read(dir.resolve("sbrk.maps.jsonl")).snapshots().stream()
        .map(s -> new Snapshot(s.line(), s.pid(), s.maps(), s.text().replace(
            "16384, PROT_READ)", "16384, PROT_READ|PROT_WRITE)")))
        .toList();
    List<AnnotatedEvent> events = replay(log, snaps);
    assertThat(at(events, 25).checks()).containsExactly(
        "snapshot: the kernel has 7f17f4808000-7f17f480c000 r--p @1cf000"
            + " /usr/lib/x86_64-linux-gnu/libc.so.6, the model had 7f17f4808000-7f17f480e000 rw-p"
            + " @1cf000 /usr/lib/x86_64-linux-gnu/libc.so.6",
        "snapshot: the kernel has 7f17f480c000-7f17f480e000 rw-p @1d3000"
            + " /usr/lib/x86_64-linux-gnu/libc.so.6, the model had 7f17f4808000-7f17f480e000 rw-p"
            + " @1cf000 /usr/lib/x86_64-linux-gnu/libc.so.6");
    assertThat(events).filteredOn(a -> a.event().line() > 25)
        .as("after the resync the model agrees again")
        .allSatisfy(a -> assertThat(a.checks())
            .noneMatch(c -> c.startsWith("snapshot") && !agreement(c)));
  }

  @Test
  void aSnapshotWithoutItsLineTextIsCheckedAtTheNextEventAndSaysWhichLine() throws Exception {
    Path dir = Shared.mapsCorpus();
    String log = Files.readString(dir.resolve("sbrk.log"))
        .replace("mprotect(0x7f17f4808000, 16384, PROT_READ)",
            "mprotect(0x7f17f4808000, 16384, PROT_READ|PROT_WRITE)");
    List<Snapshot> snaps = SnapshotFile.read(dir.resolve("sbrk.maps.jsonl")).snapshots().stream()
        .map(s -> new Snapshot(s.line(), s.pid(), s.maps())).toList();
    List<AnnotatedEvent> events = replay(log, snaps);
    assertThat(at(events, 26).checks()).first().asString()
        .startsWith("snapshot after line 25: the kernel has 7f17f4808000-7f17f480c000 r--p");
  }

  @Test
  void aMissedSnapshotIsSaid() {
    String line = "1  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000";
    List<AnnotatedEvent> events = replay(line + "\n", List.of(new Snapshot(1, 1, null, line)));
    assertThat(events.get(0).checks()).anySatisfy(c -> assertThat(c).contains("could not be read"));
  }

  private static boolean agreement(String check) {
    return check.matches("snapshot: /proc/\\d+/maps after this call agrees with the model");
  }
}
