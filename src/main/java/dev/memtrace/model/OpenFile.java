package dev.memtrace.model;

/**
 * What an fd refers to, as far as the trace tells: a path (absolute when the trace let the model
 * resolve it, as opened otherwise), a key that tells apart distinct objects with one name (memfds,
 * pipes), and the close-on-exec bit.
 */
public record OpenFile(String path, long key, boolean cloexec) {

  OpenFile withCloexec(boolean on) {
    return new OpenFile(path, key, on);
  }
}
