package dev.memtrace.timeline;

import dev.memtrace.model.Region;

/**
 * Where a read/write-like call's buffer lies: the address, the region holding it (null when no
 * known region does), how far into that region, and the region's class.
 */
public record BufferRef(long address, Region region, long offset, RegionClass regionClass) {

  /** The class's label, or null when no class is known. */
  public String regionLabel() {
    return regionClass == null ? null : regionClass.label;
  }
}
