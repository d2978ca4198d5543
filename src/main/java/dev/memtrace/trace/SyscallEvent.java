package dev.memtrace.trace;

import java.util.List;

/**
 * A system call. {@code result} is null when the call never finished in the log (an unfinished half
 * with no resumed half, a {@code <detached ...>} line, or a cut-off last line). {@code dump} is the
 * data strace dumped in hex after the call ({@code -e read=}/{@code -e write=}), as lowercase hex
 * digits, two per byte, in the order printed; null when there was none.
 */
public record SyscallEvent(
    Source source,
    Prefix prefix,
    String name,
    Args args,
    Result result,
    Double duration,
    List<StackFrame> stack,
    Completion completion,
    String dump)
    implements TraceEvent {

  public SyscallEvent {
    stack = List.copyOf(stack);
  }

  /** A call without a data dump. */
  public SyscallEvent(
      Source source,
      Prefix prefix,
      String name,
      Args args,
      Result result,
      Double duration,
      List<StackFrame> stack,
      Completion completion) {
    this(source, prefix, name, args, result, duration, stack, completion, null);
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

  /**
   * The kernel ran the call and it did not fail: a result is there, it is no error and not {@code
   * ?}, and strace did not inject it ({@link Result#injected}).
   */
  public boolean succeeded() {
    return result != null && !result.failed() && !"?".equals(result.text()) && !result.injected();
  }

  public SyscallEvent withStack(List<StackFrame> frames) {
    return new SyscallEvent(source, prefix, name, args, result, duration, frames, completion, dump);
  }

  public SyscallEvent withDump(String hex) {
    return new SyscallEvent(source, prefix, name, args, result, duration, stack, completion, hex);
  }
}
