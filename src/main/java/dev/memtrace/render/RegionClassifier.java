package dev.memtrace.render;

import dev.memtrace.model.Region;

/**
 * Names the class of a region ({@code heap}, {@code stack}, {@code library}, ...) for colouring,
 * filtering and per-class totals. The explain stage owns the real classification; renderers take it
 * as this function so they never depend on how it is made.
 */
@FunctionalInterface
public interface RegionClassifier {

  String classify(Region region);

  /**
   * A classification from the path and permissions alone, for when no better one is wired in: the
   * kernel's named areas, shared libraries, other files, anonymous memory.
   */
  RegionClassifier BY_PATH =
      r -> {
        String p = r.path();
        if (p.isEmpty()) {
          return "anonymous";
        }
        if (p.equals("[heap]")) {
          return "heap";
        }
        if (p.startsWith("[stack")) {
          return "stack";
        }
        if (p.equals("[vdso]") || p.equals("[vvar]") || p.equals("[vsyscall]")) {
          return "kernel";
        }
        if (p.startsWith("[")) {
          return "anonymous";
        }
        if (p.endsWith(".so") || p.contains(".so.")) {
          return "library";
        }
        return "file";
      };
}
