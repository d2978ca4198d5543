package dev.memtrace.pipeline;

import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;

/**
 * What a saved log's shape says about the strace flags that made it, when those flags left out what
 * memtrace explains: a {@code -c} (--summary-only) log is a table of counts and lists no call; a
 * log whose every call failed fits {@code -Z} (--failed-only) or {@code -e status=failed}, which
 * leave out every call that succeeded. Either way the timeline is empty or shows no change to the
 * address space, and the summary's "mapped 0 B" would read as a fact about the program; the note
 * says what the log cannot show. strace(1): {@code -c}, {@code -Z}, {@code -e status=}.
 */
final class LogShape {

  private long calls;
  private long failed;
  private long summaryRows;

  void see(TraceEvent e) {
    if (e instanceof SyscallEvent s) {
      if (s.result() == null) {
        return;
      }
      calls++;
      if (s.result().failed()) {
        failed++;
      }
    } else if (e instanceof NoticeEvent n && n.kind() == NoticeEvent.Kind.SUMMARY) {
      summaryRows++;
    }
  }

  /** The note for the end of the run, or null when the log lists its calls as strace does. */
  String note() {
    if (calls == 0 && summaryRows > 0) {
      return "this log is strace's -c table (--summary-only): it counts the calls and lists none,"
          + " so it shows nothing of what they did to memory; trace without -c (or with -C, which"
          + " lists the calls and prints the table at the end)";
    }
    // one failed call alone is also a program whose execve failed
    if (calls > 1 && failed == calls) {
      return "every call in this log failed ("
          + calls
          + " calls): it fits a log made with -Z (--failed-only) or -e status=failed, which leave"
          + " out the calls that succeeded, so the mappings, brk moves and frees the program made"
          + " are not in it and the timeline shows none; trace without -Z for them";
    }
    return null;
  }
}
