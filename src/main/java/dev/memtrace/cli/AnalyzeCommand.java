package dev.memtrace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the analyze command is wired (see the issue that builds it). */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Not built yet.")
final class AnalyzeCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("memtrace: 'analyze' is not built yet");
    return Main.EXIT_USAGE;
  }
}
