package dev.memtrace.cli;

import dev.memtrace.run.LiveRun;
import dev.memtrace.run.RecordingHeader;
import dev.memtrace.run.RecordingWriter;
import dev.memtrace.run.RunFailure;
import dev.memtrace.run.RunOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memtrace run}: options in, a {@link RunOptions} out, then the live run wired to output. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs COMMAND under strace (or attaches to PID) and shows what happens to its memory.",
      "The timeline goes to standard error unless -o is given, so COMMAND's output stays clean."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "N:COMMAND's own status (128+N when it was killed by signal N)",
      "125:memtrace itself failed (bad options, strace missing, ptrace refused)",
      "126:COMMAND could not be executed",
      "127:COMMAND was not found"
    })
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-p", "--pid"}, paramLabel = "PID", description = "Attach to a running process.")
  Integer pid;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the timeline to FILE.")
  Path output;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text or jsonl (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--save", paramLabel = "FILE", description = "Record the run into FILE for 'memtrace analyze'.")
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
      description = "How long strace holds a task after a memory call (default: ${DEFAULT-VALUE} µs).")
  int delayMicros = RunOptions.DEFAULT_DELAY_MICROS;

  @Option(names = "-e", paramLabel = "EXPR", description = "An strace qualifier, passed as is (e.g. trace=%%memory).")
  List<String> filters = new ArrayList<>();

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The program and its arguments, after --.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    String invalid = validate();
    if (invalid != null) {
      err.println("memtrace: " + invalid);
      err.println("Try 'memtrace run --help' for more information.");
      return RunFailure.MEMTRACE_FAILED;
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
    try (live;
        OutputStream file = output == null ? null : Files.newOutputStream(output);
        RecordingWriter recording = save == null ? null : new RecordingWriter(save, header(live, options))) {
      PrintWriter timelineOut =
          file == null ? err : new PrintWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8));
      LiveTimeline timeline = LiveTimeline.create(format, timelineOut);
      LiveRun.Outcome outcome =
          live.run(
              item -> {
                if (recording != null) {
                  recording.item(item);
                }
                timeline.accept(item);
              });
      timeline.finish();
      timelineOut.flush();
      if (recording != null) {
        recording.end(outcome.exitStatus(), outcome.interrupted(), outcome.lines(), outcome.snapshots());
      }
      if (outcome.failure() != null) {
        err.println("memtrace: " + outcome.failure().getMessage());
      } else if (outcome.warning() != null) {
        err.println("memtrace: " + outcome.warning());
      }
      return outcome.exitStatus();
    }
  }

  private String validate() {
    if (pid != null && !command.isEmpty()) {
      return "give either -p PID or -- COMMAND, not both";
    }
    if (pid == null && command.isEmpty()) {
      return "nothing to trace: give -- COMMAND [ARG...] or -p PID";
    }
    if (!LiveTimeline.FORMATS.contains(format)) {
      return "unknown --format '" + format + "' (run knows " + String.join(", ", LiveTimeline.FORMATS) + ")";
    }
    if (delayMicros < 0 || delayMicros > 10_000_000) {
      return "--delay must be between 0 and 10000000 µs";
    }
    return null;
  }

  private static RecordingHeader header(LiveRun live, RunOptions o) {
    return new RecordingHeader(
        RecordingHeader.VERSION,
        o.command(),
        o.attachPid(),
        live.straceArgv(),
        live.versions(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        o.snapshots(),
        o.delayMicros());
  }
}
