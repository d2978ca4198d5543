package dev.memtrace.cli;

import dev.memtrace.run.LiveItem;
import dev.memtrace.run.MapsSnapshot;
import java.io.PrintWriter;
import java.util.List;

/**
 * Stand-in until the analyze pipeline lands: prints each log line as strace wrote it and one line
 * per snapshot. Replaced by the pipeline so that run and analyze share one path.
 */
final class LiveTimeline {

  static final List<String> FORMATS = List.of("text", "jsonl");

  private final PrintWriter out;

  private LiveTimeline(PrintWriter out) {
    this.out = out;
  }

  static LiveTimeline create(String format, PrintWriter out) {
    return new LiveTimeline(out);
  }

  void accept(LiveItem item) {
    if (item instanceof LiveItem.LogLine l) {
      out.println(l.text());
    } else if (item instanceof MapsSnapshot s) {
      out.println(
          "# maps of "
              + s.pid()
              + " ("
              + s.kind().label
              + ") after line "
              + s.line()
              + ": "
              + (s.missed() ? "task gone" : s.maps().lines().count() + " regions")
              + (s.racy() ? ", racy: " + s.threads() + " threads" : "")
              + (s.late() ? ", late: read " + s.micros() + " µs after the line" : ""));
    }
  }

  void finish() {
    out.flush();
  }
}
