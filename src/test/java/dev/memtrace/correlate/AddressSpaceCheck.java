package dev.memtrace.correlate;

import dev.memtrace.elf.ElfFiles;
import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.Agreement;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole address space, replayed from the log alone, against every snapshot: unlike {@link
 * ReplayCheck} nothing the kernel mapped at execve is left out, only the regions whose address no
 * call shows ({@code [stack]}, {@code [vdso]}, {@code [vvar]}, {@code [vvar_vclock]}, {@code
 * [vsyscall]}). The model reads the ELF headers of the files the trace names on this machine, in
 * two readings of the log as {@code memtrace maps} does: the first learns the load biases, the
 * second places the images from their execve on. No snapshot is given to the model.
 *
 * <p>For each snapshot, each kernel region counts as matched when the model holds one with the same
 * start, end, permissions, offset and file ({@link Agreement}); each model region the kernel does
 * not show counts as extra. A snapshot is taken at the model's state after its line, or the first
 * state within {@link ReplayCheck#WINDOW} lines after it that agrees completely (another thread
 * runs on while strace holds the snapshotted one).
 */
public final class AddressSpaceCheck {

  /** Names of regions the trace never places. */
  public static final Set<String> UNPLACED =
      Set.of("[stack]", "[vdso]", "[vvar]", "[vvar_vclock]", "[vsyscall]");

  /** Counts over all snapshots, and over each process's first snapshot. */
  public record Figures(
      int snapshots,
      int kernel,
      int matched,
      int extra,
      int firstSnapshots,
      int firstKernel,
      int firstMatched,
      List<String> misses) {
    public double share() {
      return kernel == 0 ? 1 : (double) matched / kernel;
    }

    @Override
    public String toString() {
      return String.format(
          "%d snapshots: %d/%d kernel regions (%.2f%%), %d extra; first" + " snapshots %d: %d/%d",
          snapshots,
          matched,
          kernel,
          100 * share(),
          extra,
          firstSnapshots,
          firstMatched,
          firstKernel);
    }
  }

  private record Score(int kernel, int matched, int extra, List<String> misses) {
    boolean perfect() {
      return matched == kernel && extra == 0;
    }
  }

  private record Open(Snapshot s, Score first, boolean firstOfProcess) {}

  public static Figures run(Path log, Path snapshots) throws IOException {
    return run(log, snapshots, ElfFiles.local());
  }

  /** The same with the given files; null replays as a model that reads no file. */
  public static Figures run(Path log, Path snapshots, ElfFiles files) throws IOException {
    MemoryModel first = new MemoryModel(files, null);
    replay(log, first, null);
    MemoryModel model = new MemoryModel(files, first.hints());
    List<Snapshot> snaps = SnapshotFile.read(snapshots).snapshots();
    int[] c = new int[7];
    List<String> misses = new ArrayList<>();
    Set<Integer> seenPids = new HashSet<>();
    List<Open> open = new ArrayList<>();
    SnapshotQueue pending = new SnapshotQueue(snaps);
    try (InputStream in = Files.newInputStream(log);
        TraceReader reader = new TraceReader(in, log.toString(), null)) {
      for (TraceEvent e = reader.next(); ; e = reader.next()) {
        List<Snapshot> due = new ArrayList<>(e == null ? pending.rest() : pending.before(e));
        if (e != null) {
          int line = e.line();
          open.removeIf(
              o -> {
                if (line > o.s().line() + ReplayCheck.WINDOW) {
                  count(c, o.first(), o.firstOfProcess(), misses, o.s());
                  return true;
                }
                return false;
              });
          model.apply(e);
          open.removeIf(
              o -> {
                Score now = score(model, o.s());
                if (now.perfect()) {
                  count(c, now, o.firstOfProcess(), misses, o.s());
                  return true;
                }
                return false;
              });
          due.addAll(pending.after(e));
        }
        for (Snapshot s : due) {
          if (s.maps() == null) {
            continue;
          }
          boolean firstOfProcess = seenPids.add(model.processOf(s.pid()));
          Score sc = score(model, s);
          if (sc.perfect() || e == null) {
            count(c, sc, firstOfProcess, misses, s);
          } else {
            open.add(new Open(s, sc, firstOfProcess));
          }
        }
        if (e == null) {
          break;
        }
      }
    }
    open.forEach(o -> count(c, o.first(), o.firstOfProcess(), misses, o.s()));
    return new Figures(c[0], c[1], c[2], c[3], c[4], c[5], c[6], misses);
  }

  private static void count(
      int[] c, Score sc, boolean firstOfProcess, List<String> misses, Snapshot s) {
    c[0]++;
    c[1] += sc.kernel();
    c[2] += sc.matched();
    c[3] += sc.extra();
    if (firstOfProcess) {
      c[4]++;
      c[5] += sc.kernel();
      c[6] += sc.matched();
    }
    for (String m : sc.misses()) {
      misses.add("line " + s.line() + " pid " + s.pid() + ": " + m);
    }
  }

  private static Score score(MemoryModel model, Snapshot s) {
    List<Region> kernel =
        MapsFormat.parse(s.maps()).stream().filter(k -> !UNPLACED.contains(k.path())).toList();
    AddressSpace space = model.space(s.pid());
    List<Region> mine = space == null ? List.of() : space.regions();
    int matched = 0;
    List<String> misses = new ArrayList<>();
    for (Region k : kernel) {
      if (mine.stream().anyMatch(m -> Agreement.same(m, k))) {
        matched++;
      } else {
        misses.add("kernel only " + MapsFormat.line(k));
      }
    }
    int extra = 0;
    for (Region m : mine) {
      if (kernel.stream().noneMatch(k -> Agreement.same(m, k))) {
        extra++;
        misses.add("model only  " + MapsFormat.line(m));
      }
    }
    return new Score(kernel.size(), matched, extra, misses);
  }

  private static void replay(Path log, MemoryModel model, Map<String, long[]> unused)
      throws IOException {
    try (InputStream in = Files.newInputStream(log);
        TraceReader reader = new TraceReader(in, log.toString(), null)) {
      for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
        model.apply(e);
      }
    }
  }

  /** {@code AddressSpaceCheck PREFIX...}: the figures of PREFIX.log against PREFIX.maps.jsonl. */
  public static void main(String[] args) throws IOException {
    for (String prefix : args) {
      Figures f =
          run(
              Path.of(prefix + ".log"),
              Path.of(prefix + ".maps.jsonl"),
              Boolean.getBoolean("noelf") ? null : ElfFiles.local());
      System.out.println(Path.of(prefix).getFileName() + ": " + f);
      f.misses().stream()
          .limit(Integer.getInteger("misses", 0))
          .forEach(m -> System.out.println("  " + m));
    }
  }
}
