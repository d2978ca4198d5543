package dev.memtrace.correlate;

import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.Agreement;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a log into a {@link MemoryModel} from the log alone (no snapshot is given to the model)
 * and compares the model with every snapshot, by this rule:
 *
 * <ol>
 *   <li>The regions the kernel made at execve are those of the process's first snapshot after its
 *       execve that overlap nothing the model held then (nothing, in practice: the first memory
 *       call after execve is {@code brk(NULL)}). A forked child inherits its parent's. Their
 *       address ranges are <em>execve ranges</em>.
 *   <li>Kernel lines overlapping an execve range are left out: the trace never shows that memory
 *       being mapped, so the model cannot hold it (DESIGN: it appears only when a snapshot told the
 *       model about it). This includes execve regions the trace later re-protected (RELRO) and
 *       anything the kernel merged into them.
 *   <li>Every other kernel line must be a region of the model with the same start, end,
 *       permissions, offset and file ({@link Agreement}); and every model region outside the execve
 *       ranges must be such a kernel line. So the model holds exactly what the trace made, and
 *       nothing the kernel does not show.
 *   <li>A snapshot is not an instant of the log: another thread of the same process keeps running
 *       while strace holds the snapshotted one, so the kernel may already show a call whose line
 *       comes later; and on a loaded machine the maps may be read after the hold ended. So a
 *       snapshot passes when the model agrees with it at its line or after any later event within
 *       {@value #WINDOW} lines (strace keeps printing other threads' lines into the FIFO while the
 *       snapshotted task is held, so the reader can be that far behind). Such late agreements are
 *       counted. This also covers a forked child whose first calls are printed before its parent's
 *       clone returns: until then the model cannot know whose copy the child is.
 * </ol>
 */
public final class ReplayCheck {

  /** How many log lines after its own a snapshot may reflect. */
  public static final int WINDOW = 100;

  public record Mismatch(int line, int pid, List<String> modelOnly, List<String> kernelOnly) {
    @Override
    public String toString() {
      return "line "
          + line
          + " pid "
          + pid
          + "\n  model only:  "
          + String.join("\n               ", modelOnly)
          + "\n  kernel only: "
          + String.join("\n               ", kernelOnly);
    }
  }

  public record Result(int compared, int regionsCompared, int late, List<Mismatch> mismatches) {}

  /** A snapshot that did not agree yet, waiting for a later state of the model to agree. */
  private record Open(Snapshot s, Mismatch first) {}

  public static Result run(Path log, Path snapshots) throws IOException {
    List<Snapshot> snaps = SnapshotFile.read(snapshots).snapshots();
    SnapshotQueue pending = new SnapshotQueue(snaps);
    MemoryModel model = new MemoryModel();
    Map<Integer, List<long[]>> execRanges = new HashMap<>();
    Map<Integer, Boolean> awaitingExec = new HashMap<>();
    List<Mismatch> mismatches = new ArrayList<>();
    List<Open> open = new ArrayList<>();
    int[] counts = new int[3];
    try (InputStream in = Files.newInputStream(log);
        TraceReader reader = new TraceReader(in, log.toString(), null)) {
      for (TraceEvent e = reader.next(); ; e = reader.next()) {
        List<Snapshot> due = e == null ? pending.rest() : pending.before(e);
        for (Snapshot s : due) {
          due(model, s, execRanges, awaitingExec, mismatches, open, counts);
        }
        if (e == null) {
          break;
        }
        TraceEvent applied = e;
        open.removeIf(
            o -> {
              if (applied.line() > o.s().line() + WINDOW) {
                mismatches.add(o.first());
                return true;
              }
              return false;
            });
        model.apply(e);
        if (e instanceof SyscallEvent c && c.succeeded()) {
          int pid = c.pid() == null ? 0 : c.pid();
          if (c.name().startsWith("execve")) {
            awaitingExec.put(pid, true);
            execRanges.remove(pid);
          } else if (c.name().startsWith("clone") || c.name().endsWith("fork")) {
            int child = (int) c.result().value().getAsLong();
            if (!awaitingExec.containsKey(child)) { // unless it ran an execve before this returned
              execRanges.putIfAbsent(child, execRanges.getOrDefault(pid, List.of()));
            }
          }
        }
        open.removeIf(
            o -> {
              if (compare(model, o.s(), execRanges.getOrDefault(o.s().pid(), List.of()), null)
                  == null) {
                counts[2]++;
                return true;
              }
              return false;
            });
        for (Snapshot s : pending.after(e)) {
          due(model, s, execRanges, awaitingExec, mismatches, open, counts);
        }
      }
    }
    open.forEach(o -> mismatches.add(o.first()));
    return new Result(counts[0], counts[1], counts[2], mismatches);
  }

  /** What checking with snapshots given did: differences reported, and snapshots not taken over. */
  public record Resync(int checked, int reported, List<String> notEqualAfter) {}

  /**
   * Replays with the snapshots given to the model: each is checked ({@link Correlator}), then the
   * model must hold exactly that snapshot, line for line as {@code /proc/PID/maps} printed it.
   */
  public static Resync resync(Path log, Path snapshots) throws IOException {
    SnapshotQueue pending = new SnapshotQueue(SnapshotFile.read(snapshots).snapshots());
    MemoryModel model = new MemoryModel();
    Correlator correlator = new Correlator(model);
    List<String> notEqual = new ArrayList<>();
    int[] counts = new int[2];
    try (InputStream in = Files.newInputStream(log);
        TraceReader reader = new TraceReader(in, log.toString(), null)) {
      for (TraceEvent e = reader.next(); ; e = reader.next()) {
        for (Snapshot s : e == null ? pending.rest() : pending.before(e)) {
          resyncOne(model, correlator, s, notEqual, counts);
        }
        if (e == null) {
          break;
        }
        model.apply(e);
        for (Snapshot s : pending.after(e)) {
          resyncOne(model, correlator, s, notEqual, counts);
        }
      }
    }
    return new Resync(counts[0], counts[1], notEqual);
  }

  private static void resyncOne(
      MemoryModel model, Correlator correlator, Snapshot s, List<String> notEqual, int[] counts) {
    if (s.maps() == null || s.torn()) {
      return;
    }
    counts[0]++;
    counts[1] += (int) correlator.check(s).stream().filter(c -> !c.contains(" learnt ")).count();
    String held =
        model.space(s.pid()).regions().stream()
            .map(r -> MapsFormat.line(r) + "\n")
            .reduce("", String::concat);
    if (!held.equals(s.maps())) {
      notEqual.add("line " + s.line() + " pid " + s.pid());
    }
  }

  private static void due(
      MemoryModel model,
      Snapshot s,
      Map<Integer, List<long[]>> execRanges,
      Map<Integer, Boolean> awaitingExec,
      List<Mismatch> mismatches,
      List<Open> open,
      int[] counts) {
    if (s.maps() == null || s.torn()) {
      return; // a torn read is no address space at any moment: nothing to agree with
    }
    List<long[]> exec = execFor(model, s, execRanges, awaitingExec);
    Mismatch m = compare(model, s, exec, counts);
    if (m != null) {
      open.add(new Open(s, m));
    }
  }

  private static List<long[]> execFor(
      MemoryModel model,
      Snapshot s,
      Map<Integer, List<long[]>> execRanges,
      Map<Integer, Boolean> awaitingExec) {
    List<Region> kernel = MapsFormat.parse(s.maps());
    AddressSpace space = model.space(s.pid());
    List<Region> mine = space == null ? List.of() : space.regions();
    if (awaitingExec.remove(s.pid()) != null) {
      List<long[]> ranges = new ArrayList<>();
      for (Region k : kernel) {
        if (mine.stream().noneMatch(m -> overlaps(m, k.start(), k.end()))) {
          ranges.add(new long[] {k.start(), k.end()});
        }
      }
      execRanges.put(s.pid(), ranges);
    }
    return execRanges.getOrDefault(s.pid(), List.of());
  }

  /** Null when the model agrees with the snapshot, else what differs. */
  private static Mismatch compare(MemoryModel model, Snapshot s, List<long[]> exec, int[] counts) {
    List<Region> kernel = MapsFormat.parse(s.maps());
    AddressSpace space = model.space(s.pid());
    List<Region> mine = space == null ? List.of() : space.regions();
    List<Region> k2 = kernel.stream().filter(k -> !inExec(k, exec)).toList();
    List<Region> m2 = mine.stream().filter(m -> !inExec(m, exec)).toList();
    List<String> modelOnly = new ArrayList<>();
    List<String> kernelOnly = new ArrayList<>();
    for (Region m : m2) {
      if (k2.stream().noneMatch(k -> Agreement.same(m, k))) {
        modelOnly.add(MapsFormat.line(m));
      }
    }
    for (Region k : k2) {
      if (m2.stream().noneMatch(m -> Agreement.same(m, k))) {
        kernelOnly.add(MapsFormat.line(k));
      }
    }
    if (counts != null) {
      counts[0]++;
      counts[1] += k2.size();
    }
    return modelOnly.isEmpty() && kernelOnly.isEmpty()
        ? null
        : new Mismatch(s.line(), s.pid(), modelOnly, kernelOnly);
  }

  private static boolean inExec(Region r, List<long[]> exec) {
    for (long[] x : exec) {
      if (r.start() < x[1] && r.end() > x[0]) {
        return true;
      }
    }
    return false;
  }

  private static boolean overlaps(Region r, long lo, long hi) {
    return r.start() < hi && r.end() > lo;
  }
}
