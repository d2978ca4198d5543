package dev.memtrace.explain;

import java.util.List;

/**
 * What the summary says about one address space: the program, the tasks that used it, its
 * regions at the end and at the peak (with the line where the peak was reached), and whether the
 * end table includes the regions the kernel made (only when the model or a snapshot knew them).
 */
public record SpaceReport(
    String program, List<Integer> pids, Tally end, Tally peak, int peakLine,
    boolean fromModel) {

  public SpaceReport {
    pids = List.copyOf(pids);
  }
}
