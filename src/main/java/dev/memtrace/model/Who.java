package dev.memtrace.model;

/**
 * Who an event belongs to, as the model knows it once the event is applied: the task (the tid
 * strace printed; 0 in a log without pids), its process and the address space the call ran in.
 * {@code started} says the model saw the task begin (a clone, fork or execve in the trace, or a
 * snapshot): a task met first in the middle of its life may yet turn out to be a thread or a child
 * whose clone has not returned in the log. {@code made} is what the call made (a thread, a process,
 * a vfork child, or a fresh space by execve), or null. {@code spaceEnded} is set on the exit of the
 * last task that used the space, and on an execve that leaves the space it ran in with no task.
 * {@code copiedFrom} is set on the first event of a task the model made the child of a fork whose
 * return the log had not shown yet: the space its own is a copy of (null else).
 */
public record Who(
    int task,
    Handle process,
    Handle space,
    boolean started,
    Made made,
    boolean spaceEnded,
    Handle copiedFrom) {

  /** What a clone, fork, vfork or execve made. */
  public enum Kind {
    /** CLONE_THREAD: a thread of the caller's process, in the caller's space. */
    THREAD,
    /**
     * CLONE_VM without CLONE_THREAD (vfork, posix_spawn's clone): a process in the caller's space
     * until it execs.
     */
    VFORK,
    /** Neither: a process with a copy of the caller's space (fork). */
    PROCESS,
    /** execve: the caller's process in a fresh space. */
    EXEC
  }

  /** The task a call made (for execve, the caller), its process and its address space. */
  public record Made(Kind kind, int task, Handle process, Handle space) {

    /** The new task shares the caller's address space. */
    public boolean sharesSpace() {
      return kind == Kind.THREAD || kind == Kind.VFORK;
    }
  }

  Who with(Made m) {
    return new Who(task, process, space, started, m, spaceEnded, copiedFrom);
  }

  Who ended() {
    return new Who(task, process, space, started, made, true, copiedFrom);
  }

  Who copiedFrom(Handle from) {
    return new Who(task, process, space, started, made, spaceEnded, from);
  }
}
