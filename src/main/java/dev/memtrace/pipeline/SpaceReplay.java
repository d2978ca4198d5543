package dev.memtrace.pipeline;

import dev.memtrace.correlate.MapsAt;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.correlate.SnapshotFile;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.run.ExitCode;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The address spaces {@code maps} and {@code where} print: the model replayed over a log or
 * recording up to given lines (the input read twice: see {@link MapsAt}), followed by the explain
 * stage when the printer names what regions were made for, or a running process's maps as they are
 * now.
 */
final class SpaceReplay {

  private SpaceReplay() {}

  /**
   * {@code maps} and {@code where} on a log or a recording: the model replayed over {@code file}
   * ({@code -} for standard input; read twice, see {@link MapsAt}) with the recording's snapshots
   * and those of {@code snapshotFile}, the state after each of {@code lines} (null: after the log's
   * last memory call) handed to {@code printer}. Returns the exit status, having said on {@code
   * err} what stopped it.
   */
  static int at(
      String file,
      Path snapshotFile,
      List<Integer> lines,
      ElfFiles files,
      PrintWriter err,
      MapsAt.Printer printer)
      throws IOException {
    TraceInput input = TraceInput.open(file, System.in, err);
    if (input == null) {
      return ExitCode.FAILED.code;
    }
    if (files != null && !input.elfAnswers().isEmpty()) {
      // this machine's files stand in for the run's only when they are the same builds
      files.expect(input.elfAnswers());
    }
    List<Snapshot> snaps = new ArrayList<>(input.snapshots());
    if (snapshotFile != null) {
      if (!Files.isReadable(snapshotFile)) {
        err.println("memtrace: cannot read snapshots " + snapshotFile);
        return ExitCode.FAILED.code;
      }
      SnapshotFile.Loaded loaded = SnapshotFile.read(snapshotFile);
      snaps.addAll(loaded.snapshots());
      if (loaded.skipped() > 0) {
        err.println(skipped(snapshotFile, loaded));
      }
    }
    MapsAt.Scan scan;
    LogShape shape = new LogShape();
    try (TraceReader reader = input.reader()) {
      scan = MapsAt.scan(reader, files, shape::see);
    }
    List<Integer> at =
        lines != null
            ? lines
            : List.of(
                scan.lastMemoryLine() > 0 ? scan.lastMemoryLine() : Math.max(1, scan.lastLine()));
    Integer past = at.stream().filter(l -> l > scan.lastLine()).findFirst().orElse(null);
    if (past != null) {
      err.println(
          "memtrace: --at "
              + past
              + " is past the end of "
              + input.name()
              + " (its last line is "
              + scan.lastLine()
              + ")");
      return ExitCode.FAILED.code;
    }
    MemoryModel model = new MemoryModel(files, scan.hints());
    MapsAt.Follower follower =
        printer.readsExplanations() ? new ExplainFollower(model) : MapsAt.Follower.NONE;
    try (TraceReader reader = input.reader()) {
      MapsAt.write(reader, snaps, at, model, follower, printer);
    }
    String note = shape.note();
    if (note != null) {
      // "no address space known" alone would read as a program that mapped nothing
      err.println("memtrace: " + note);
    }
    return ExitCode.OK.code;
  }

  /**
   * {@code maps} and {@code where} on a running process: its {@code /proc/PID/maps} as it is now,
   * or null after saying on {@code err} that it cannot be read.
   */
  static String processMaps(int pid, PrintWriter err) {
    Path maps = Path.of("/proc", String.valueOf(pid), "maps");
    try {
      return Files.readString(maps, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      err.println("memtrace: cannot read " + maps + " (no such process, or not allowed)");
      return null;
    }
  }

  /** The notice for the lines of a snapshot file that are not snapshots. */
  static String skipped(Path snapshotFile, SnapshotFile.Loaded loaded) {
    return "memtrace: "
        + loaded.skipped()
        + " line(s) of "
        + snapshotFile
        + " are not snapshots and were skipped";
  }
}
