package dev.memtrace.trace;

import java.util.List;
import java.util.OptionalLong;

/**
 * A call's arguments. The text of each top-level argument is always available; the typed tree is
 * built only when a consumer asks for it (most calls in a log are never looked at that closely).
 */
public interface Args {

  /** The whole argument list as printed, without the surrounding parentheses. */
  String text();

  /** Each top-level argument's text, split at depth 0 outside strings. */
  List<String> texts();

  /** Receives argument texts as a range of a string, so a writer needs no String per argument. */
  interface TextSink {
    void text(String s, int from, int to);
  }

  /**
   * Hands each top-level argument's text to {@code sink} in order, as {@link #texts()} has them,
   * without cutting them out of the line when the split is not made yet.
   */
  default void eachText(TextSink sink) {
    for (String t : texts()) {
      sink.text(t, 0, t.length());
    }
  }

  /** The typed value of argument {@code i}, parsed on first use. */
  Arg get(int i);

  default int size() {
    return texts().size();
  }

  /** The numeric value of argument {@code i}, if it has one. */
  default OptionalLong asLong(int i) {
    return i < size() ? get(i).asLong() : OptionalLong.empty();
  }
}
