package dev.memtrace.timeline;

/**
 * A region's class as the explain stage gave it (a thread stack, its guard page, a malloc arena),
 * and the line of the call that made the mapping it was told of: as sure as the explanations of
 * that mapping are.
 */
public record ExplainedClass(RegionClass cls, int line) {}
