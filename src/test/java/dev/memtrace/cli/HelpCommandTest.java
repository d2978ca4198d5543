package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code memtrace help [COMMAND]}, which the usage lists. */
class HelpCommandTest {

  @Test
  void helpAloneListsTheSubcommands() {
    Cli r = Cli.run("help");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("Usage: memtrace")
        .contains("  run ", "  analyze ", "  maps ", "  help ");
  }

  @Test
  void helpWithACommandShowsThatCommandsOptions() {
    Cli r = Cli.run("help", "analyze");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("Usage: memtrace analyze")
        .contains("--with-summary", "--snapshots");
    assertThat(Cli.run("help", "run").out())
        .startsWith("Usage: memtrace run")
        .contains("--delay", "--summary");
  }

  @Test
  void aRunOfOneCommandBuildsOnlyThatCommandAndHelpBuildsThemAll() {
    CommandLine.IFactory factory = Docs.factory();
    assertThat(Main.tree(factory, "analyze").getSubcommands()).containsOnlyKeys("analyze");
    assertThat(Main.tree(factory, "where").getSubcommands()).containsOnlyKeys("where");
    assertThat(Main.tree(factory, "help").getSubcommands().keySet())
        .containsExactly("run", "analyze", "maps", "help", "where");
    assertThat(Main.tree(factory, "--version").getSubcommands()).hasSize(5);
    // the usage of the root lists every command, as the help command does
    Cli r = Cli.run("--help");
    assertThat(r.out()).contains("  run ", "  analyze ", "  maps ", "  help ", "  where ");
  }

  @Test
  void helpWithAnUnknownCommandSaysSoOnOneLine() {
    Cli r = Cli.run("help", "nosuch");
    assertThat(r.status()).isEqualTo(125);
    assertThat(r.err()).startsWith("memtrace: Unknown subcommand 'nosuch'.");
  }
}
