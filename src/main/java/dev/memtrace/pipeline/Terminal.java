package dev.memtrace.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the pipeline does differently when it writes to a terminal: colour, and a progress count.
 */
final class Terminal {

  private Terminal() {}

  /** Colour only on a terminal, unless asked; {@code NO_COLOR} (no-color.org) turns auto off. */
  static boolean colour(AnalyzeOptions options, PrintStream stdout) {
    return switch (options.color()) {
      case always -> true;
      case never -> false;
      case auto ->
          options.output() == null
              && onTerminal(stdout)
              && System.getenv("NO_COLOR") == null
              && !"dumb".equals(System.getenv("TERM"));
    };
  }

  /**
   * Where to count progress on long work: standard error when it is a terminal that the timeline
   * itself is not written to (a count between timeline lines would garble them). A live run counts
   * nothing: the traced program writes to the same terminal, and so does the timeline unless -o
   * sends it to a file.
   */
  static PrintStream progress(AnalyzeOptions options, PrintStream stdout, PrintStream err) {
    boolean timelineOnTerminal = options.output() == null && onTerminal(stdout);
    return stdout != err && onTerminal(err) && !timelineOnTerminal ? err : null;
  }

  /**
   * Whether the stream is the process's real standard output or error and that is a terminal (a
   * live run writes to standard error, which Java's {@code System.console()} does not test).
   */
  private static boolean onTerminal(PrintStream s) {
    int fd = s == System.out ? 1 : s == System.err ? 2 : -1;
    if (fd < 0) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return fd == 1 && System.console() != null;
    }
  }
}
