package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.Snapshot;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.trace.TraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A brk after a late snapshot: reduced from a live run (--delay 1) of a program that moves the
 * break up a page at a time with brk(2); the snapshot after brk(NULL) was read 1.5 ms late, when
 * the break already stood 9 pages up.
 */
class BreakAheadTest {

  @Test
  void aBrkAfterALateSnapshotSaysWhyItsChangeGoesTheOtherWay() {
    String log =
        """
        400 execve("./brkup", ["./brkup"], 0x7ffe0434e380 /* 38 vars */) = 0
        400 brk(NULL) = 0x55e75f02a000
        400 brk(0x55e75f02b000) = 0x55e75f02b000
        """;
    String late =
        "55e75f02a000-55e75f033000 rw-p 00000000 00:00 0                          [heap]\n";
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(log),
            List.of(new Snapshot(2, 400, late)),
            Explainer.DEFAULT_WINDOW);
    assertThat(out.at(3).changes().get(0).before().end()).isEqualTo(0x55e75f033000L);
    assertThat(out.at(3).changes().get(0).after().end()).isEqualTo(0x55e75f02b000L);
    assertThat(out.why(3))
        .contains("the break moves up by 4096 bytes")
        .contains(
            "The change shows [heap] shrinking because the model's [heap] ended at 0x55e75f033000,"
                + " as a /proc/PID/maps snapshot showed it, not at 0x55e75f02a000, where the last"
                + " brk in the trace put the break");
  }

  @Test
  void aBrkTheModelAgreesWithSaysNothingMore() {
    Run.Out out =
        Run.explain(
            """
            400 execve("./brkup", ["./brkup"], 0x7ffe0434e380 /* 38 vars */) = 0
            400 brk(NULL) = 0x55e75f02a000
            400 brk(0x55e75f02b000) = 0x55e75f02b000
            """);
    assertThat(out.why(3)).contains("the break moves up").doesNotContain("The change shows");
  }

  /**
   * rsync's receiver (pid 3000, a fork child of the rsync that memtrace run started; Debian 12),
   * cut to its parent's start, the fork and its own breaks: its /proc/PID/maps snapshot after line
   * 12 was read 3.5 ms late and showed its [heap] (the part it grew itself, from line 6) already
   * ending at line 13's break. The model takes that end from the snapshot, but the area is the one
   * line 6 made: a region whose start the trace shows being made is not "learnt from a snapshot: no
   * call in the trace made it".
   */
  @Test
  void aLateSnapshotOfTheHeapKeepsTheBrkThatMadeIt() throws Exception {
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/rsync_fork_late_heap.log").toURI()));
    String maps =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/rsync_fork_late_heap.maps").toURI()));
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(log),
            List.of(new Snapshot(12, 3000, maps)),
            Explainer.DEFAULT_WINDOW);
    Region heap = out.at(14).changes().get(0).after();
    assertThat(heap.path()).isEqualTo("[heap]");
    assertThat(heap.start()).isEqualTo(0x55a248ed5000L);
    assertThat(heap.learnt()).isEqualTo(Region.Learnt.TRACE);
    assertThat(heap.originLine()).isEqualTo(6);
    assertThat(RegionOrigin.made(heap, null))
        .startsWith("made by line 6; that made")
        .doesNotContain("snapshot");
  }

  /**
   * git gc's pack-objects (pid 1656 of memtrace run --save -- git gc -q, Debian 12) maps each loose
   * object in turn at the same address; the snapshot after its munmap of one (line 5) was read 4 ms
   * late and already showed the next one, which line 8 then maps. Between the two lines, maps
   * --explain must not say no call in the trace made that region.
   */
  @Test
  void aRegionALateSnapshotShowsIsNotSaidToBeNoCallsAtAll() throws Exception {
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/git_gc_loose_late_snapshot.log").toURI()));
    String maps =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/git_gc_loose_late_snapshot.maps").toURI()));
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(log),
            List.of(new Snapshot(5, 1656, maps)),
            Explainer.DEFAULT_WINDOW);
    // what the model held there before line 8 maps it: the region the late snapshot showed
    Region learnt = out.at(8).changes().get(0).before();
    assertThat(learnt.path()).contains("/objects/dc/");
    assertThat(learnt.learnt()).isEqualTo(Region.Learnt.SNAPSHOT);
    assertThat(RegionOrigin.made(learnt, null))
        .startsWith(
            "learnt from a /proc/PID/maps snapshot: no call in the trace up to here made it")
        .contains("a snapshot read late can already show what a later call maps");
  }

  /**
   * pandoc 2.17's main thread (pid 5038 of memtrace run --save -- pandoc doc.md -o doc.html, GHC's
   * RTS on Debian 12, Linux 6.18) makes two thread stacks one below the other. The snapshot after
   * line 7 was read 5.8 ms late and already showed the second block, mapped PROT_NONE at line 8,
   * merged with the first one's guard page (line 5); the snapshot after line 8 shows the same.
   * Since Linux 6.7 MAP_STACK sets VM_NOHUGEPAGE, which /proc/PID/maps does not show: the area the
   * model learnt from the late snapshot was taken to lack it, so line 8's block did not merge with
   * what was left of it, the snapshot after line 8 was told as disagreeing ("the model had
   * 7f39b0d4a000-7f39b154b000 ---p anonymous and 7f39b154b000-7f39b154c000 ---p anonymous") and the
   * model took the area from it: maps --explain then said of the second stack's guard page "learnt
   * from a /proc/PID/maps snapshot: no call in the trace up to here made it".
   */
  @Test
  void aThreadStackMappedBesideAnAreaALateSnapshotShowedMergesWithIt() throws Exception {
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/pandoc_thread_stack_late.log").toURI()));
    String maps =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/pandoc_thread_stack_late.maps").toURI()));
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(log),
            List.of(new Snapshot(7, 5038, maps), new Snapshot(8, 5038, maps)),
            Explainer.DEFAULT_WINDOW);
    // the snapshot after line 7 did show more than the model had then (line 8's block, read
    // late); the one after line 8 agrees with it
    assertThat(out.events().stream().flatMap(e -> e.checks().stream()))
        .noneMatch(c -> c.contains("the model had 7f39b0d4a000"));
    Region guard =
        out.at(9).changes().stream()
            .map(RegionChange::after)
            .filter(r -> r != null && r.start() == 0x7f39b0d4a000L)
            .findFirst()
            .orElseThrow();
    assertThat(guard.end()).isEqualTo(0x7f39b0d4b000L);
    assertThat(guard.learnt()).isEqualTo(Region.Learnt.TRACE);
    assertThat(guard.originLine()).isEqualTo(8);
    assertThat(RegionOrigin.made(guard, null))
        .startsWith("made by line 8")
        .doesNotContain("snapshot");
  }

  /**
   * The same run: the late snapshot after line 7 showed the first thread stack's guard page (made
   * at line 5) as the top of one area with the second block, which the model had not seen yet. The
   * model took that area from the snapshot and said of the guard page, once line 9 split the area
   * again, "learnt from a /proc/PID/maps snapshot: no call in the trace up to here made it". The
   * memory in it is still line 5's.
   */
  @Test
  void anAreaALateSnapshotShowsMergedWithMoreKeepsTheCallThatMadeItsPart() throws Exception {
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/pandoc_thread_stack_late.log").toURI()));
    String maps =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/pandoc_thread_stack_late.maps").toURI()));
    Run.Out out =
        Run.explain(
            TraceReader.parseAll(log),
            List.of(new Snapshot(7, 5038, maps), new Snapshot(8, 5038, maps)),
            Explainer.DEFAULT_WINDOW);
    Region guard =
        out.at(9).changes().stream()
            .map(RegionChange::after)
            .filter(r -> r != null && r.start() == 0x7f39b154b000L)
            .findFirst()
            .orElseThrow();
    assertThat(guard.end()).isEqualTo(0x7f39b154c000L);
    assertThat(guard.learnt()).isEqualTo(Region.Learnt.TRACE);
    assertThat(guard.originLine()).isEqualTo(5);
    // line 8's block lands on the part of that area the snapshot alone showed: no call's memory
    // was there, so no munmap of another thread is blamed for it
    assertThat(out.at(8).checks())
        .anyMatch(c -> c.contains("which the model knew only from a maps snapshot"))
        .noneMatch(c -> c.contains("where the model still had memory"));
    assertThat(RegionOrigin.made(guard, null))
        .startsWith("made by line 5")
        .doesNotContain("snapshot");
  }
}
