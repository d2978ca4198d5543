package dev.memtrace.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * memtrace's exit statuses, the one place they are defined; the help, the man page and the README
 * ("Exit status") say the same. {@code run} otherwise exits with the traced program's own status,
 * and a program or memtrace ended by signal N gives {@link #killedBy 128+N}, as a shell reports it.
 */
public enum ExitCode {
  OK(0, "done"),
  WRITE_ERROR(1, "analyze, maps, where: the output could not be written (write error)"),
  UNPARSED(3, "analyze --strict: some lines could not be parsed"),
  FAILED(
      125,
      "memtrace itself failed (bad options, an output that cannot be created or is also an"
          + " input, strace missing, ptrace refused; run: its output could not be written)"),
  NOT_EXECUTABLE(126, "COMMAND could not be executed"),
  NOT_FOUND(127, "COMMAND was not found");

  /** What {@link #killedBy} adds to the signal number. */
  public static final int SIGNAL_BASE = 128;

  public final int code;
  public final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The status of a process ended by signal {@code signal} (SIGTERM: 143). */
  public static int killedBy(int signal) {
    return SIGNAL_BASE + signal;
  }

  /** The given codes as picocli's exit code list: {@code "125" -> "memtrace itself failed ..."}. */
  public static Map<String, String> describe(ExitCode... codes) {
    Map<String, String> m = new LinkedHashMap<>();
    for (ExitCode c : codes) {
      m.put(Integer.toString(c.code), c.meaning);
    }
    return m;
  }
}
