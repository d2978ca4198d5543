package dev.memtrace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the run command is wired (see the issue that builds it). */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Not built yet.")
final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("memtrace: 'run' is not built yet");
    return Main.EXIT_USAGE;
  }
}
