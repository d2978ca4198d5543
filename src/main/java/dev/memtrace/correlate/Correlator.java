package dev.memtrace.correlate;

import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.Agreement;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.trace.RawText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Checks the model against a snapshot of {@code /proc/PID/maps} and then makes the snapshot the
 * model's truth. Every difference becomes one sentence naming the region and saying what the model
 * held and what the kernel showed. The first snapshot of an address space also teaches the model
 * what the kernel mapped without a call in the trace (the executable, ld.so, {@code [stack]},
 * {@code [vdso]}, {@code [vvar]}, {@code [vsyscall]}, or anything mapped before an attach): those
 * lines are learnt, not reported, when they overlap nothing the model holds.
 */
public final class Correlator {

  private final MemoryModel model;
  private final Set<AddressSpace> synced = Collections.newSetFromMap(new IdentityHashMap<>());
  private int mismatches;

  public Correlator(MemoryModel model) {
    this.model = model;
  }

  /** How many differences all checks so far found. */
  public int mismatches() {
    return mismatches;
  }

  /** Checks and resyncs; returns what to report (empty when the model agreed). */
  public List<String> check(Snapshot s) {
    if (s.maps() == null) {
      return List.of("snapshot: /proc/" + s.pid() + "/maps could not be read after this call");
    }
    List<Region> kernel = MapsFormat.parse(s.maps());
    if (Snapshot.torn(kernel)) {
      return List.of(
          "snapshot: /proc/"
              + s.pid()
              + "/maps was read while another thread changed the address space (two of its"
              + " lines overlap); not compared");
    }
    if (kernel.isEmpty()) {
      // a live process always has a [stack] at least; an empty maps file is a task whose memory
      // the kernel has already released (exit_mm), read after the exit hold ended
      return List.of(
          "snapshot: /proc/"
              + s.pid()
              + "/maps was empty: the process had already given up its address space (it was"
              + " exiting) when it was read; not compared");
    }
    AddressSpace space = model.spaceFor(s.pid());
    boolean first = synced.add(space);
    List<Region> mine = space.regions();
    String program = space.program() != null ? space.program() : space.exe();
    if (!first
        && program != null
        && program.startsWith("/")
        && holds(mine, program)
        && !holds(kernel, program)) {
      // the kernel unmaps the old program only at an execve (exec_mmap): a snapshot read late,
      // after the process had run the next one, shows that program's space
      return List.of(
          "snapshot: /proc/"
              + s.pid()
              + "/maps shows no "
              + RawText.name(program)
              + ", the program this address space runs: it was most likely read late, after the"
              + " process had run another program with execve; not compared");
    }
    List<String> out = new ArrayList<>();
    int learnt = 0;
    for (Region k : kernel) {
      if (matches(k, mine)) {
        continue;
      }
      List<Region> over = overlapping(k, mine);
      if (over.isEmpty()) {
        if (first) {
          learnt++;
        } else {
          out.add("snapshot: the kernel has " + describe(k) + ", the model had nothing there");
        }
      } else {
        out.add(
            "snapshot: the kernel has "
                + describe(k)
                + ", the model had "
                + String.join(" and ", over.stream().map(Correlator::describe).toList()));
      }
    }
    for (Region m : mine) {
      if (!matches(m, kernel) && overlapping(m, kernel).isEmpty()) {
        out.add("snapshot: the model had " + describe(m) + ", the kernel has nothing there");
      }
    }
    mismatches += out.size();
    model.resync(s.pid(), kernel);
    model.attached(s.pid(), s.threads(), s.exe());
    if (learnt > 0) {
      out.add(
          0,
          "snapshot: learnt "
              + learnt
              + " region"
              + (learnt == 1 ? "" : "s")
              + " the trace did not show being mapped (by the kernel at execve, or before the trace)");
    }
    return out;
  }

  private static boolean holds(List<Region> regions, String path) {
    for (Region r : regions) {
      if (r.path().equals(path)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Region r, List<Region> others) {
    for (Region o : overlapping(r, others)) {
      if (Agreement.same(o, r) || Agreement.same(r, o)) {
        return true;
      }
    }
    return false;
  }

  private static List<Region> overlapping(Region r, List<Region> others) {
    List<Region> out = new ArrayList<>();
    int i = lowerBound(others, r.start());
    for (int j = Math.max(0, i - 1); j < others.size(); j++) {
      Region o = others.get(j);
      if (Long.compareUnsigned(o.start(), r.end()) >= 0) {
        break;
      }
      if (Long.compareUnsigned(o.end(), r.start()) > 0) {
        out.add(o);
      }
    }
    return out;
  }

  private static int lowerBound(List<Region> sorted, long start) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(sorted.get(mid).start(), start) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static String describe(Region r) {
    String what = r.path().isEmpty() ? "anonymous" : RawText.name(r.path());
    return Long.toHexString(r.start())
        + "-"
        + Long.toHexString(r.end())
        + " "
        + r.perms()
        + (r.offset() != 0 ? " @" + Long.toHexString(r.offset()) : "")
        + " "
        + what;
  }
}
