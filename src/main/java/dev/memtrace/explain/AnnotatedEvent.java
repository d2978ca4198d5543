package dev.memtrace.explain;

import dev.memtrace.model.RegionChange;
import dev.memtrace.trace.TraceEvent;
import java.util.List;

/**
 * One event with everything the stages before rendering learnt about it: the changes it made to
 * the address space, what the snapshots said about them, the buffer it used, and why it happened.
 * This is the value every renderer reads.
 */
public record AnnotatedEvent(
    TraceEvent event,
    List<RegionChange> changes,
    List<String> checks,
    BufferRef buffer,
    List<Explanation> why) {

  public AnnotatedEvent {
    changes = List.copyOf(changes);
    checks = List.copyOf(checks);
    why = List.copyOf(why);
  }

  public static AnnotatedEvent bare(TraceEvent event) {
    return new AnnotatedEvent(event, List.of(), List.of(), null, List.of());
  }
}
