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

  /**
   * What the trace tells of the file fds know by this path: that an open left it empty and nothing
   * has written to it since; null when it does not tell that.
   */
  default EmptyFile emptyFile(String path) {
    return null;
  }
}
