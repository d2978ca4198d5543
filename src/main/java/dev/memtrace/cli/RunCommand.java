package dev.memtrace.cli;

import dev.memtrace.pipeline.AnalyzeOptions;
import dev.memtrace.pipeline.Pipeline;
import dev.memtrace.pipeline.SameFile;
import dev.memtrace.run.ExitCode;
import dev.memtrace.run.LiveRun;
import dev.memtrace.run.RunFailure;
import dev.memtrace.run.RunOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code memtrace run}: options in, a {@link RunOptions} and its prepared {@link LiveRun} out,
 * handed to {@link Pipeline#live}, the pipeline {@code analyze} uses; the exit status back.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs COMMAND under strace (or attaches to PID) and shows what happens to its memory.",
      "The timeline goes to standard error unless -o is given, so COMMAND's output stays clean."
    },
    exitCodeListHeading = "%nExit status:%n")
final class RunCommand implements Callable<Integer> {

  @Option(
      names = {"-p", "--pid"},
      paramLabel = "PID",
      description = "Attach to a running process.")
  Integer pid;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the timeline to FILE.")
  String output;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description =
          "text (default), jsonl, html (one self-contained page) or perfetto (Chrome trace-event JSON)")
  AnalyzeOptions.Format format;

  @Mixin FilterOptions shownOnly = new FilterOptions();

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      description =
          "auto (default: only when the timeline goes to a terminal, and not when "
              + "NO_COLOR is set), always, never")
  AnalyzeOptions.ColorMode color;

  @Option(
      names = "--save",
      paramLabel = "FILE",
      description = "Record the run into FILE; 'memtrace analyze FILE' replays it.")
  Path save;

  @Option(names = "--stacks", description = "Record each call's user-space stack (strace -k).")
  boolean stacks;

  @Option(
      names = "--no-snapshots",
      description = "Do not hold memory calls to read /proc/PID/maps (faster, unverified).")
  boolean noSnapshots;

  @Option(
      names = "--delay",
      paramLabel = "MICROS",
      description = "How long strace holds a task after a memory call (default: ${DEFAULT-VALUE}).")
  int delayMicros = RunOptions.DEFAULT_DELAY_MICROS;

  @Option(
      names = "--summary",
      description = "Write only the address-space summary, after the run, instead of the timeline.")
  boolean summaryOnly;

  @Option(names = "--with-summary", description = "Write the timeline, then the summary.")
  boolean withSummary;

  @Option(
      names = "-e",
      paramLabel = "EXPR",
      description = "An strace qualifier, passed on as given (e.g. -e signal=none).")
  List<String> filters = new ArrayList<>();

  @Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description = "The program and its arguments, after --.")
  List<String> command = new ArrayList<>();

  private final PrintStream out;
  private final PrintStream err;

  RunCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    String invalid = validate();
    if (invalid != null) {
      err.println("memtrace: " + invalid);
      err.println("Try 'memtrace run --help' for more information.");
      return ExitCode.FAILED.code;
    }
    RunOptions options =
        new RunOptions(command, pid, stacks, !noSnapshots, delayMicros, filters, save);
    LiveRun live;
    try {
      live = LiveRun.prepare(options, System.getenv());
    } catch (RunFailure f) {
      err.println("memtrace: " + f.getMessage());
      return f.exitStatus();
    }
    // the timeline goes where strace's would: standard error unless -o
    AnalyzeOptions shown =
        new AnalyzeOptions(
            format, output, false, color, summary(), null, "explain", List.of(), null, false);
    return new Pipeline(shown, shownOnly.toOptions(List.of()), err, err).live(live, options);
  }

  private AnalyzeOptions.Summary summary() {
    return summaryOnly
        ? AnalyzeOptions.Summary.only
        : withSummary ? AnalyzeOptions.Summary.after : AnalyzeOptions.Summary.none;
  }

  private String validate() {
    if (pid != null && !command.isEmpty()) {
      return "give either -p PID or -- COMMAND, not both";
    }
    if (pid == null && command.isEmpty()) {
      return "nothing to trace: give -- COMMAND [ARG...] or -p PID";
    }
    if (summaryOnly && withSummary) {
      return "give either --summary or --with-summary, not both";
    }
    if (output != null && output.isEmpty()) {
      return "-o needs a file name ('-' for standard error, where the timeline goes without -o)";
    }
    if (save != null && save.toString().isEmpty()) {
      return "--save needs a file name";
    }
    for (String out : new String[] {output, save == null ? null : save.toString()}) {
      // checked before the program starts, as strace checks its -o: not after it ran
      Path p = out == null || out.equals("-") ? null : Path.of(out).toAbsolutePath();
      if (p != null
          && !(Files.exists(p)
              ? Files.isWritable(p) && !Files.isDirectory(p)
              : p.getParent() != null
                  && Files.isDirectory(p.getParent())
                  && Files.isWritable(p.getParent()))) {
        return "cannot write "
            + out
            + (Files.isDirectory(p) ? ": is a directory" : ": no such directory, or not writable");
      }
    }
    if (save != null
        && output != null
        && !output.equals("-")
        && SameFile.sameOutput(save, Path.of(output))) {
      return "--save and -o name the same file (" + output + "): give each its own";
    }
    if (delayMicros < 0 || delayMicros > 10_000_000) {
      return "--delay must be between 0 and 10000000 microseconds";
    }
    return null;
  }
}
