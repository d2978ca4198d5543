package dev.memtrace.timeline;

import dev.memtrace.decode.Call;
import dev.memtrace.model.RegionChange;
import dev.memtrace.model.Who;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One event with everything the stages before rendering learnt about it: the changes it made to the
 * address space, what the snapshots said about them, the buffer it used, why it happened, and the
 * class of the region each change leaves (or removes), in the order of {@code changes} (null when
 * not known; empty until the explain stage has run), followed by those of the {@code learnt}
 * regions the explain stage classed ({@link #learntClassOf}). {@code who} is the task, process and
 * address space the model says the event belongs to (null without the model). {@code learnt} is
 * what a {@code /proc/PID/maps} snapshot taught the model about the event's address space just
 * before the event's own changes (regions no call in the trace made, such as {@code [stack]} or the
 * executable, and corrections): for pictures of the address space only, never explained. {@code
 * call} is the typed call the model decoded (null when it read none): later stages read its fields
 * rather than decode the call again.
 */
public record AnnotatedEvent(
    TraceEvent event,
    List<RegionChange> changes,
    List<String> checks,
    BufferRef buffer,
    List<Explanation> why,
    List<RegionClass> classes,
    Who who,
    List<RegionChange> learnt,
    Call call) {

  public AnnotatedEvent {
    changes = copy(changes);
    learnt = copy(learnt);
    checks = copy(checks);
    why = copy(why);
    classes =
        classes.isEmpty()
            ? List.of()
            : Collections.unmodifiableList(new ArrayList<>(classes)); // null: not known
  }

  private static final List<?> NONE = List.of();

  /** {@link List#copyOf}, with the empty list of almost every event passed by one comparison. */
  @SuppressWarnings("unchecked")
  private static <T> List<T> copy(List<T> list) {
    return list == NONE ? (List<T>) NONE : List.copyOf(list);
  }

  /** The class of the region change i leaves, or null when not known. */
  public RegionClass classOf(int i) {
    return i < classes.size() ? classes.get(i) : null;
  }

  /**
   * The class of the region learnt change i leaves, when the explain stage gave one (the RELRO part
   * of an image the ELF headers laid out), or null: then its name and permissions tell.
   */
  public RegionClass learntClassOf(int i) {
    int at = changes.size() + i;
    return at < classes.size() ? classes.get(at) : null;
  }

  /** The label of {@link #classOf}, as output writes it, or null. */
  public String classLabel(int i) {
    RegionClass c = classOf(i);
    return c == null ? null : c.label;
  }

  /** The same event with other reasons. */
  public AnnotatedEvent withWhy(List<Explanation> newWhy) {
    return new AnnotatedEvent(event, changes, checks, buffer, newWhy, classes, who, learnt, call);
  }

  /** An event no stage after the parser has read. */
  public static AnnotatedEvent bare(TraceEvent event) {
    return new AnnotatedEvent(
        event, List.of(), List.of(), null, List.of(), List.of(), null, List.of(), null);
  }
}
