package dev.memtrace.render.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table stored as one list per column; every column is present even with no rows. */
final class Columns {
  private final Map<String, List<Object>> columns = new LinkedHashMap<>();
  private final int rows;

  Columns(int rows, String... names) {
    this.rows = rows;
    for (String n : names) {
      columns.put(n, new ArrayList<>(rows));
    }
  }

  void add(String column, Object value) {
    columns.computeIfAbsent(column, k -> new ArrayList<>(rows)).add(value);
  }

  Map<String, Object> map() {
    return new LinkedHashMap<>(columns);
  }
}
