package dev.memtrace.model;

/**
 * The identity of an address space or of a process as the model tells it with each event ({@link
 * Who}). Two handles become one when the model learns they named the same thing all along: a task
 * whose lines came before its parent's clone returned in the log was met as a stranger, with a
 * space and a process of its own; the clone shows it was a thread of its parent (or a forked
 * child), and the stranger's handles are joined to what the clone made. A stage that reads the
 * handle later, or again, gets the identity as the model knows it then.
 */
public final class Handle {

  private final int number;
  private Handle same;

  Handle(int number) {
    this.number = number;
  }

  /** The handle this one was joined to, or itself. */
  public Handle resolve() {
    Handle h = this;
    while (h.same != null) {
      h = h.same;
    }
    return h;
  }

  /**
   * A space's number (in the order the model met the spaces), or a process's id (the pid of its
   * thread-group leader; 0 when a log without pids never told it).
   */
  public int number() {
    return resolve().number;
  }

  /** From now on this handle names what {@code other} names. */
  void joinTo(Handle other) {
    Handle a = resolve();
    Handle b = other.resolve();
    if (a != b) {
      a.same = b;
    }
  }

  @Override
  public String toString() {
    return Integer.toString(number());
  }
}
