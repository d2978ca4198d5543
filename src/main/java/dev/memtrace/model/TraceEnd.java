package dev.memtrace.model;

import dev.memtrace.trace.SyscallEvent;

/**
 * An execve the log never shows returning: where the trace of its task ends. {@code strace -b
 * execve} detaches from a task as it enters execve (strace's syscall entry path calls detach, then
 * droptcb writes {@code <detached ...>} when the task's line is still open). Under {@code -f} with
 * one output file another task's line may have closed it first: the line then ends {@code
 * <unfinished ...>} and never resumes, as it would in a log cut short. The sentence says which: a
 * {@code <detached ...>} line shows it, an execve left unfinished only fits it.
 *
 * @param pid the task's pid, or null in a log without pids
 * @param line the execve's line
 * @param detached whether the line ends {@code <detached ...>}
 */
public record TraceEnd(Integer pid, int line, boolean detached) {

  /** The trace's end at {@code e}, or null when {@code e} is not an execve that never returned. */
  public static TraceEnd of(SyscallEvent e) {
    if (!e.neverReturned() || !(e.name().equals("execve") || e.name().equals("execveat"))) {
      return null;
    }
    return new TraceEnd(
        e.pid(), e.source().line(), e.completion() == SyscallEvent.Completion.DETACHED);
  }

  /** What the log shows of this end, and what it leaves unknown. */
  public String sentence() {
    String task = pid == null ? "the task" : "pid " + pid;
    String after =
        ": whether the execve succeeded, and everything "
            + task
            + " mapped after this line, are not in the log";
    return detached
        ? "strace detached from "
            + task
            + " during this execve (the <detached ...> ending; strace -b execve lets go of a task"
            + " as it enters execve), so the trace of "
            + task
            + " ends here"
            + after
        : "this execve never returned in the log: it fits strace -b execve, which lets go of "
            + task
            + " as it enters execve (under -f the line then ends <unfinished ...> when another"
            + " task's line came between), or a log cut short"
            + after;
  }
}
