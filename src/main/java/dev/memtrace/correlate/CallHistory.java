package dev.memtrace.correlate;

import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code maps --explain} and {@code where} cite about a region: the text of the call that made
 * it (memory calls and execve are remembered by line) and the line of the call that last changed it
 * (an mprotect that split it, a MAP_FIXED over part of it, a brk that grew it): for each address
 * space, the latest change that left a region starting at each address.
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
        m.put(after.start(), new long[] {after.end(), c.ref()});
      }
    }
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
    TreeMap<Long, long[]> m = changes.get(space);
    long[] c = m == null ? null : m.get(r.start());
    return c != null && c[0] == r.end() && c[1] > r.originLine() ? (int) c[1] : 0;
  }
}
