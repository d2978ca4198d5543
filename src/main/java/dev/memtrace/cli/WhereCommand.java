package dev.memtrace.cli;

import dev.memtrace.elf.ElfFiles;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.pipeline.CheckedOutput;
import dev.memtrace.pipeline.Pipeline;
import dev.memtrace.render.MapsExplainText;
import dev.memtrace.render.WherePrinter;
import dev.memtrace.run.ExitCode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code memtrace where ADDR [--at LINE] [--root DIR] FILE|-p PID}: wiring only, see {@link
 * WherePrinter}.
 */
@Command(
    name = "where",
    mixinStandardHelpOptions = true,
    description = {
      "Says which region of the address space holds ADDR after a line of an strace log or a"
          + " 'run --save' recording (or now, in a running process): its class, the ELF section"
          + " and symbol at the address when the file has them, and the call that made the"
          + " region; when no region holds it, how far it is from the nearest ones.",
      "",
      "  memtrace where 0x55d4c0a1b2c0 trace.log",
      "  memtrace where 0x7ffd2c3a1e40 -p PID",
      ""
    })
final class WhereCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "ADDR",
      description = "The address: hex with 0x (0x7f3a...), or hex digits as maps prints them.")
  String address;

  @Option(
      names = "--at",
      paramLabel = "LINE",
      description = "After this line of FILE (default: the log's last memory call).")
  Integer at;

  @Mixin SpaceSourceOptions source;

  private final PrintStream stdout;
  private final PrintStream stderr;

  WhereCommand(PrintStream stdout, PrintStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    return CheckedOutput.print(stdout, err, out -> run(out, err));
  }

  private int run(PrintWriter out, PrintWriter err) throws IOException {
    Long addr = parse(address);
    if (addr == null) {
      err.println(
          "memtrace: '"
              + MapsExplainText.escape(address)
              + "' is not an address"
              + " (write it in hex, e.g. 0x7ffc1a2b3c40)");
      return ExitCode.FAILED.code;
    }
    if ((source.file == null) == (source.pid == null)) {
      err.println("memtrace: where takes a FILE or -p PID (one of them)");
      return ExitCode.FAILED.code;
    }
    if (source.root != null && !Files.isDirectory(source.root)) {
      err.println("memtrace: --root " + source.root + " is not a directory");
      return ExitCode.FAILED.code;
    }
    if (at != null && (at < 1 || source.pid != null)) {
      err.println(
          source.pid != null
              ? "memtrace: --at is for a log; -p PID reads the process as it is now"
              : "memtrace: --at takes line numbers from 1");
      return ExitCode.FAILED.code;
    }
    ElfFiles files = source.root == null ? ElfFiles.local() : ElfFiles.under(source.root);
    if (source.pid != null) {
      String text = Pipeline.processMaps(source.pid, err);
      if (text == null) {
        return ExitCode.FAILED.code;
      }
      new WherePrinter(out, addr, files).printProcess(source.pid, MapsFormat.parse(text));
      out.flush();
      return 0;
    }
    int status =
        Pipeline.spacesAt(
            source.file,
            source.snapshots,
            at == null ? null : List.of(at),
            files,
            err,
            new WherePrinter(out, addr, files));
    out.flush();
    return status;
  }

  static Long parse(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    if (t.isEmpty() || t.length() > 16 || !t.matches("[0-9a-f]+")) {
      return null;
    }
    return Long.parseUnsignedLong(t, 16);
  }
}
