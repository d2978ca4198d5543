package dev.memtrace.render.html;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.explain.Tally;
import dev.memtrace.render.Texts;
import dev.memtrace.timeline.RegionClass;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The explain stage's summary ({@code --summary}) as the page embeds it: per address space, its
 * program and tasks, and per region class and per object the bytes and regions at the end and at
 * the peak. The explain stage knows what ranges were made for (a malloc arena, a thread stack), so
 * its classes are finer than a region's name alone gives; the page prefers this summary.
 */
final class ExplainSummary {
  private static final int TOP_OBJECTS = 40;

  private ExplainSummary() {}

  /** Writes the summary as {@code g}'s next value, one space at a time. */
  static void write(JsonGenerator g, List<SpaceReport> reports, IntFunction<Object> line)
      throws IOException {
    g.writeStartArray();
    for (SpaceReport r : reports) {
      DataJson.write(g, space(r, line));
    }
    g.writeEndArray();
  }

  /**
   * @param line how the page cites a line: the peak's
   */
  private static Map<String, Object> space(SpaceReport r, IntFunction<Object> line) {
    Map<String, Object> sp = new LinkedHashMap<>();
    sp.put("program", r.program());
    sp.put("pids", r.pids());
    sp.put("peakLine", line.apply(r.peakLine()));
    sp.put("fromModel", r.fromModel());
    sp.put("memoryEvents", r.memoryEvents());
    sp.put("notes", r.notes());
    Set<RegionClass> classes = new LinkedHashSet<>();
    for (RegionClass c : RegionClass.values()) {
      if (r.end().byClass().containsKey(c) || r.peak().byClass().containsKey(c)) {
        classes.add(c);
      }
    }
    List<Object> rows = new ArrayList<>();
    for (RegionClass c : classes) {
      rows.add(row(c.label, r.end().byClass().get(c), r.peak().byClass().get(c)));
    }
    sp.put("classes", rows);
    Set<String> objects = new LinkedHashSet<>(r.end().byObject().keySet());
    objects.addAll(r.peak().byObject().keySet());
    List<String> sorted = new ArrayList<>(objects);
    sorted.sort(
        Comparator.comparingLong((String o) -> -Math.max(size(r.end(), o), size(r.peak(), o)))
            .thenComparing(o -> o));
    List<Object> objs = new ArrayList<>();
    for (String o : sorted.subList(0, Math.min(TOP_OBJECTS, sorted.size()))) {
      objs.add(row(Texts.name(o), r.end().byObject().get(o), r.peak().byObject().get(o)));
    }
    sp.put("objects", objs);
    sp.put("objectCount", objects.size());
    sp.put("endTotal", r.end().total());
    sp.put("peakTotal", r.peak().total());
    sp.put("endReserved", r.end().reserved());
    sp.put("peakReserved", r.memoryEvents() == 0 ? 0 : r.peak().reserved());
    return sp;
  }

  /**
   * [name, bytes at end, regions at end, bytes at peak, regions at peak, PROT_NONE bytes at end,
   * PROT_NONE bytes at peak].
   */
  private static List<Object> row(String name, Tally.Row end, Tally.Row peak) {
    return List.of(
        name,
        end == null ? 0 : end.size,
        end == null ? 0 : end.regions,
        peak == null ? 0 : peak.size,
        peak == null ? 0 : peak.regions,
        end == null ? 0 : end.reserved,
        peak == null ? 0 : peak.reserved);
  }

  private static long size(Tally t, String object) {
    Tally.Row r = t.byObject().get(object);
    return r == null ? 0 : r.size;
  }
}
