package dev.memtrace.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where {@code maps} and {@code where} find the address space they print: a log or recording
 * (FILE), with the files it names under {@code --root} and snapshots from {@code --snapshots}, or a
 * running process ({@code -p PID}). A picocli mixin, so that both commands take these options with
 * the same names and help.
 */
final class SpaceSourceOptions {

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Read the files the trace names under DIR (a copy of the traced machine's"
              + " files) instead of this machine's.")
  Path root;

  @Option(
      names = {"-p", "--pid"},
      paramLabel = "PID",
      description = "A running process: its /proc/PID/maps instead of a log.")
  Integer pid;

  @Option(
      names = "--snapshots",
      paramLabel = "FILE",
      description = "/proc/PID/maps snapshots (NAME.maps.jsonl: line, pid, maps per line).")
  Path snapshots;

  /** No index: picocli places it after the command's own positional parameters (where's ADDR). */
  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "The strace log or recording ('-' for standard input).")
  String file;
}
