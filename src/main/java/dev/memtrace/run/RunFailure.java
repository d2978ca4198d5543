package dev.memtrace.run;

/**
 * memtrace could not trace what it was asked to: strace missing, ptrace refused, a command that
 * does not exist or cannot be executed, a pid that is gone. Carries the exit status DESIGN.md
 * gives that failure (125, 126 or 127) and a message that fits on one line.
 */
public final class RunFailure extends Exception {

  public static final int MEMTRACE_FAILED = 125;
  public static final int NOT_EXECUTABLE = 126;
  public static final int NOT_FOUND = 127;

  private final int exitStatus;

  public RunFailure(int exitStatus, String message) {
    super(message);
    this.exitStatus = exitStatus;
  }

  public int exitStatus() {
    return exitStatus;
  }
}
