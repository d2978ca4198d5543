package dev.memtrace.model;

import java.util.Objects;

/**
 * One virtual memory area, as a line of {@code /proc/PID/maps} shows it: [start, end), the
 * permissions ({@code "rw-p"}), the file offset, device and inode, and the path ({@code ""} for
 * anonymous memory, {@code "[heap]"}, {@code "[stack]"}, a file path). originLine is the log line
 * of the event that created it (the execve for what the kernel mapped then), 0 when it came from a
 * snapshot or is unknown. learnt says where the model learnt the region: from the trace's calls,
 * from the ELF headers of the file the execve named, or from a maps snapshot. [madeFrom, madeTo) is
 * the part of it the call on originLine made ({@link #madeWhole}, {@link #madePart}): the whole
 * region, unless the kernel joined to it memory that other calls made (adjacent mappings of the
 * same kind, which it keeps as one area; brk growing [heap]); empty when that call's part is gone.
 * It is left out of equals: it is not what /proc/PID/maps shows. segmentProt is, for a region laid
 * out from ELF headers, the protection of the PT_LOAD it came from (PROT_READ 1, PROT_WRITE 2,
 * PROT_EXEC 4), which an mprotect since does not change; -1 for any other region. It too is left
 * out of equals.
 */
public record Region(
    long start,
    long end,
    String perms,
    long offset,
    String dev,
    long inode,
    String path,
    int originLine,
    Learnt learnt,
    long madeFrom,
    long madeTo,
    int segmentProt) {

  /** Where the model learnt a region. */
  public enum Learnt {
    TRACE("trace"),
    ELF_HEADER("ELF header"),
    SNAPSHOT("snapshot");

    private final String words;

    Learnt(String words) {
      this.words = words;
    }

    /** How output names it: "trace", "ELF header", "snapshot". */
    public String words() {
      return words;
    }
  }

  /** A region not laid out from ELF headers, or one whose segment is not known. */
  public Region(
      long start,
      long end,
      String perms,
      long offset,
      String dev,
      long inode,
      String path,
      int originLine,
      Learnt learnt,
      long madeFrom,
      long madeTo) {
    this(start, end, perms, offset, dev, inode, path, originLine, learnt, madeFrom, madeTo, -1);
  }

  /** A region made whole by one call, or laid out from ELF headers, or shown by a snapshot. */
  public Region(
      long start,
      long end,
      String perms,
      long offset,
      String dev,
      long inode,
      String path,
      int originLine,
      Learnt learnt) {
    this(start, end, perms, offset, dev, inode, path, originLine, learnt, start, end);
  }

  /** A region the trace's calls made (or, with originLine 0, one a snapshot showed). */
  public Region(
      long start,
      long end,
      String perms,
      long offset,
      String dev,
      long inode,
      String path,
      int originLine) {
    this(
        start,
        end,
        perms,
        offset,
        dev,
        inode,
        path,
        originLine,
        originLine == 0 ? Learnt.SNAPSHOT : Learnt.TRACE);
  }

  public long size() {
    return end - start;
  }

  public boolean contains(long address) {
    return address >= start && address < end;
  }

  /** How many of its bytes the call on originLine made. */
  public long madeBytes() {
    return Math.max(0, Math.min(madeTo, end) - Math.max(madeFrom, start));
  }

  /** Whether the call on originLine made all of it. */
  public boolean madeWhole() {
    return madeBytes() == size();
  }

  /** Whether the call on originLine made some of it, but not all. */
  public boolean madePart() {
    long made = madeBytes();
    return made > 0 && made < size();
  }

  /** The part [from, to) of it, the file offset moved along and the made part cut to it. */
  public Region slice(long from, long to) {
    long off = isAnonymous() ? offset : offset + (from - start);
    long a = Math.max(madeFrom, from);
    long b = Math.max(a, Math.min(madeTo, to));
    return new Region(
        from, to, perms, off, dev, inode, path, originLine, learnt, a, b, segmentProt);
  }

  /** This region under another name (a terminal-safe one, say), all else kept. */
  public Region withPath(String newPath) {
    return new Region(
        start,
        end,
        perms,
        offset,
        dev,
        inode,
        newPath,
        originLine,
        learnt,
        madeFrom,
        madeTo,
        segmentProt);
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
        && learnt == r.learnt
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
