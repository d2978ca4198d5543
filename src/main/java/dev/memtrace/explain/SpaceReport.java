package dev.memtrace.explain;

import java.util.List;

/**
 * What the summary says about one address space: the program, the tasks that used it, its regions
 * at the end and at the peak (with the line where the peak was reached, and the line the peak table
 * was taken at: the same, or an earlier one within 5% of the peak when the space has many ranges),
 * whether the end table is the model's view, how many memory calls the log shows in it (none: the
 * peak is no figure of its own), and what else the figures need said (what a space the log shows no
 * memory call of holds), each a sentence.
 */
public record SpaceReport(
    String program,
    List<Integer> pids,
    Tally end,
    Tally peak,
    int peakLine,
    int peakTableLine,
    boolean fromModel,
    long memoryEvents,
    List<String> notes) {

  public SpaceReport {
    pids = List.copyOf(pids);
    notes = List.copyOf(notes);
  }
}
