package dev.memtrace.trace;

import java.util.List;

/**
 * A system call. {@code result} is null when the call never finished in the log (an unfinished
 * half with no resumed half, a {@code <detached ...>} line, or a cut-off last line).
 */
public record SyscallEvent(
    Source source,
    Prefix prefix,
    String name,
    Args args,
    Result result,
    Double duration,
    List<StackFrame> stack,
    Completion completion)
    implements TraceEvent {

  public SyscallEvent {
    stack = List.copyOf(stack);
  }

  /** How the call's text reached us. */
  public enum Completion {
    /** One line, entry to exit. */
    COMPLETE,
    /** Joined from an {@code <unfinished ...>} line and its {@code <... resumed>} line. */
    JOINED,
    /** Entered but never resumed in the log (task killed, log cut, strace detached). */
    UNFINISHED
  }

  public boolean succeeded() {
    return result != null && !result.failed() && !"?".equals(result.text());
  }

  public SyscallEvent withStack(List<StackFrame> frames) {
    return new SyscallEvent(source, prefix, name, args, result, duration, frames, completion);
  }
}
