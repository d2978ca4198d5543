package dev.memtrace.explain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Non-overlapping address ranges, each with the {@link Tag} saying what it was made for. Putting a
 * range replaces whatever it overlaps (as MAP_FIXED does); removing punches a hole (as munmap
 * does). Lookups are logarithmic.
 */
public final class TagMap {

  /** One tagged range [start, end). */
  public record Span(long start, long end, Tag tag) {
    public long size() {
      return end - start;
    }
  }

  private final TreeMap<Long, Span> spans = new TreeMap<>();
  private long total;

  public TagMap copy() {
    TagMap c = new TagMap();
    c.spans.putAll(spans);
    c.total = total;
    return c;
  }

  /** The sum of all span sizes. */
  public long total() {
    return total;
  }

  private void add(Span s) {
    spans.put(s.start(), s);
    total += s.size();
  }

  private void drop(Span s) {
    spans.remove(s.start());
    total -= s.size();
  }

  public void put(long start, long end, Tag tag) {
    if (end <= start) {
      return;
    }
    remove(start, end);
    add(new Span(start, end, tag));
  }

  public void remove(long start, long end) {
    if (end <= start) {
      return;
    }
    Map.Entry<Long, Span> below = spans.lowerEntry(start);
    if (below != null && below.getValue().end() > start) {
      Span s = below.getValue();
      drop(s);
      add(new Span(s.start(), start, s.tag()));
      if (s.end() > end) {
        add(new Span(end, s.end(), s.tag()));
      }
    }
    for (Span s : new ArrayList<>(spans.subMap(start, true, end, false).values())) {
      drop(s);
      if (s.end() > end) {
        add(new Span(end, s.end(), s.tag()));
      }
    }
  }

  /** The span holding the address, or null. */
  public Span at(long address) {
    Map.Entry<Long, Span> e = spans.floorEntry(address);
    return e != null && e.getValue().end() > address ? e.getValue() : null;
  }

  /** The nearest span ending at or below the address, or null. */
  public Span below(long address) {
    Map.Entry<Long, Span> e = spans.floorEntry(address);
    while (e != null && e.getValue().end() > address) {
      e = spans.lowerEntry(e.getKey());
    }
    return e == null ? null : e.getValue();
  }

  /** The nearest span starting above the address, or null. */
  public Span above(long address) {
    Map.Entry<Long, Span> e = spans.higherEntry(address);
    return e == null ? null : e.getValue();
  }

  /** The spans overlapping [start, end), in address order; none when the range is empty. */
  public List<Span> overlapping(long start, long end) {
    List<Span> out = new ArrayList<>();
    if (end <= start) {
      return out; // a length that wraps past the top of the address space (a damaged log)
    }
    Span first = at(start);
    if (first != null) {
      out.add(first);
    }
    for (Span s : spans.subMap(start, false, end, false).values()) {
      out.add(s);
    }
    return out;
  }

  public List<Span> all() {
    return List.copyOf(spans.values());
  }

  /** The spans in address order, without copying (do not change the map while iterating). */
  public Collection<Span> view() {
    return Collections.unmodifiableCollection(spans.values());
  }

  public int size() {
    return spans.size();
  }
}
