package dev.memtrace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the maps command is wired (see the issue that builds it). */
@Command(name = "maps", mixinStandardHelpOptions = true, description = "Not built yet.")
final class MapsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("memtrace: 'maps' is not built yet");
    return Main.EXIT_USAGE;
  }
}
