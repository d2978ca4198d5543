package dev.memtrace.model;

import java.util.Objects;

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

  // Written out rather than generated: the model compares regions on every memory call, and the
  // generated methods go through method handles that cost the JIT more than they run.
  @Override
  public boolean equals(Object o) {
    return o instanceof Region r
        && start == r.start
        && end == r.end
        && offset == r.offset
        && inode == r.inode
        && originLine == r.originLine
        && Objects.equals(perms, r.perms)
        && Objects.equals(path, r.path)
        && Objects.equals(dev, r.dev);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(start);
    h = 31 * h + Long.hashCode(end);
    h = 31 * h + Objects.hashCode(perms);
    h = 31 * h + Long.hashCode(offset);
    h = 31 * h + Objects.hashCode(dev);
    h = 31 * h + Long.hashCode(inode);
    h = 31 * h + Objects.hashCode(path);
    return 31 * h + originLine;
  }
}
