package dev.memtrace.cli;

import dev.memtrace.correlate.MapsAt;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.correlate.SnapshotFile;
import dev.memtrace.run.ExitCode;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memtrace maps --at LINE[,LINE...] [--snapshots FILE] FILE}: wiring only, see {@link MapsAt}. */
@Command(
    name = "maps",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the address space the model holds after each given line of an strace log, "
          + "in /proc/PID/maps format, under a header '# line LINE pid PID'."
    },
    exitCodeListHeading = "%nExit status:%n")
final class MapsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--at", required = true, split = ",", paramLabel = "LINE",
      description = "Line numbers of FILE (1-based), comma-separated.")
  List<Integer> at;

  @Option(names = "--snapshots", paramLabel = "FILE",
      description = "/proc/PID/maps snapshots (NAME.maps.jsonl: line, pid, maps per line).")
  Path snapshots;

  @Parameters(index = "0", paramLabel = "FILE", description = "The strace log ('-' for standard input).")
  String file;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (at.stream().anyMatch(l -> l < 1)) {
      err.println("memtrace: --at takes line numbers from 1");
      return ExitCode.FAILED.code;
    }
    List<Snapshot> snaps = List.of();
    if (snapshots != null) {
      if (!Files.isReadable(snapshots)) {
        err.println("memtrace: cannot read snapshots " + snapshots);
        return ExitCode.FAILED.code;
      }
      SnapshotFile.Loaded loaded = SnapshotFile.read(snapshots);
      snaps = loaded.snapshots();
      if (loaded.skipped() > 0) {
        err.println("memtrace: " + loaded.skipped() + " line(s) of " + snapshots
            + " are not snapshots and were skipped");
      }
    }
    boolean stdin = "-".equals(file);
    if (!stdin && !Files.isReadable(Path.of(file))) {
      err.println("memtrace: cannot read " + file);
      return ExitCode.FAILED.code;
    }
    try (InputStream in = stdin ? System.in : Files.newInputStream(Path.of(file));
        TraceReader reader = new TraceReader(in, stdin ? null : file, null)) {
      MapsAt.write(reader, snaps, at, out);
    }
    out.flush();
    return 0;
  }
}
