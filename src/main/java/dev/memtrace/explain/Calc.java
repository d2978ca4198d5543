package dev.memtrace.explain;

/**
 * A number together with how it was computed, so an explanation can show its arithmetic: {@code
 * value} is the result, {@code steps} the derivation written out with the actual numbers ({@code
 * "request2size(131072) = (131072 + 8 + 15) & ~15 = 131088"}).
 */
public record Calc(long value, String steps) {

  /** A value that needs no derivation. */
  public static Calc of(long value) {
    return new Calc(value, Long.toString(value));
  }

  /** Joins this derivation with a following one, keeping the following value. */
  public Calc then(Calc next) {
    return new Calc(next.value, steps + "; " + next.steps);
  }
}
