package dev.memtrace.model;

import java.util.List;

/** What applying one event did: the region changes, and notes on what the model could not know. */
public record Outcome(List<RegionChange> changes, List<String> notes) {

  public static final Outcome NONE = new Outcome(List.of(), List.of());

  public Outcome {
    changes = List.copyOf(changes);
    notes = List.copyOf(notes);
  }

  public static Outcome note(String note) {
    return new Outcome(List.of(), List.of(note));
  }

  public boolean isEmpty() {
    return changes.isEmpty() && notes.isEmpty();
  }
}
