package dev.memtrace.model;

/**
 * What an fd refers to, as far as the trace tells: a path (absolute when the trace let the model
 * resolve it, as opened otherwise), a key that tells apart distinct objects with one name (memfds,
 * pipes), and the close-on-exec bit.
 */
public record OpenFile(String path, long key, boolean cloexec) {

  /** What -y prints for an io_uring instance's fd (io_uring_setup), and maps for its rings. */
  public static final String IO_URING = "anon_inode:[io_uring]";

  /** What -y prints for a BPF map's fd (bpf(BPF_MAP_CREATE)), and maps for its memory. */
  public static final String BPF_MAP = "anon_inode:bpf-map";

  /** What -y prints for a perf_event_open fd, and maps for its ring buffer. */
  public static final String PERF_EVENT = "anon_inode:[perf_event]";

  /**
   * What the model calls a socket's or pipe's inode strace did not print (without -y): {@code
   * socket:[inode not in the trace]}, where the kernel shows {@code socket:[12345]}.
   */
  static final String UNKNOWN_INODE = "[inode not in the trace]";

  /**
   * What the model calls a memfd whose name the call did not show ({@code -e raw=memfd_create}).
   */
  static final String UNNAMED_MEMFD = "/memfd:(name not in the trace) (deleted)";

  /**
   * The path, or null for an object the trace never named: a socket or pipe opened without -y, or a
   * memfd whose name the call did not show.
   */
  public String knownPath() {
    return path.endsWith(UNKNOWN_INODE) || path.equals(UNNAMED_MEMFD) ? null : path;
  }

  /**
   * What the model calls the file an open(O_TMPFILE) of dir made, when strace did not print the
   * fd's path: {@code DIR/#[inode not in the trace] (deleted)}, where maps shows {@code DIR/#INODE
   * (deleted)} (d_tmpfile names the dentry "#" and the inode number; it is in no directory).
   */
  static String tmpfileIn(String dir) {
    return tmpfileName(dir, UNKNOWN_INODE);
  }

  /** {@code DIR/#INODE (deleted)}: the name maps gives an open(O_TMPFILE) file of dir. */
  public static String tmpfileName(String dir, String inode) {
    return (dir.endsWith("/") ? dir : dir + "/") + "#" + inode + MapsFormat.DELETED;
  }

  /**
   * The directory whose filesystem holds an open(O_TMPFILE) file, from the name maps (or the model,
   * {@link #tmpfileIn}) gives it, {@code DIR/#INODE (deleted)}; null for any other path.
   */
  public static String tmpfileDir(String path) {
    if (path == null || !path.startsWith("/") || !path.endsWith(MapsFormat.DELETED)) {
      return null;
    }
    String name = path.substring(0, path.length() - MapsFormat.DELETED.length());
    int slash = name.lastIndexOf('/');
    String last = name.substring(slash + 1);
    if (!last.startsWith("#")
        || !(last.substring(1).equals(UNKNOWN_INODE) || last.substring(1).matches("[0-9]+"))) {
      return null;
    }
    return slash == 0 ? "/" : name.substring(0, slash);
  }

  OpenFile withCloexec(boolean on) {
    return new OpenFile(path, key, on);
  }
}
