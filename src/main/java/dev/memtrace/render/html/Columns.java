package dev.memtrace.render.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table stored as one list per column, in the order the columns were first added to. */
final class Columns {
  private final Map<String, List<Object>> columns = new LinkedHashMap<>();
  private final int rows;

  Columns(int rows) {
    this.rows = rows;
  }

  void add(String column, Object value) {
    columns.computeIfAbsent(column, k -> new ArrayList<>(rows)).add(value);
  }

  Map<String, Object> map() {
    return new LinkedHashMap<>(columns);
  }
}
