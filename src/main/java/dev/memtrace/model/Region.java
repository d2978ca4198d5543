package dev.memtrace.model;

/**
 * One virtual memory area, as a line of {@code /proc/PID/maps} shows it: [start, end), the
 * permissions ({@code "rw-p"}), the file offset, device and inode, and the path ({@code ""} for
 * anonymous memory, {@code "[heap]"}, {@code "[stack]"}, a file path). originLine is the log
 * line of the event that created it, 0 when it came from the kernel at execve or from a snapshot.
 */
public record Region(
    long start, long end, String perms, long offset, String dev, long inode, String path,
    int originLine) {

  public long size() {
    return end - start;
  }

  public boolean contains(long address) {
    return address >= start && address < end;
  }

  public boolean isAnonymous() {
    return path.isEmpty();
  }
}
