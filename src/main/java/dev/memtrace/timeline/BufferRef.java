package dev.memtrace.timeline;

import dev.memtrace.model.Region;

/**
 * Where a read/write-like call's buffer lies: the address, the region holding it (null when no
 * known region does), how far into that region, and the region's class (null when none is known).
 */
public record BufferRef(long address, Region region, long offset, RegionClass regionClass) {}
