package dev.memtrace.trace;

/**
 * Where an event came from: the file (null for standard input or a live run), the 1-based line
 * number in it, and the raw text of that line (for a call split into unfinished/resumed halves, the
 * text of both halves joined by a newline; the line number is the first half's, and {@code endLine}
 * the last half's: the line at which the call had returned).
 */
public record Source(String file, int line, String text, int endLine) {

  /** A source on one line. */
  public Source(String file, int line, String text) {
    this(file, line, text, line);
  }
}
