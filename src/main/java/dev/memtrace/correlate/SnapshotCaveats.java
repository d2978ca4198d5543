package dev.memtrace.correlate;

import dev.memtrace.run.LiveItemStream;
import dev.memtrace.run.MapsSnapshot;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.SyscallEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says, on the call a snapshot was taken for, what that snapshot cannot vouch for: read after
 * strace's hold ended (it may already show later changes), or taken while other threads of the
 * process ran (strace holds only the calling thread). The model stage still checks such a snapshot;
 * the caveat is there so that a difference it reports is read in that light and never taken for the
 * model's error alone.
 *
 * <p>The text timeline does not repeat them call after call ({@code perCall} false): they are
 * counted, and said once at the end ({@link #summary()}); the JSON Lines keep them on each call.
 */
public final class SnapshotCaveats {

  private final Map<String, String> byCall = new HashMap<>();
  private final boolean perCall;
  private int late;
  private int racy;
  private long worstMicros;
  private int delayMicros;

  /** Caveats on each call's checks (perCall), or only counted for {@link #summary()}. */
  public SnapshotCaveats(boolean perCall) {
    this.perCall = perCall;
  }

  /** Remembers the caveat of a snapshot, if it has one. */
  public void note(LiveItemStream.LineSnapshot ls) {
    MapsSnapshot s = ls.snapshot();
    String caveat = caveat(s);
    if (caveat == null) {
      return;
    }
    if (s.late()) {
      late++;
      worstMicros = Math.max(worstMicros, s.micros());
      delayMicros = s.delayMicros();
    }
    if (s.racy()) {
      racy++;
    }
    String key =
        switch (s.kind()) {
          case AFTER_CALL -> s.pid() + "\n" + ls.lineText();
          case EXIT -> s.pid() + "\nexit_group";
          case ATTACH -> null;
        };
    if (key != null) {
      byCall.put(key, caveat);
    }
  }

  /** The event, with the caveat of its snapshot added to its checks. */
  public AnnotatedEvent attach(AnnotatedEvent a) {
    if (byCall.isEmpty() || !(a.event() instanceof SyscallEvent e) || e.pid() == null) {
      return a;
    }
    String text = e.source().text();
    String last = text.substring(text.lastIndexOf('\n') + 1);
    String caveat = byCall.remove(e.pid() + "\n" + last);
    if (caveat == null && "exit_group".equals(e.name())) {
      caveat = byCall.remove(e.pid() + "\nexit_group");
    }
    if (caveat == null || !perCall) {
      return a;
    }
    List<String> checks = new ArrayList<>(a.checks());
    checks.add(caveat);
    return new AnnotatedEvent(
        a.event(),
        a.changes(),
        checks,
        a.buffer(),
        a.why(),
        a.classes(),
        a.who(),
        a.learnt(),
        a.call());
  }

  /**
   * One line for the end of a text timeline when caveats were left off its calls, or null: how many
   * snapshots were late or racy, and how to avoid late ones.
   */
  public String summary() {
    if (perCall || late + racy == 0) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (late > 0) {
      parts.add(
          late
              + (late == 1 ? " maps snapshot was" : " maps snapshots were")
              + " read after"
              + " strace's "
              + delayMicros
              + " µs hold (up to "
              + worstMicros
              + " µs after the call)"
              + " and may already show the next calls' mappings; a longer --delay (e.g. --delay 10000)"
              + " avoids that");
    }
    if (racy > 0) {
      parts.add(
          racy
              + (racy == 1 ? " was" : " were")
              + " taken while other threads of the"
              + " process ran");
    }
    return String.join("; ", parts) + " (--format jsonl notes it on each call)";
  }

  static String caveat(MapsSnapshot s) {
    if (s.missed()) {
      return null; // the model stage says it could not be read
    }
    List<String> parts = new ArrayList<>();
    if (s.late()) {
      parts.add(
          "read "
              + s.micros()
              + " µs after the call, after strace's "
              + s.delayMicros()
              + " µs hold ended: it may already show later changes (a longer --delay helps)");
    }
    if (s.racy()) {
      parts.add(
          "the process had "
              + s.threads()
              + " threads and strace held only the calling one:"
              + " it may show other threads' changes");
    }
    return parts.isEmpty() ? null : "snapshot caveat: " + String.join("; ", parts);
  }
}
