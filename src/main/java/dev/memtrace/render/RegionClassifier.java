package dev.memtrace.render;

import dev.memtrace.explain.Classifier;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.RegionClass;

/**
 * The class of a region ({@link RegionClass}) for colouring, filtering and per-class totals. The
 * explain stage owns the classification ({@link Classifier}); renderers take it as this function
 * and never classify by themselves.
 */
@FunctionalInterface
public interface RegionClassifier {

  RegionClass classify(Region region);

  /** The label of the region's class, as output writes it. */
  default String label(Region region) {
    return classify(region).label;
  }

  /**
   * The explain stage's class of a region from its name and permissions alone, for regions no event
   * classed (the kernel's areas, those a snapshot showed) and timelines built without the explain
   * stage.
   */
  RegionClassifier BY_NAME = r -> Classifier.classify(r, null);
}
