package dev.memtrace.trace;

/**
 * What one physical line is, before lines are put together into events: a finished event, one
 * {@code -k} frame, the entry half of a split call, its resumed half, or a call whose text stops
 * before its closing parenthesis (a cut-off last line, or a stderr-mode line that something else
 * was written into).
 */
sealed interface Piece {

  /** A line that is an event on its own. */
  record Done(TraceEvent event) implements Piece {}

  /** A {@code -k} frame line; it belongs to the call or signal printed before it. */
  record Frame(Source source, StackFrame frame) implements Piece {}

  /**
   * A line of an {@code -e read=}/{@code -e write=} data dump ({@code | 00000 30 31 ... 01 |}, or
   * {@code * 5 bytes in buffer 0} before each buffer of a vector): it belongs to the call printed
   * before it. hex is the bytes the line shows, as hex digits.
   */
  record Dump(Source source, String hex) implements Piece {}

  /**
   * {@code NAME(ARGS <unfinished ...>}: argsText is the entry text without the marker. For an
   * {@code -ff} thread's execve, {@code NAME(ARGS <pid changed to N ...>}, newPid is N (the leader,
   * whose file has the resumed half: strace-format.md 4.8); otherwise null.
   */
  record Unfinished(Source source, Prefix prefix, String name, String argsText, Integer newPid)
      implements Piece {}

  /** {@code <... NAME resumed>REST}: rest goes on from where the entry half stopped. */
  record Resumed(Source source, Prefix prefix, String name, String rest) implements Piece {}

  /** {@code NAME(ARGS} with no closing parenthesis and no marker. */
  record Open(Source source, Prefix prefix, String name, String argsText) implements Piece {}

  /** {@code NAME(ARGS <detached ...>}: strace let go of the task while the call was running. */
  record Detached(Source source, Prefix prefix, String name, String argsText) implements Piece {}
}
