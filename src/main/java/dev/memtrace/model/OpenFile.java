package dev.memtrace.model;

/**
 * What an fd refers to, as far as the trace tells: a path (absolute when the trace let the model
 * resolve it, as opened otherwise), a key that tells apart distinct objects with one name (memfds,
 * pipes), and the close-on-exec bit.
 */
public record OpenFile(String path, long key, boolean cloexec) {

  /** What -y prints for an io_uring instance's fd (io_uring_setup), and maps for its rings. */
  public static final String IO_URING = "anon_inode:[io_uring]";

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

  OpenFile withCloexec(boolean on) {
    return new OpenFile(path, key, on);
  }
}
