package dev.memtrace.explain;

import java.util.List;

/**
 * One sentence of why, with what it rests on. basis says how sure it is: a stack frame from
 * {@code -k} or a snapshot is observed; arithmetic is computed from the numbers in the trace; a
 * pattern is inferred from the shape of neighbouring calls and reads as a guess.
 */
public record Explanation(String rule, String text, Basis basis, List<String> evidence) {

  public Explanation {
    evidence = List.copyOf(evidence);
  }

  public enum Basis {
    STACK,
    SNAPSHOT,
    ARITHMETIC,
    PATTERN
  }
}
