package dev.memtrace.cli;

import dev.memtrace.pipeline.Pipeline;
import dev.memtrace.run.ExitCode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code memtrace} command: annotations only. {@link #run} is the testable entry point; only
 * {@link #main} calls {@code System.exit}.
 */
@Command(
    name = "memtrace",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs a program under strace and explains, syscall by syscall, what happens to its memory.",
      "",
      "  memtrace [run] [OPTIONS] -- COMMAND [ARG...]  trace COMMAND live",
      "  memtrace run [OPTIONS] -p PID                 attach to a process",
      "  memtrace analyze [OPTIONS] [FILE...|-]        read strace logs, recordings",
      "  memtrace maps --at LINE[,LINE...] FILE        the address space at lines",
      "  memtrace maps [--at LINE] --explain FILE|-p PID  each region annotated",
      "  memtrace where ADDR [--at LINE] FILE|-p PID   the region that holds ADDR",
      "",
      "Run 'memtrace help COMMAND' (or 'memtrace COMMAND --help') for a command's options.",
      ""
    },
    exitCodeListHeading = "%nExit status:%n")
public final class Main {

  /** How a status of 128+N reads in the help of the root command and of run. */
  private static final String BY_SIGNAL = "COMMAND (or memtrace itself) was ended by signal N";

  private static final Set<String> ROOT_WORDS =
      Set.of("run", "analyze", "maps", "where", "help", "-h", "--help", "-V", "--version");

  /** The first arguments that name the one command a run needs. */
  private static final Set<String> ONE_COMMAND = Set.of("run", "analyze", "maps", "where");

  /**
   * The subcommands, in the order the root's help lists them. They are added by {@link #tree}
   * rather than named in the annotation so that a run of one command builds only that command's
   * spec: picocli's building of the whole tree was about half of the start-up CPU of a one-line
   * analyze.
   */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          RunCommand.class,
          AnalyzeCommand.class,
          MapsCommand.class,
          CommandLine.HelpCommand.class,
          WhereCommand.class);

  public static void main(String[] args) {
    int status;
    try {
      status = run(args, System.out, System.err);
    } catch (OutOfMemoryError e) {
      System.out.flush();
      System.err.println("memtrace: " + Pipeline.OUT_OF_MEMORY);
      status = ExitCode.FAILED.code;
    }
    System.exit(status);
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    String[] effective = args;
    if (args.length > 0 && !ROOT_WORDS.contains(args[0])) {
      // "memtrace -- cat x" and "memtrace -o f -- cat x" mean "memtrace run ...".
      effective = new String[args.length + 1];
      effective[0] = "run";
      System.arraycopy(args, 0, effective, 1, args.length);
    }
    CommandLine cli =
        withExitCodes(tree(new Factory(out, err), effective.length == 0 ? "" : effective[0]));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("memtrace: " + Pipeline.oneLine(ex));
          return ExitCode.FAILED.code;
        });
    cli.setParameterExceptionHandler(
        (ex, args1) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("memtrace: " + ex.getMessage());
          c.getErr().println("Try 'memtrace " + subName(c) + "--help' for more information.");
          return ExitCode.FAILED.code;
        });
    if (args.length == 0) {
      cli.usage(cli.getErr());
      return ExitCode.FAILED.code;
    }
    return cli.execute(Arrays.copyOf(effective, effective.length));
  }

  /**
   * The command tree: the root with every subcommand, or with only {@code first}'s when the
   * arguments name one (the root's help, the help command and the version need the whole tree).
   */
  static CommandLine tree(CommandLine.IFactory factory, String first) {
    CommandLine cli = new CommandLine(new Main(), factory);
    for (Class<?> cls : SUBCOMMANDS) {
      String name = cls.getAnnotation(Command.class).name();
      if (!ONE_COMMAND.contains(first) || first.equals(name)) {
        cli.addSubcommand(name, cls);
      }
    }
    return cli;
  }

  /** Each command's exit status list in its help and the man page, from {@link ExitCode}. */
  static CommandLine withExitCodes(CommandLine cli) {
    Map<String, String> root = ExitCode.describe(ExitCode.values());
    root.put(
        Integer.toString(ExitCode.OK.code), ExitCode.OK.meaning + " (run: COMMAND's own status)");
    root.put(ExitCode.SIGNAL_BASE + "+N", BY_SIGNAL);
    cli.getCommandSpec().usageMessage().exitCodeList(root);
    Map<String, String> run = new LinkedHashMap<>();
    run.put("N", "COMMAND's own status");
    run.put(ExitCode.SIGNAL_BASE + "+N", BY_SIGNAL);
    run.putAll(ExitCode.describe(ExitCode.FAILED, ExitCode.NOT_EXECUTABLE, ExitCode.NOT_FOUND));
    exitCodes(cli, "run", run);
    exitCodes(
        cli,
        "analyze",
        ExitCode.describe(ExitCode.OK, ExitCode.WRITE_ERROR, ExitCode.UNPARSED, ExitCode.FAILED));
    exitCodes(cli, "maps", ExitCode.describe(ExitCode.OK, ExitCode.WRITE_ERROR, ExitCode.FAILED));
    return cli;
  }

  private static void exitCodes(CommandLine cli, String name, Map<String, String> codes) {
    CommandLine sub = cli.getSubcommands().get(name);
    if (sub != null) {
      sub.getCommandSpec().usageMessage().exitCodeList(codes);
    }
  }

  /** Hands the commands that write bytes the caller's streams (no static state). */
  private record Factory(PrintStream out, PrintStream err) implements CommandLine.IFactory {
    @Override
    @SuppressWarnings("unchecked")
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == AnalyzeCommand.class) {
        return (K) new AnalyzeCommand(out, err);
      }
      if (cls == RunCommand.class) {
        return (K) new RunCommand(out, err);
      }
      if (cls == MapsCommand.class) {
        return (K) new MapsCommand(out, err);
      }
      if (cls == WhereCommand.class) {
        return (K) new WhereCommand(out, err);
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  private static String subName(CommandLine c) {
    return c.getParent() == null ? "" : c.getCommandName() + " ";
  }
}
