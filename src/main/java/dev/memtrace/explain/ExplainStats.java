package dev.memtrace.explain;

import dev.memtrace.trace.SyscallEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts kept as events leave the explain stage: calls per syscall, memory events explained or
 * not, failed calls, bytes mapped and unmapped. The summary prints them; tests assert on them.
 */
public final class ExplainStats {
  /** Per syscall: calls, failures. */
  public static final class Count {
    public long calls;
    public long errors;
  }

  private final Map<String, Count> calls = new HashMap<>();
  private final Map<String, Long> unexplainedBySyscall = new TreeMap<>();
  private long memoryEvents;
  private long explained;
  private long mapped;
  private long unmapped;

  void count(AnnotatedEvent a, boolean memory, boolean hasWhy) {
    String name = a.event() instanceof SyscallEvent s ? s.name() : null;
    if (name != null) {
      Count c = calls.computeIfAbsent(name, k -> new Count());
      c.calls++;
      if (s(a).result() != null && s(a).result().failed()) {
        c.errors++;
      }
      if (s(a).succeeded()) {
        bytes(s(a));
      }
    }
    if (memory) {
      memoryEvents++;
      if (hasWhy) {
        explained++;
      } else {
        unexplainedBySyscall.merge(name == null ? "signal" : name, 1L, Long::sum);
      }
    }
  }

  private static SyscallEvent s(AnnotatedEvent a) {
    return (SyscallEvent) a.event();
  }

  private void bytes(SyscallEvent s) {
    String name = s.name();
    if (s.args() == null || !(name.equals("mmap") || name.equals("mmap2") || name.equals("munmap")
        || name.equals("mremap"))) {
      return;
    }
    var t = s.args().texts();
    switch (name) {
      case "mmap", "mmap2" -> mapped += t.size() > 1 ? Math.max(0, Num.parse(t.get(1))) : 0;
      case "munmap" -> unmapped += t.size() > 1 ? Math.max(0, Num.parse(t.get(1))) : 0;
      case "mremap" -> {
        if (t.size() > 2) {
          long d = Num.parse(t.get(2)) - Num.parse(t.get(1));
          if (d > 0) {
            mapped += d;
          } else {
            unmapped -= d;
          }
        }
      }
      default -> {
        // not a mapping call
      }
    }
  }

  /** Per syscall, by name. */
  public Map<String, Count> calls() {
    return new TreeMap<>(calls);
  }

  public Map<String, Long> unexplainedBySyscall() {
    return unexplainedBySyscall;
  }

  public long memoryEvents() {
    return memoryEvents;
  }

  public long explained() {
    return explained;
  }

  public long unexplained() {
    return memoryEvents - explained;
  }

  public long bytesMapped() {
    return mapped;
  }

  public long bytesUnmapped() {
    return unmapped;
  }

  /** Explained memory events as a percentage (100 when there are none). */
  public double explainedPercent() {
    return memoryEvents == 0 ? 100.0 : 100.0 * explained / memoryEvents;
  }
}
