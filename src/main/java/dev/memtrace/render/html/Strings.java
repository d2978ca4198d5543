package dev.memtrace.render.html;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interns repeated strings (syscall names, paths, permissions) as indices into one list. */
final class Strings {
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> list = new ArrayList<>();

  int id(String s) {
    return ids.computeIfAbsent(
        s == null ? "" : s,
        k -> {
          list.add(k);
          return list.size() - 1;
        });
  }

  List<String> list() {
    return list;
  }
}
