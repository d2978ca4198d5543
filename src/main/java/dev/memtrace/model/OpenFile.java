package dev.memtrace.model;

/**
 * What an fd refers to, as far as the trace tells: a path (absolute when the trace let the model
 * resolve it, as opened otherwise), a key that tells apart distinct objects with one name (memfds,
 * pipes), and the close-on-exec bit.
 */
public record OpenFile(String path, long key, boolean cloexec) {

  /**
   * The path, or null for an object the trace never named: a socket or pipe opened without -y,
   * whose path is the model's {@code [?]} stand-in for the inode strace did not print, or a memfd
   * whose name the call did not show.
   */
  public String knownPath() {
    return path.endsWith("[?]") || path.startsWith("/memfd:? ") ? null : path;
  }

  OpenFile withCloexec(boolean on) {
    return new OpenFile(path, key, on);
  }
}
