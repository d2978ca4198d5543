package dev.memtrace.model;

/**
 * What a region maps: anonymous memory, a file, a shared-memory object (MAP_SHARED|MAP_ANONYMOUS,
 * memfd, SysV shm), a kernel-made special mapping ({@code [vdso]}, {@code [stack]}...), or nothing
 * the trace tells. dev and inode are known only from a snapshot ({@code "00:00"} and 0 otherwise).
 * key tells apart objects that share a path (two memfds named alike, two shared anonymous maps).
 */
public record Backing(Kind kind, String path, String dev, long inode, long key) {

  public enum Kind {
    ANONYMOUS,
    FILE,
    SHARED_MEMORY,
    SPECIAL,
    UNKNOWN
  }

  public static final String NO_DEV = "00:00";
  public static final Backing ANONYMOUS = new Backing(Kind.ANONYMOUS, "", NO_DEV, 0, 0);

  public static Backing file(String path) {
    return new Backing(Kind.FILE, path, NO_DEV, 0, 0);
  }

  public static Backing sharedMemory(String path, long key) {
    return new Backing(Kind.SHARED_MEMORY, path, NO_DEV, 0, key);
  }

  private static final String UNKNOWN_FILE = "[unknown file, fd ";

  /** The name of a mapping of a file the trace does not name, by the fd it was mapped from. */
  public static String unknownFileName(String fd) {
    return UNKNOWN_FILE + fd + "]";
  }

  /** The fd of a name {@link #unknownFileName} made, or null for any other name. */
  public static String unknownFileFd(String path) {
    return path.startsWith(UNKNOWN_FILE) && path.endsWith("]")
        ? path.substring(UNKNOWN_FILE.length(), path.length() - 1)
        : null;
  }

  public static Backing unknown(String what) {
    return new Backing(Kind.UNKNOWN, what, NO_DEV, 0, 0);
  }

  /** Whether the kernel shows a file offset for it (it has a struct file behind it). */
  public boolean hasOffset() {
    return kind == Kind.FILE || kind == Kind.SHARED_MEMORY;
  }

  /** Same object, as far as merging goes: same kind, path and key, and no conflicting inode. */
  public boolean sameObject(Backing o) {
    if (kind != o.kind || kind == Kind.SPECIAL || kind == Kind.UNKNOWN) {
      return kind == Kind.ANONYMOUS && o.kind == Kind.ANONYMOUS;
    }
    if (kind == Kind.ANONYMOUS) {
      return true;
    }
    boolean inodesKnown = inode != 0 && o.inode != 0;
    return path.equals(o.path) && key == o.key && (!inodesKnown || inode == o.inode);
  }
}
