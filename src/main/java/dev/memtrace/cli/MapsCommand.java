package dev.memtrace.cli;

import dev.memtrace.correlate.MapsAt;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.correlate.SnapshotFile;
import dev.memtrace.run.ExitCode;
import dev.memtrace.trace.TraceReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

  @Option(names = "--at", required = true, split = ",", paramLabel = "LINE",
      description = "Line numbers of FILE (1-based), comma-separated.")
  List<Integer> at;

  @Option(names = "--snapshots", paramLabel = "FILE",
      description = "/proc/PID/maps snapshots (NAME.maps.jsonl: line, pid, maps per line).")
  Path snapshots;

  @Parameters(index = "0", paramLabel = "FILE", description = "The strace log ('-' for standard input).")
  String file;

  private final PrintStream stdout;
  private final PrintStream err;

  MapsCommand(PrintStream stdout, PrintStream err) {
    this.stdout = stdout;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException {
    CheckedOutput target = CheckedOutput.of(stdout);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(new BufferedOutputStream(target, 1 << 16)));
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
    } finally {
      out.close(); // PrintWriter keeps only a flag when a write fails; the target keeps the error
    }
    if (target.failed() && !target.readerGone()) {
      err.println("memtrace: write error: " + target.reason());
      return ExitCode.WRITE_ERROR.code;
    }
    return ExitCode.OK.code;
  }
}
