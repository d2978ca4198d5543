package dev.memtrace.correlate;

import dev.memtrace.decode.Call;
import dev.memtrace.decode.Mmap;
import dev.memtrace.decode.Range;
import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.Agreement;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What {@code maps --explain} and {@code where} cite about a region: the text of the call that made
 * it (memory calls and execve are remembered by line) and the line of the call that last changed it
 * (an mprotect of it or of the memory next to it, a MAP_FIXED over part of it, a brk that grew it),
 * and whether that call only cut it out of a larger area: for each address space, the latest change
 * that left a region starting at each address.
 */
public final class CallHistory {

  private final Map<Integer, String> texts = new HashMap<>();
  private final Map<Integer, String> names = new HashMap<>();
  private final Map<AddressSpace, TreeMap<Long, long[]>> changes = new IdentityHashMap<>();

  /** Takes note of an event the model has applied, with the changes it made. */
  public void record(MemoryModel model, TraceEvent e, List<RegionChange> made) {
    if (!(e instanceof SyscallEvent c)) {
      return;
    }
    if (MemoryModel.isMemoryCall(c.name()) || c.name().startsWith("execve")) {
      texts.put(c.ref(), c.source().oneLine());
      names.put(c.ref(), c.name());
    }
    if (made.isEmpty()) {
      return;
    }
    AddressSpace space = model.space(c.pid());
    if (space == null) {
      return;
    }
    TreeMap<Long, long[]> m = changes.computeIfAbsent(space, s -> new TreeMap<>());
    // a region the call took away is no longer the one its entry names: a region a snapshot later
    // shows at the same place (a late one, or one after a call the trace missed) was not left by
    // this call (git gc's loose objects, mapped one after another at one address)
    for (RegionChange ch : made) {
      if (ch.after() == null && ch.before() != null) {
        m.remove(ch.before().start());
      }
    }
    for (RegionChange ch : made) {
      Region after = ch.after();
      if (after != null) {
        // a region the call's own range reaches was its subject (an mremap that shrinks it, a
        // MAP_FIXED of the same kind over part of it), not memory next to it
        boolean cut = cutFrom(after, made) && !reaches(model.call(), after);
        m.put(after.start(), new long[] {after.end(), c.ref(), cut ? 1 : 0});
      }
    }
  }

  /**
   * Whether the call's range (an mmap's where it returned, an mremap's old one) reaches the region;
   * false for a call with no range (brk) or one the line does not give.
   */
  private static boolean reaches(Call call, Region r) {
    if (!(call instanceof Range c) || c.length().isEmpty()) {
      return false;
    }
    OptionalLong at = c instanceof Mmap ? c.ret() : c.addr();
    if (at.isEmpty()) {
      return false;
    }
    long from = at.getAsLong();
    long to = from + c.length().getAsLong();
    return Long.compareUnsigned(r.start(), to) < 0 && Long.compareUnsigned(from, r.end()) < 0;
  }

  /**
   * Whether the call only cut this region out of one it had before, all else kept: it covered the
   * memory next to it (an mprotect of the part beside it, a munmap of the rest), not the region.
   */
  private static boolean cutFrom(Region after, List<RegionChange> made) {
    for (RegionChange ch : made) {
      Region before = ch.before();
      if (before != null
          && before.start() <= after.start()
          && after.end() <= before.end()
          && before.size() != after.size()
          // the same memory as maps shows it, whichever call's part of a merged area the model
          // names it after
          && Agreement.same(before.slice(after.start(), after.end()), after)) {
        return true;
      }
    }
    return false;
  }

  /** The text of a memory call or execve on this line, or null. */
  public String text(int line) {
    return texts.get(line);
  }

  /** The syscall of a memory call or execve on this line (mremap, mmap...), or null. */
  public String name(int line) {
    return names.get(line);
  }

  /** The line of the latest call that left exactly this region, or 0 when none changed it. */
  public int lastChange(AddressSpace space, Region r) {
    long[] c = latest(space, r);
    return c == null ? 0 : (int) c[1];
  }

  /**
   * Whether the latest call that left exactly this region ({@link #lastChange}) only cut it out of
   * a larger one, covering the memory next to it: the kernel splits an area a call covers in part.
   */
  public boolean lastChangeOnlyCut(AddressSpace space, Region r) {
    long[] c = latest(space, r);
    return c != null && c[2] == 1;
  }

  private long[] latest(AddressSpace space, Region r) {
    TreeMap<Long, long[]> m = changes.get(space);
    long[] c = m == null ? null : m.get(r.start());
    return c != null && c[0] == r.end() && c[1] > r.originLine() ? c : null;
  }
}
