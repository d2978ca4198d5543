package dev.memtrace.model;

/**
 * What the stages after the model may read of it, as it stands after the event being processed: the
 * address space and the fd table a task uses. The model is their only owner; nothing here changes
 * them ({@link FdTable}'s changing methods are the model's own).
 */
public interface ModelView {

  /** The address space the task with this tid uses, or null when no event named it. */
  AddressSpaceView space(Integer pid);

  /** The fd table the task with this tid uses, or null when no event named it. */
  FdTable fds(Integer pid);

  /** The size of the System V segment with this id as the trace told it so far, or null. */
  default ShmSize shmSize(long id) {
    return null;
  }
}
