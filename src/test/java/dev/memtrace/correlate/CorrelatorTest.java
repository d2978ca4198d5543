package dev.memtrace.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
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
    assertThat(at(events, 2).checks())
        .containsExactly(
            "snapshot: learnt 13 regions the trace"
                + " did not show being mapped (by the kernel at execve, or before the trace)");
    assertThat(events)
        .filteredOn(a -> a.event().line() > 2)
        .allSatisfy(
            a -> assertThat(a.checks()).noneMatch(c -> c.startsWith("snapshot") && !agreement(c)));
    assertThat(events)
        .as("every later snapshot's call that changed something says it agreed")
        .filteredOn(a -> a.checks().stream().anyMatch(CorrelatorTest::agreement))
        .hasSize(
            (int)
                events.stream()
                    .filter(a -> a.event().line() > 2)
                    .filter(a -> !a.changes().isEmpty())
                    .count())
        .isNotEmpty();
  }

  @Test
  void whatTheFirstSnapshotTaughtRidesOnTheNextEventOfItsSpace() throws Exception {
    Path dir = Shared.mapsCorpus();
    List<Snapshot> snapshots = SnapshotFile.read(dir.resolve("sbrk.maps.jsonl")).snapshots();
    List<AnnotatedEvent> events = replay(Files.readString(dir.resolve("sbrk.log")), snapshots);
    // the snapshot after line 2 is checked there; what it taught goes with line 3, for pictures
    assertThat(at(events, 2).learnt()).isEmpty();
    List<RegionChange> taught = at(events, 3).learnt();
    assertThat(taught).hasSize(13).allMatch(c -> c.op() == RegionChange.Op.ADDED);
    assertThat(taught)
        .extracting(c -> c.after().path())
        .contains("[stack]", "[vdso]", "[vvar]", "/home/user/corpus/bin/sbrk");
    assertThat(taught).allMatch(c -> c.after().learnt() == Region.Learnt.SNAPSHOT);
    assertThat(at(events, 3).changes()).as("the call's own changes stay its own").hasSize(1);
    assertThat(events)
        .filteredOn(a -> a.event().line() > 3)
        .as("later snapshots agree: nothing more to teach")
        .allMatch(a -> a.learnt().isEmpty());
  }

  @Test
  void aResyncThatCorrectsTheModelRidesAsRemovedAndAdded() throws Exception {
    Path dir = Shared.mapsCorpus();
    String log = sbrkWithWritableRelro(dir);
    List<Snapshot> snaps =
        SnapshotFile.read(dir.resolve("sbrk.maps.jsonl")).snapshots().stream()
            .map(
                s ->
                    new Snapshot(
                        s.line(),
                        s.pid(),
                        s.maps(),
                        s.text().replace("16384, PROT_READ)", "16384, PROT_READ|PROT_WRITE)")))
            .toList();
    List<AnnotatedEvent> events = replay(log, snaps);
    List<String> taught =
        at(events, 26).learnt().stream()
            .map(c -> c.op() + " " + (c.before() != null ? c.before() : c.after()).perms())
            .toList();
    assertThat(taught).containsExactlyInAnyOrder("REMOVED rw-p", "ADDED r--p", "ADDED rw-p");
  }

  /** sbrk.log with the RELRO mprotect of libc (line 25) making the pages writable instead. */
  private static String sbrkWithWritableRelro(Path dir) throws IOException {
    return Files.readString(dir.resolve("sbrk.log"))
        .replace(
            "mprotect(0x7f17f4808000, 16384, PROT_READ)",
            "mprotect(0x7f17f4808000, 16384, PROT_READ|PROT_WRITE)");
  }

  @Test
  void aWrongModelIsReportedRegionByRegionAndResynced() throws Exception {
    Path dir = Shared.mapsCorpus();
    String log = sbrkWithWritableRelro(dir);
    List<Snapshot> snaps =
        SnapshotFile.read(dir.resolve("sbrk.maps.jsonl")).snapshots().stream()
            .map(
                s ->
                    new Snapshot(
                        s.line(),
                        s.pid(),
                        s.maps(),
                        s.text().replace("16384, PROT_READ)", "16384, PROT_READ|PROT_WRITE)")))
            .toList();
    List<AnnotatedEvent> events = replay(log, snaps);
    assertThat(at(events, 25).checks())
        .containsExactly(
            "snapshot: the kernel has 7f17f4808000-7f17f480c000 r--p @1cf000"
                + " /usr/lib/x86_64-linux-gnu/libc.so.6, the model had 7f17f4808000-7f17f480e000 rw-p"
                + " @1cf000 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "snapshot: the kernel has 7f17f480c000-7f17f480e000 rw-p @1d3000"
                + " /usr/lib/x86_64-linux-gnu/libc.so.6, the model had 7f17f4808000-7f17f480e000 rw-p"
                + " @1cf000 /usr/lib/x86_64-linux-gnu/libc.so.6");
    assertThat(events)
        .filteredOn(a -> a.event().line() > 25)
        .as("after the resync the model agrees again")
        .allSatisfy(
            a -> assertThat(a.checks()).noneMatch(c -> c.startsWith("snapshot") && !agreement(c)));
  }

  @Test
  void aSnapshotWithoutItsLineTextIsCheckedAtTheNextEventAndSaysWhichLine() throws Exception {
    Path dir = Shared.mapsCorpus();
    String log = sbrkWithWritableRelro(dir);
    List<Snapshot> snaps =
        SnapshotFile.read(dir.resolve("sbrk.maps.jsonl")).snapshots().stream()
            .map(s -> new Snapshot(s.line(), s.pid(), s.maps()))
            .toList();
    List<AnnotatedEvent> events = replay(log, snaps);
    assertThat(at(events, 26).checks())
        .first()
        .asString()
        .startsWith("snapshot after line 25: the kernel has 7f17f4808000-7f17f480c000 r--p");
  }

  @Test
  void aMissedSnapshotIsSaid() {
    String line =
        "1  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000";
    List<AnnotatedEvent> events = replay(line + "\n", List.of(new Snapshot(1, 1, null, line)));
    assertThat(events.get(0).checks()).anySatisfy(c -> assertThat(c).contains("could not be read"));
  }

  @Test
  void aThreadResyncedBeforeItsClone3ReturnsStillSharesItsProcessMemory() {
    // The thread's first call, and the snapshot after it, come before its clone3 returns in the
    // log; the snapshot must not make the model take the thread for one that ran an execve.
    String log =
        String.join(
                "\n",
                "100   mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000010000",
                "100   clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM,"
                    + " child_tid=0x7f0000200990, parent_tid=0x7f0000200990, exit_signal=0,"
                    + " stack=0x7f0000100000, stack_size=0x100000, tls=0x7f00002006c0} <unfinished ...>",
                "101   mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)"
                    + " = 0x7e0000000000 (DELAYED)",
                "100   <... clone3 resumed> => {parent_tid=[101]}, 88) = 101",
                "101   mprotect(0x7e0000000000, 135168, PROT_READ|PROT_WRITE) = 0",
                "100   munmap(0x7f0000010000, 8192) = 0 (DELAYED)")
            + "\n";
    String[] lines = log.split("\n");
    String arena = "7e0000000000-7e0008000000 ---p 00000000 00:00 0 \n";
    List<Snapshot> snaps =
        List.of(
            new Snapshot(
                3, 101, arena + "7f0000010000-7f0000012000 rw-p 00000000 00:00 0 \n", lines[2]),
            new Snapshot(
                6,
                100,
                "7e0000000000-7e0000021000 rw-p 00000000 00:00 0 \n"
                    + "7e0000021000-7e0008000000 ---p 00000000 00:00 0 \n",
                lines[5]));
    List<AnnotatedEvent> events = replay(log, snaps);
    assertThat(at(events, 6).checks())
        .as("the thread's mprotect reached the process's memory")
        .hasSize(1)
        .allMatch(CorrelatorTest::agreement);
  }

  @Test
  void aSnapshotReadLateThatAlreadyShowsTheNextMappingIsNotTakenForAThreadsMunmap() {
    // Live, under load: the snapshot after line 1 is read after line 2's mmap and already shows
    // its buffer. The mmap then lands where the model (resynced) has memory: that must not be
    // read as a munmap running in another thread, which would keep the buffer at line 3's munmap.
    String log =
        String.join(
                "\n",
                "1  mmap(NULL, 50, PROT_READ, MAP_PRIVATE, 3</usr/lib/locale/C.utf8/LC_NUMERIC>, 0)"
                    + " = 0x7f0000001000",
                "1  mmap(NULL, 139264, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
                    + " = 0x7f0000100000",
                "1  munmap(0x7f0000100000, 139264) = 0")
            + "\n";
    String[] lines = log.split("\n");
    String locale =
        "7f0000001000-7f0000002000 r--p 00000000 fe:01 1234"
            + " /usr/lib/locale/C.utf8/LC_NUMERIC\n";
    List<Snapshot> snaps =
        List.of(
            new Snapshot(
                1, 1, locale + "7f0000100000-7f0000122000 rw-p 00000000 00:00 0 \n", lines[0]),
            new Snapshot(3, 1, locale, lines[2]));
    List<AnnotatedEvent> events = replay(log, snaps);
    assertThat(at(events, 2).checks())
        .anySatisfy(c -> assertThat(c).contains("learnt from a maps snapshot"))
        .noneSatisfy(c -> assertThat(c).contains("another thread"));
    assertThat(at(events, 3).checks())
        .as("the munmap freed the buffer, as the kernel says")
        .hasSize(1)
        .allMatch(CorrelatorTest::agreement);
  }

  @Test
  void aMappingOverMemoryATracedCallMadeWaitsForTheMunmapStillRunning() {
    // Thread 101 gets the address thread 100 is unmapping; 100's munmap line comes after.
    String log =
        String.join(
                "\n",
                "100   mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000010000",
                "100   clone(child_stack=0x7f0000100000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND"
                    + "|CLONE_THREAD|CLONE_SYSVSEM) = 101",
                "101   mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000010000",
                "100   munmap(0x7f0000010000, 8192) = 0")
            + "\n";
    List<AnnotatedEvent> events = replay(log, List.of());
    assertThat(at(events, 3).checks()).anySatisfy(c -> assertThat(c).contains("another thread"));
    assertThat(at(events, 4).checks()).anySatisfy(c -> assertThat(c).contains("it stays"));
    assertThat(at(events, 4).changes()).isEmpty();
  }

  private static boolean agreement(String check) {
    return check.matches("snapshot: /proc/\\d+/maps after this call agrees with the model");
  }

  /**
   * A torn read of /proc/PID/maps, as one taken after line 1436 of a live java -version run: the
   * kernel printed the arena's old head, then (another thread's mprotect having run between two
   * reads) its new head and tail. No address space is both; the check says so and the model keeps
   * what the trace made.
   */
  @Test
  void aTornSnapshotIsNotComparedAndTheModelKeepsItsRegions() {
    String log =
        "358 mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)"
            + " = 0x7f7568000000\n"
            + "358 mprotect(0x7f7568000000, 1105920, PROT_READ|PROT_WRITE) = 0\n"
            + "358 mmap(0x7f7540e53000, 16384, PROT_READ|PROT_WRITE,"
            + " MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0) = 0x7f7540e53000\n";
    String torn =
        "7f7540e53000-7f7540e57000 rw-p 00000000 00:00 0 \n"
            + "7f7568000000-7f756810c000 rw-p 00000000 00:00 0 \n"
            + "7f7568000000-7f7568112000 rw-p 00000000 00:00 0 \n"
            + "7f7568112000-7f7570000000 ---p 00000000 00:00 0 \n";
    Snapshot s = new Snapshot(3, 358, torn);
    assertThat(s.torn()).isTrue();
    assertThat(
            new Snapshot(
                    3, 372, torn.replace("7f7568000000-7f756810c000 rw-p 00000000 00:00 0 \n", ""))
                .torn())
        .isFalse();
    MemoryModel model = new MemoryModel();
    ModelStage stage = new ModelStage(model, List.of(s));
    for (TraceEvent e : TraceReader.parseAll(log)) {
      stage.annotate(e);
    }
    assertThat(stage.finish())
        .containsExactly(
            "snapshot after line 3: /proc/358/maps was read while another thread changed the"
                + " address space (two of its lines overlap); not compared");
    assertThat(model.space(358).regions())
        .extracting(r -> Long.toHexString(r.start()) + "-" + Long.toHexString(r.end()))
        .containsExactly(
            "7f7540e53000-7f7540e57000", "7f7568000000-7f756810e000", "7f756810e000-7f7570000000");
  }

  /**
   * A snapshot read so late that the process had already run its next program: pyenv's python3
   * shim, a bash script whose first line runs /usr/bin/env, traced live on a busy machine; the
   * snapshot held for env's mmap of a locale file (line 62 of the run) was read 88671 µs after the
   * call, once env had run bash, and showed bash's address space. Each of env's regions was
   * reported as 'the kernel has nothing there', each of bash's as 'the model had nothing there',
   * and the model took bash's regions for env's until env's execve. The check now says why and
   * compares nothing. The snapshots are the run's (memtrace run --save); the log keeps its lines 1,
   * 2 and 62, with the execve naming /usr/bin/env, which the kernel ran for the script.
   */
  @Test
  void aSnapshotReadAfterTheNextExecveIsNotCompared() throws Exception {
    String log =
        "10499 execve(\"/usr/bin/env\", [\"/usr/bin/env\", \"bash\"], 0x7ffc43321490 /* 35 vars"
            + " */) = 0\n"
            + "10499 brk(NULL) = 0x55ff7a690000\n"
            + "10499 mmap(NULL, 127, PROT_READ, MAP_PRIVATE, 3</usr/lib/locale/C.utf8/LC_ADDRESS>, 0)"
            + " = 0x7f58dc7e3000\n";
    Path dir = Path.of(getClass().getResource("/maps").toURI());
    List<Snapshot> snaps =
        List.of(
            new Snapshot(2, 10499, Files.readString(dir.resolve("env_after_execve.maps"))),
            new Snapshot(
                3, 10499, Files.readString(dir.resolve("env_read_after_next_execve.maps"))));
    MemoryModel model = new MemoryModel();
    ModelStage stage = new ModelStage(model, snaps);
    List<AnnotatedEvent> events = new ArrayList<>();
    for (TraceEvent e : TraceReader.parseAll(log)) {
      events.add(stage.annotate(e));
    }
    List<String> checks = new ArrayList<>(stage.finish());
    events.forEach(a -> checks.addAll(a.checks()));
    assertThat(checks)
        .contains(
            "snapshot after line 3: /proc/10499/maps shows no /usr/bin/env, the program this"
                + " address space runs:"
                + " it was most likely read late, after the process had run another program with"
                + " execve; not compared")
        .noneMatch(c -> c.contains("the model had nothing there") || c.contains("/usr/bin/bash"));
    assertThat(model.space(10499).regions())
        .as("the model keeps env's regions")
        .anyMatch(r -> r.path().equals("/usr/bin/env"))
        .noneMatch(r -> r.path().equals("/usr/bin/bash"));
  }

  /**
   * memcached attached to (run -p) and stopped with SIGTERM: the snapshot held for its exit_group
   * was read 103 ms late, after the kernel had released the address space, and the maps file was
   * empty. Each region the model had was reported as 'the kernel has nothing there' and the model
   * was emptied; the check now says why and compares nothing.
   */
  @Test
  void anEmptySnapshotOfAnExitingProcessIsNotCompared() {
    String log =
        "10 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
            + " = 0x7f0000000000\n"
            + "10 exit_group(0) = ?\n";
    MemoryModel model = new MemoryModel();
    ModelStage stage = new ModelStage(model, List.of(new Snapshot(2, 10, "")));
    for (TraceEvent e : TraceReader.parseAll(log)) {
      stage.annotate(e);
    }
    assertThat(stage.finish())
        .containsExactly(
            "snapshot after line 2: /proc/10/maps was empty: the process had already given up its"
                + " address space (it was exiting) when it was read; not compared");
    assertThat(model.space(10).regions()).hasSize(1);
  }

  /**
   * A snapshot after a process's last call (its exit_group) teaches what the kernel made ([stack]
   * here): the exit, the last event of that space, carries it, so the picture keeps it.
   */
  @Test
  void whatASnapshotAfterTheLastCallTaughtRidesOnTheExit() {
    String log =
        "10 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
            + " = 0x7f0000000000\n"
            + "10 exit_group(0) = ?\n"
            + "10 +++ exited with 0 +++\n";
    String maps =
        "7f0000000000-7f0000002000 rw-p 00000000 00:00 0 \n"
            + "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]\n";
    List<AnnotatedEvent> events = replay(log, List.of(new Snapshot(2, 10, maps)));
    assertThat(at(events, 2).learnt()).isEmpty();
    assertThat(at(events, 3).learnt())
        .extracting(c -> c.after() == null ? null : c.after().path())
        .containsExactly("[stack]");
  }

  /**
   * A snapshot after the log's last event, in a log that ends without the exit: no later event
   * comes to carry what it taught, so a notice past the last line does, for the picture.
   */
  @Test
  void whatASnapshotAfterTheLogsLastEventTaughtRidesOnANoticePastTheEnd() {
    String call =
        "10 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
            + " = 0x7f0000000000";
    String maps =
        "7f0000000000-7f0000002000 rw-p 00000000 00:00 0 \n"
            + "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]\n";
    for (Snapshot snap :
        List.of(new Snapshot(1, 10, maps, call), new Snapshot(1, 10, maps, null))) {
      ModelStage stage = new ModelStage(new MemoryModel(), List.of(snap));
      AnnotatedEvent only = stage.annotate(TraceReader.parseAll(call + "\n").get(0));
      stage.finish();
      assertThat(only.learnt()).isEmpty();
      List<AnnotatedEvent> rest = stage.untaken();
      assertThat(rest)
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.learnt())
                    .extracting(c -> c.after() == null ? null : c.after().path())
                    .containsExactly("[stack]");
                assertThat(a.event()).isInstanceOf(NoticeEvent.class);
                assertThat(a.event().line()).isEqualTo(2);
                assertThat(a.event().pid()).isEqualTo(10);
                assertThat(a.who()).isNotNull();
                assertThat(((NoticeEvent) a.event()).text())
                    .isEqualTo(
                        "the log ends: the regions the /proc/10/maps snapshot after line 1 showed,"
                            + " which no later event of that address space carried");
              });
      assertThat(stage.untaken()).isEmpty();
    }
  }
}
