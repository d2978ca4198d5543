package dev.memtrace.model;

/**
 * One traced task (a thread; the leader's tid is the process id). Tasks of one process share their
 * address space and usually their fd table; tid and tgid are kept apart so that a thread's call
 * lands in its process's memory. seen says whether the model watched the task begin (a clone, fork
 * or execve in the trace); a task met first in the middle of its life knows nothing of its earlier
 * memory. execed says the task ran an execve: a child that did so before its parent's clone
 * returned in the log has an address space of its own, not the parent's.
 */
final class Task {

  int tid;
  int tgid;
  AddressSpace mm;
  FdTable fds;
  String cwd;
  boolean seen;
  boolean execed;
  boolean warned;

  /**
   * The task was made a clone's child at its first line, before that clone returned in the log
   * ({@link ProcessCalls#adopt}); cleared when the clone returns.
   */
  boolean adopted;

  /**
   * The other key the task is known by (-1: none): the tid a log without pids later named it by
   * ({@link MemoryModel#alias}), or 0 when the lines without pid turned out to be this task's.
   */
  int alias = -1;

  /** The process the task belongs to, as events tell it ({@link Who}). */
  Handle process;

  /** What the task's events say of it, while its process, space and start stay the same. */
  Who who;

  Task(int tid, int tgid, AddressSpace mm, FdTable fds, String cwd, boolean seen) {
    this.tid = tid;
    this.tgid = tgid;
    this.mm = mm;
    this.fds = fds;
    this.cwd = cwd;
    this.seen = seen;
  }
}
