package dev.memtrace.cli;

import dev.memtrace.correlate.MapsAt;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.pipeline.CheckedOutput;
import dev.memtrace.pipeline.Pipeline;
import dev.memtrace.render.MapsExplainPrinter;
import dev.memtrace.run.ExitCode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code memtrace maps [--at LINE[,LINE...]] [--explain] [--root DIR] FILE|-p PID}: wiring only,
 * see {@link MapsAt} and {@link MapsExplainPrinter}.
 */
@Command(
    name = "maps",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the address space the model holds after each given line of an strace log or a"
          + " 'run --save' recording, in /proc/PID/maps format, under a header"
          + " '# line LINE pid PID'.",
      "What the kernel mapped at execve (the program, ld.so) is laid out from the ELF headers of"
          + " the files the trace names, read on this machine or under --root.",
      "With --explain each region is annotated: its class, the ELF sections it holds, the call"
          + " that made or last changed it, its size; a legend of the columns comes first.",
      "",
      "  memtrace maps --at 40 trace.log",
      "  memtrace maps --explain trace.log          (after the log's last memory call)",
      "  memtrace maps --explain -p PID             (a running process)",
      ""
    },
    exitCodeListHeading = "%nExit status:%n")
final class MapsCommand implements Callable<Integer> {

  @Option(
      names = "--at",
      split = ",",
      paramLabel = "LINE",
      description =
          "Line numbers of FILE (1-based), comma-separated. Required without --explain;"
              + " with it the default is the line of the log's last memory call.")
  List<Integer> at;

  @Option(names = "--explain", description = "Annotate each region and explain the columns.")
  boolean explain;

  @Mixin SpaceSourceOptions source;

  private final PrintStream stdout;
  private final PrintWriter err;

  MapsCommand(PrintStream stdout, PrintStream err) {
    this.stdout = stdout;
    this.err = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
  }

  @Override
  public Integer call() throws IOException {
    return CheckedOutput.print(stdout, err, this::run);
  }

  private int run(PrintWriter out) throws IOException {
    if ((source.file == null) == (source.pid == null)) {
      err.println("memtrace: maps takes a FILE or -p PID (one of them)");
      return ExitCode.FAILED.code;
    }
    if (source.root != null && !Files.isDirectory(source.root)) {
      err.println("memtrace: --root " + source.root + " is not a directory");
      return ExitCode.FAILED.code;
    }
    ElfFiles files = source.root == null ? ElfFiles.local() : ElfFiles.under(source.root);
    if (source.pid != null) {
      return process(out, files);
    }
    if (at == null && !explain) {
      err.println("memtrace: maps needs --at LINE (or --explain)");
      return ExitCode.FAILED.code;
    }
    if (at != null && at.stream().anyMatch(l -> l < 1)) {
      err.println("memtrace: --at takes line numbers from 1");
      return ExitCode.FAILED.code;
    }
    MapsAt.Printer printer =
        explain ? new MapsExplainPrinter(out, files) : a -> MapsAt.print(out, a);
    return Pipeline.spacesAt(source.file, source.snapshots, at, files, err, printer);
  }

  private int process(PrintWriter out, ElfFiles files) throws IOException {
    if (at != null) {
      err.println("memtrace: --at is for a log; -p PID reads the process as it is now");
      return ExitCode.FAILED.code;
    }
    String text = Pipeline.processMaps(source.pid, err);
    if (text == null) {
      return ExitCode.FAILED.code;
    }
    if (explain) {
      new MapsExplainPrinter(out, files).printProcess(source.pid, MapsFormat.parse(text));
    } else {
      out.print(text);
    }
    return ExitCode.OK.code;
  }
}
