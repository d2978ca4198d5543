package dev.memtrace.cli;

import dev.memtrace.pipeline.AnalyzeOptions;
import dev.memtrace.pipeline.Pipeline;
import dev.memtrace.run.ExitCode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code memtrace analyze}: read saved strace logs (or stdin) and write the timeline. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description =
        "Reads saved strace logs (made with any common flags; -ff sets are merged into one "
            + "timeline) and writes the annotated timeline. Reads standard input when no FILE "
            + "or '-' is given.",
    exitCodeListHeading = "%nExit status:%n")
final class AnalyzeCommand implements Callable<Integer> {

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (default), jsonl, html (one self-contained page) or perfetto (Chrome trace-event JSON)")
  AnalyzeOptions.Format format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "write here instead of standard output")
  String output;

  @Option(names = "--strict", description = "exit with status 3 if any line could not be parsed")
  boolean strict;

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description =
          "auto (default: only on a terminal, and not when NO_COLOR is set), always, never")
  AnalyzeOptions.ColorMode color;

  @Mixin FilterOptions.PidFilter pidFilter = new FilterOptions.PidFilter();

  @Mixin FilterOptions filters = new FilterOptions();

  @Option(
      names = "--summary",
      description =
          "write only the address-space summary (sizes per region class and object "
              + "at the end and at the peak, calls, errors, unexplained events) instead of the timeline")
  boolean summaryOnly;

  @Option(
      names = "--snapshots",
      paramLabel = "FILE",
      description =
          "/proc/PID/maps snapshots (NAME.maps.jsonl) to check the model against; "
              + "they also name the regions the kernel made ([stack], [vdso], the executable)")
  Path snapshots;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "read the programs the log runs under DIR (a copy of the traced machine's files) "
              + "instead of this machine's, to lay out what execve mapped")
  Path root;

  @Option(
      names = "--no-elf",
      description =
          "read no program's ELF headers: show only what the trace's calls (and snapshots) show")
  boolean noElf;

  @Option(names = "--with-summary", description = "write the timeline, then the summary")
  boolean withSummary;

  @Option(
      names = "--stages",
      hidden = true,
      defaultValue = "explain",
      description = "benchmarks: 'parse' (no model), 'model' (no explanations), 'explain' (all)")
  String stages;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description = "strace logs; a -ff set as PREFIX.* (or PREFIX alone); '-' for standard input")
  List<String> files = new ArrayList<>();

  private final PrintStream out;
  private final PrintStream err;

  AnalyzeCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    if (output != null && output.isEmpty()) {
      err.println("memtrace: -o needs a file name ('-' for standard output)");
      err.println("Try 'memtrace analyze --help' for more information.");
      return ExitCode.FAILED.code;
    }
    AnalyzeOptions options =
        new AnalyzeOptions(
            format,
            output,
            strict,
            color,
            summaryOnly
                ? AnalyzeOptions.Summary.only
                : withSummary ? AnalyzeOptions.Summary.after : AnalyzeOptions.Summary.none,
            snapshots,
            stages,
            files,
            root,
            noElf);
    return new Pipeline(options, filters.toOptions(pidFilter.pids), out, err).run();
  }
}
