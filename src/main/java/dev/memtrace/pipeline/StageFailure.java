package dev.memtrace.pipeline;

import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;

/**
 * A stage after the parser (the model, the explain stage) threw on an event: a bug in memtrace, not
 * in the log. It names the stage and the line, and ends the run (it is never caught to go on).
 */
final class StageFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StageFailure(String stage, TraceEvent at, RuntimeException cause) {
    super(
        "the "
            + stage
            + " stage failed "
            + (at == null ? "at the end of the log" : "at line " + at.line() + where(at))
            + ": "
            + cause,
        cause);
  }

  private static String where(TraceEvent e) {
    return e instanceof SyscallEvent s ? " (" + s.name() + ")" : "";
  }
}
