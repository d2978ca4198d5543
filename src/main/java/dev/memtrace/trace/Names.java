package dev.memtrace.trace;

/**
 * Syscall names, each spelling kept once: a log of a million calls names a few dozen syscalls, so
 * the parser hands out the same {@link String} for each spelling instead of a fresh copy per line:
 * the JVM's interned one. Later stages look names up in sets, maps and switches; a shared string
 * has its hash computed once and equals a literal of the same spelling by reference. A fixed table:
 * a spelling whose slot is taken by another one is simply copied. Not thread-safe (one per parser).
 */
final class Names {
  private static final int SLOTS = 1024;
  private final String[] table = new String[SLOTS];

  /** The name {@code line[from, to)}, shared when it was seen before. */
  String of(String line, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = 31 * h + line.charAt(i);
    }
    int slot = (h ^ (h >>> 10)) & (SLOTS - 1);
    String known = table[slot];
    int n = to - from;
    if (known != null && known.length() == n && line.regionMatches(from, known, 0, n)) {
      return known;
    }
    String name = line.substring(from, to);
    if (known == null) {
      // the JVM's own copy: the same object as the literal "mmap" in the stages' sets and
      // switches, so their equals() answers at the first (identity) test
      name = name.intern();
      table[slot] = name;
    }
    return name;
  }
}
