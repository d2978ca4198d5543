package dev.memtrace.correlate;

import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code memtrace maps}: the address space the model holds after given lines of a log, in
 * {@code /proc/PID/maps} format under a {@code # line LINE pid PID} header.
 *
 * <p>"After line N" means after every call that had returned by the time line N was read: a call
 * split into unfinished and resumed halves counts at its resumed line (its memory changes at exit).
 * Snapshots on lines up to N are applied first. The pid is that of the event on line N, or of the
 * latest event before it; {@code ?} when the log has no pids at all. A process that is not known
 * (never named by a call) or has exited prints a {@code #} comment instead of regions.
 */
public final class MapsAt {

  private MapsAt() {}

  public static void write(TraceReader reader, List<Snapshot> snapshots, List<Integer> lines,
      PrintWriter out) throws IOException {
    ModelStage stage = new ModelStage(new MemoryModel(), snapshots);
    TreeSet<Integer> todo = new TreeSet<>(lines);
    Integer lastPid = null;
    boolean anyPid = false;
    int lastLine = 0;
    for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
      while (!todo.isEmpty() && todo.first() < e.line() && e.line() > lastLine) {
        int line = todo.pollFirst();
        stage.before(line + 1);
        print(out, stage.model(), line, lastPid, anyPid);
      }
      stage.annotate(e);
      if (e.line() >= lastLine) {
        lastLine = e.line();
        if (e.pid() != null) {
          lastPid = e.pid();
          anyPid = true;
        }
      }
    }
    stage.finish();
    for (int line : todo) {
      print(out, stage.model(), line, lastPid, anyPid);
    }
  }

  private static void print(PrintWriter out, MemoryModel model, int line, Integer pid,
      boolean anyPid) {
    out.println("# line " + line + " pid " + (anyPid ? String.valueOf(pid) : "?"));
    AddressSpace space = model.space(anyPid ? pid : null);
    if (space == null) {
      out.println("# no address space known for this process at this line"
          + " (not yet seen, or exited)");
      return;
    }
    for (Region r : space.regions()) {
      // the name as a terminal shows it safely: UTF-8, other bytes and controls as \xHH
      out.println(MapsFormat.line(new Region(r.start(), r.end(), r.perms(), r.offset(), r.dev(),
          r.inode(), RawText.terminalName(r.path()), r.originLine())));
    }
  }
}
