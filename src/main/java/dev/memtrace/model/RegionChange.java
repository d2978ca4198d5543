package dev.memtrace.model;

/**
 * What one event did to one region: {@code +} a region appeared, {@code -} it went away, {@code ~}
 * it changed (before and after both given: a resize, a new protection, a move).
 */
public record RegionChange(Op op, Region before, Region after) {

  public enum Op {
    ADDED("+"),
    CHANGED("~"),
    REMOVED("-");

    public final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }
  }

  public static RegionChange added(Region r) {
    return new RegionChange(Op.ADDED, null, r);
  }

  public static RegionChange removed(Region r) {
    return new RegionChange(Op.REMOVED, r, null);
  }

  public static RegionChange changed(Region before, Region after) {
    return new RegionChange(Op.CHANGED, before, after);
  }
}
