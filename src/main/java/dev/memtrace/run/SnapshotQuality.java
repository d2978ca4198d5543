package dev.memtrace.run;

/**
 * Counts the snapshots that cannot be taken at face value, for the notice at the end of a run: late
 * ones (read after strace released the task, so they may show later changes), missed ones (the task
 * was gone) and racy ones (other threads of the process were not held).
 */
final class SnapshotQuality {

  private int taken;
  private int late;
  private int missed;
  private int racy;
  private long worstMicros;

  void count(MapsSnapshot s) {
    if (s.kind() == MapsSnapshot.Kind.ATTACH) {
      return;
    }
    taken++;
    if (s.missed()) {
      missed++;
    } else if (s.late()) {
      late++;
      worstMicros = Math.max(worstMicros, s.micros());
    }
    if (s.racy()) {
      racy++;
    }
  }

  /** One line, or null when every snapshot was read in time from a single-threaded process. */
  String summary(int delayMicros) {
    if (late == 0 && missed == 0 && racy == 0) {
      return null;
    }
    StringBuilder b = new StringBuilder("of " + taken + " maps snapshots, ");
    String sep = "";
    if (late > 0) {
      b.append(late)
          .append(late == 1 ? " was" : " were")
          .append(" read after the ")
          .append(delayMicros)
          .append(" µs hold (up to ")
          .append(worstMicros)
          .append(
              " µs after the call) and may already show the next calls' mappings (a check: line"
                  + " on such a call may name a region the model had not seen yet); a longer --delay"
                  + " (e.g. --delay 10000) avoids that");
      sep = "; ";
    }
    if (missed > 0) {
      b.append(sep).append(missed).append(" could not be read (the task was gone)");
      sep = "; ";
    }
    if (racy > 0) {
      b.append(sep)
          .append(racy)
          .append(racy == 1 ? " was" : " were")
          .append(" of multi-threaded processes, whose other threads strace does not hold");
    }
    return b.toString();
  }
}
