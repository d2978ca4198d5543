package dev.memtrace.trace;

/**
 * Where an event came from: the file (null for standard input or a live run), the 1-based line
 * number in it, and the raw text of that line (for a call split into unfinished/resumed halves, the
 * text of both halves joined by a newline; the line number is the first half's).
 */
public record Source(String file, int line, String text) {}
