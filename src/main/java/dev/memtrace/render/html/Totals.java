package dev.memtrace.render.html;

import dev.memtrace.model.Region;
import dev.memtrace.render.Texts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Running mapped bytes per region class and per object (a file's path, or one entry for all
 * anonymous memory of a class) over every live address space, with the peak each reached. A space
 * replaced by execve leaves the totals (its renderer removes its regions).
 */
final class Totals {
  private static final int TOP_OBJECTS = 40;

  private final Map<String, Integer> classIds = new LinkedHashMap<>();
  private final Map<String, long[]> byClass = new HashMap<>();
  private final Map<String, long[]> byObject = new HashMap<>();
  private final Map<String, String> objectClass = new HashMap<>();

  int classId(String cls) {
    return classIds.computeIfAbsent(cls, k -> classIds.size());
  }

  List<String> classNames() {
    return new ArrayList<>(classIds.keySet());
  }

  void add(String cls, Region r) {
    classId(cls);
    bump(byClass.computeIfAbsent(cls, k -> new long[2]), r.size());
    String obj = object(cls, r);
    objectClass.putIfAbsent(obj, cls);
    bump(byObject.computeIfAbsent(obj, k -> new long[2]), r.size());
  }

  void remove(String cls, Region r) {
    bump(byClass.computeIfAbsent(cls, k -> new long[2]), -r.size());
    bump(byObject.computeIfAbsent(object(cls, r), k -> new long[2]), -r.size());
  }

  /**
   * The bytes of a space that has ended but is still to leave the totals when its task runs execve,
   * added up per class and per object: all that removing its regions one by one would do.
   */
  static final class Leaving {
    private final Map<String, Long> byClass = new HashMap<>();
    private final Map<String, Long> byObject = new HashMap<>();

    void add(String cls, Region r) {
      byClass.merge(cls, r.size(), Long::sum);
      byObject.merge(object(cls, r), r.size(), Long::sum);
    }
  }

  /** Removes a space's bytes noted before; a removal never moves a peak, so the sums do. */
  void remove(Leaving l) {
    l.byClass.forEach((c, b) -> bump(byClass.computeIfAbsent(c, k -> new long[2]), -b));
    l.byObject.forEach((o, b) -> bump(byObject.computeIfAbsent(o, k -> new long[2]), -b));
  }

  private static String object(String cls, Region r) {
    return r.path().isEmpty() ? "(anonymous " + cls + ")" : Texts.name(r.path());
  }

  /** [current, peak]: the peak is checked when bytes are added. */
  private static void bump(long[] v, long by) {
    v[0] += by;
    v[1] = Math.max(v[1], v[0]);
  }

  /**
   * Per class and per object: regions and bytes at the end of the trace, and the peak bytes. {@code
   * regionsByClass} counts, by class label, the regions each space not replaced by execve held when
   * it ended.
   */
  Map<String, Object> summary(Map<String, Integer> regionsByClass) {
    List<Object> cls = new ArrayList<>();
    for (String c : classIds.keySet()) {
      long[] v = byClass.getOrDefault(c, new long[2]);
      cls.add(List.of(classIds.get(c), regionsByClass.getOrDefault(c, 0), v[0], v[1]));
    }
    List<Map.Entry<String, long[]>> objs = new ArrayList<>(byObject.entrySet());
    objs.sort(
        Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1])
            .thenComparing(Map.Entry::getKey));
    List<Object> top = new ArrayList<>();
    for (Map.Entry<String, long[]> e : objs.subList(0, Math.min(TOP_OBJECTS, objs.size()))) {
      top.add(
          List.of(
              e.getKey(),
              classIds.get(objectClass.get(e.getKey())),
              e.getValue()[0],
              e.getValue()[1]));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("classes", cls);
    out.put("objects", top);
    out.put("objectCount", objs.size());
    return out;
  }
}
