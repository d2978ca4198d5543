package dev.memtrace.render;

import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The regions of one address space as a renderer replays them from the events' changes. It trusts
 * the model's changes but stays consistent when they overlap what it holds: an added region first
 * cuts away whatever it covers, as MAP_FIXED does. {@link #apply} returns what was really removed
 * and added, so a picture can be replayed forwards from those deltas alone.
 */
public final class SpaceState {

  /** What one event did to this space, after overlap trimming. */
  public record Delta(List<Region> removed, List<Region> added) {
    public boolean isEmpty() {
      return removed.isEmpty() && added.isEmpty();
    }
  }

  private final TreeMap<Long, Region> byStart = new TreeMap<>();

  public SpaceState() {}

  public SpaceState(SpaceState copy) {
    byStart.putAll(copy.byStart);
  }

  public Collection<Region> regions() {
    return byStart.values();
  }

  public Delta apply(List<RegionChange> changes) {
    List<Region> removed = new ArrayList<>();
    List<Region> added = new ArrayList<>();
    for (RegionChange c : changes) {
      if (c.before() != null) {
        cut(c.before().start(), c.before().end(), removed, added);
      }
      if (c.after() != null) {
        cut(c.after().start(), c.after().end(), removed, added);
        byStart.put(c.after().start(), c.after());
        added.add(c.after());
      }
    }
    // a region both added and removed within one event is no change to show
    List<Region> netRemoved = new ArrayList<>(removed);
    netRemoved.removeIf(added::remove);
    return new Delta(netRemoved, added);
  }

  /**
   * What an event did to its space, in order: what a snapshot taught just before it (regions no
   * call made, corrections), then its own changes.
   */
  public static List<RegionChange> learntThenChanges(AnnotatedEvent a) {
    if (a.learnt().isEmpty()) {
      return a.changes();
    }
    List<RegionChange> all = new ArrayList<>(a.learnt());
    all.addAll(a.changes());
    return all;
  }

  /** Removes [start, end) from the held regions, keeping the parts of a region outside it. */
  private void cut(long start, long end, List<Region> removed, List<Region> added) {
    Long from = byStart.floorKey(start);
    List<Region> hit = new ArrayList<>();
    for (Region r : byStart.tailMap(from == null ? start : from, true).values()) {
      if (r.start() >= end) {
        break;
      }
      if (r.end() > start) {
        hit.add(r);
      }
    }
    for (Region r : hit) {
      byStart.remove(r.start());
      removed.add(r);
      if (r.start() < start) {
        Region left = r.slice(r.start(), start);
        byStart.put(left.start(), left);
        added.add(left);
      }
      if (r.end() > end) {
        Region right = r.slice(end, r.end());
        byStart.put(right.start(), right);
        added.add(right);
      }
    }
  }

  /** The region holding the address, or null. */
  public Region regionAt(long address) {
    Map.Entry<Long, Region> e = byStart.floorEntry(address);
    return e != null && e.getValue().contains(address) ? e.getValue() : null;
  }

  /** Mapped bytes per region class. */
  public Map<String, Long> bytesByClass(RegionClassifier classes) {
    Map<String, Long> out = new TreeMap<>();
    for (Region r : byStart.values()) {
      out.merge(classes.label(r), r.size(), Long::sum);
    }
    return out;
  }
}
