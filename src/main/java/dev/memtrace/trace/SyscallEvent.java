package dev.memtrace.trace;

import java.util.List;

/**
 * A system call. {@code result} is null when the call never finished in the log (an unfinished half
 * with no resumed half, a {@code <detached ...>} line, or a cut-off last line). {@code dump} is the
 * data strace dumped in hex after the call ({@code -e read=}/{@code -e write=}), as lowercase hex
 * digits, two per byte, in the order printed; null when there was none.
 *
 * <p>{@code clonesInFlight} are the clone, clone3, fork and vfork calls that other tasks had
 * entered and not yet returned from in the log when this call was released, as their entry halves
 * (unfinished, no result): under {@code strace -f} a child's first lines can come before its
 * parent's {@code <... clone resumed> = PID}. Empty when there were none; the model decides whether
 * the call's task is one of their children.
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
    String dump,
    List<SyscallEvent> clonesInFlight)
    implements TraceEvent {

  public SyscallEvent {
    stack = List.copyOf(stack);
    clonesInFlight = List.copyOf(clonesInFlight);
  }

  /** A call with no clone of another task in flight. */
  public SyscallEvent(
      Source source,
      Prefix prefix,
      String name,
      Args args,
      Result result,
      Double duration,
      List<StackFrame> stack,
      Completion completion,
      String dump) {
    this(source, prefix, name, args, result, duration, stack, completion, dump, List.of());
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
    UNFINISHED,
    /**
     * Entered, then strace let go of the task: a {@code NAME(ARGS <detached ...>} line (strace's
     * droptcb writes it when the task's line was still open; {@code -b execve} detaches as execve
     * is entered).
     */
    DETACHED
  }

  /** The call never returned in the log: unfinished, detached or cut off. */
  public boolean neverReturned() {
    return completion == Completion.UNFINISHED || completion == Completion.DETACHED;
  }

  /**
   * The kernel ran the call and it did not fail: a result is there, it is no error and not {@code
   * ?}, and strace did not inject it ({@link Result#injected}).
   */
  public boolean succeeded() {
    return result != null && !result.failed() && !"?".equals(result.text()) && !result.injected();
  }

  public SyscallEvent withStack(List<StackFrame> frames) {
    return new SyscallEvent(
        source, prefix, name, args, result, duration, frames, completion, dump, clonesInFlight);
  }

  public SyscallEvent withDump(String hex) {
    return new SyscallEvent(
        source, prefix, name, args, result, duration, stack, completion, hex, clonesInFlight);
  }

  public SyscallEvent withClonesInFlight(List<SyscallEvent> clones) {
    return new SyscallEvent(
        source, prefix, name, args, result, duration, stack, completion, dump, clones);
  }
}
