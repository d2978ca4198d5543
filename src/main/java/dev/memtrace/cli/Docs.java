package dev.memtrace.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes what ships beside the jar, generated from the same picocli model the CLI runs on so it
 * never drifts: the bash completion script ({@code memtrace_completion}, picocli's {@link
 * AutoComplete}) and the man page ({@code memtrace.1}, troff: one page with a section per
 * subcommand). The build runs it at prepare-package: {@code java dev.memtrace.cli.Docs DIR...}.
 */
public final class Docs {

  public static void main(String[] args) throws IOException {
    for (String dir : args) {
      write(Path.of(dir));
    }
  }

  public static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    CommandLine cli = commandLine();
    Files.writeString(
        dir.resolve("memtrace_completion"),
        AutoComplete.bash("memtrace", cli),
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("memtrace.1"), manPage(cli), StandardCharsets.UTF_8);
  }

  /**
   * The command tree as {@link Main#run} builds it; commands that take streams get stdout/stderr.
   */
  static CommandLine commandLine() {
    return Main.withExitCodes(Main.tree(factory(), ""));
  }

  /** Makes the commands, those that take streams with stdout and stderr. */
  static CommandLine.IFactory factory() {
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        try {
          Constructor<K> c = cls.getDeclaredConstructor(PrintStream.class, PrintStream.class);
          c.setAccessible(true);
          return c.newInstance(System.out, System.err);
        } catch (NoSuchMethodException e) {
          return CommandLine.defaultFactory().create(cls);
        }
      }
    };
  }

  static String manPage(CommandLine cli) {
    StringBuilder b = new StringBuilder();
    CommandSpec root = cli.getCommandSpec();
    b.append(".TH MEMTRACE 1 \"\" \"")
        .append(roff(String.join(" ", root.version())))
        .append("\" \"User Commands\"\n");
    b.append(".SH NAME\nmemtrace \\- ")
        .append(roff(root.usageMessage().description()[0]))
        .append('\n');
    b.append(".SH SYNOPSIS\n");
    for (String line :
        List.of(
            "memtrace [run] [OPTIONS] -- COMMAND [ARG...]", "memtrace run [OPTIONS] -p PID",
            "memtrace analyze [OPTIONS] [FILE...|-]", "memtrace maps --at LINE[,LINE...] FILE")) {
      b.append(".B ").append(roff(line)).append("\n.br\n");
    }
    b.append(".SH DESCRIPTION\n");
    for (String line : root.usageMessage().description()) {
      if (!line.isBlank() && !line.startsWith("  memtrace")) {
        b.append(roff(line)).append('\n');
      }
    }
    options(b, root);
    for (CommandLine sub : cli.getSubcommands().values().stream().distinct().toList()) {
      CommandSpec s = sub.getCommandSpec();
      if (s.name().equals("help")) {
        continue;
      }
      b.append(".SH \"MEMTRACE ").append(s.name().toUpperCase()).append("\"\n");
      b.append(roff(String.join(" ", s.usageMessage().description()))).append('\n');
      for (PositionalParamSpec p : s.positionalParameters()) {
        b.append(".TP\n.I ")
            .append(roff(p.paramLabel()))
            .append('\n')
            .append(roff(String.join(" ", p.description())))
            .append('\n');
      }
      options(b, s);
    }
    b.append(".SH \"EXIT STATUS\"\n");
    root.usageMessage()
        .exitCodeList()
        .forEach(
            (code, text) ->
                b.append(".TP\n.B ")
                    .append(roff(code.trim()))
                    .append('\n')
                    .append(roff(text))
                    .append('\n'));
    b.append(
        ".SH FILES\n.TP\n.I memtrace_completion\nbash completion: source it, or copy it to /etc/bash_completion.d/memtrace\n");
    b.append(".SH \"SEE ALSO\"\n.BR strace (1),\n.BR proc (5)\n");
    return b.toString();
  }

  private static void options(StringBuilder b, CommandSpec s) {
    for (OptionSpec o : s.options()) {
      if (o.hidden()) {
        continue;
      }
      String names = o.names().length == 0 ? "" : String.join(", ", o.names());
      String label = o.typeInfo().isBoolean() ? "" : " " + o.paramLabel();
      b.append(".TP\n\\fB")
          .append(roff(names))
          .append("\\fR")
          .append(label.isEmpty() ? "" : " \\fI" + roff(label.trim()) + "\\fR")
          .append('\n');
      b.append(
              roff(
                  String.join(" ", o.description())
                      .replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()))))
          .append('\n');
    }
  }

  /** Text safe in troff: backslashes and hyphens escaped, no line starting with a dot or quote. */
  static String roff(String s) {
    String t = s.replace("\\", "\\e").replace("-", "\\-");
    return t.lines()
        .map(l -> l.startsWith(".") || l.startsWith("'") ? "\\&" + l : l)
        .collect(Collectors.joining("\n"));
  }

  private Docs() {}
}
