package dev.memtrace.render;

import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.RegionClass;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Region classes as the explain stage gave them with each change ({@link AnnotatedEvent#classOf}):
 * it knows what a range was made for (a malloc arena, a thread stack), which a region's name and
 * permissions alone do not tell. A region keeps the first class it was given, so totals added and
 * removed under one class stay balanced; a region no event classed (one made by the kernel, or a
 * timeline built without the explain stage) falls back to the given classifier.
 */
public final class LearnedClasses implements RegionClassifier {

  private final RegionClassifier fallback;
  private final Map<Region, RegionClass> learned = new HashMap<>();

  public LearnedClasses(RegionClassifier fallback) {
    this.fallback = fallback;
  }

  /** Takes the classes of the regions the event's changes (and learnt changes) leave or remove. */
  public void learn(AnnotatedEvent a) {
    for (int i = 0; i < a.changes().size(); i++) {
      RegionClass cls = a.classOf(i);
      RegionChange c = a.changes().get(i);
      Region r = c.after() != null ? c.after() : c.before();
      learn(r, cls);
    }
    for (int i = 0; i < a.learnt().size(); i++) {
      learn(a.learnt().get(i).after(), a.learntClassOf(i));
    }
  }

  /** Takes one change's class: the region it leaves (or removes) and the class it was given. */
  public void learn(Region r, RegionClass cls) {
    if (cls != null && r != null) {
      learned.putIfAbsent(r, cls);
    }
  }

  /**
   * Forgets the classes of regions of a space that ended, but for those still held elsewhere (for
   * which the test says so): a renderer that replays one space at a time keeps the classes of the
   * live spaces only.
   */
  public void forget(Collection<Region> regions, Predicate<Region> held) {
    for (Region r : regions) {
      if (r != null && !held.test(r)) {
        learned.remove(r);
      }
    }
  }

  /** How many regions have a learnt class. */
  public int size() {
    return learned.size();
  }

  @Override
  public RegionClass classify(Region region) {
    RegionClass cls = learned.get(region);
    return cls != null ? cls : fallback.classify(region);
  }
}
