package dev.memtrace.run;

/**
 * memtrace could not trace what it was asked to: strace missing, ptrace refused, a command that
 * does not exist or cannot be executed, a pid that is gone. Carries the exit status that failure
 * gives ({@link ExitCode#FAILED}, {@link ExitCode#NOT_EXECUTABLE} or {@link ExitCode#NOT_FOUND})
 * and a message that fits on one line.
 */
public final class RunFailure extends Exception {

  private final ExitCode exitCode;

  public RunFailure(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitStatus() {
    return exitCode.code;
  }
}
