package dev.memtrace.explain;

import dev.memtrace.decode.Call;
import dev.memtrace.decode.Mmap;
import dev.memtrace.decode.Mremap;
import dev.memtrace.decode.Munmap;
import dev.memtrace.model.TraceEnd;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.SyscallEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts kept as events leave the explain stage: calls per syscall, memory events explained or not,
 * failed calls, bytes mapped and unmapped. The summary prints them; tests assert on them.
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
  private final List<TraceEnd> ends = new ArrayList<>();

  /** The count of a syscall, made on first use. */
  Count countOf(String name) {
    return calls.computeIfAbsent(name, k -> new Count());
  }

  /**
   * Counts an event leaving the stage.
   *
   * @param c the count of its syscall ({@link #countOf}), when it is a call
   */
  void count(AnnotatedEvent a, Count c, boolean memory, boolean hasWhy) {
    String name = null;
    if (a.event() instanceof SyscallEvent s) {
      name = s.name();
      TraceEnd end = s.result() == null ? TraceEnd.of(s) : null;
      if (end != null) {
        ends.add(end);
      }
      if (c == null) {
        c = countOf(name);
      }
      c.calls++;
      if (s.result() != null && s.result().failed()) {
        c.errors++;
      }
      if (s.succeeded()) {
        bytes(a, s);
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

  /** Bytes mapped and unmapped, read from the typed call (the model's, or decoded here). */
  private void bytes(AnnotatedEvent a, SyscallEvent s) {
    if (s.args() == null) {
      return;
    }
    switch (s.name()) {
      case "mmap", "mmap2", "munmap", "mremap" -> {
        Call call = a.call() != null ? a.call() : Call.of(s);
        if (call instanceof Mmap m) {
          mapped += Math.max(0, m.length().orElse(0));
        } else if (call instanceof Munmap m) {
          unmapped += Math.max(0, m.length().orElse(0));
        } else if (call instanceof Mremap m && m.size() > 2) {
          long d = m.newLength().orElse(0) - m.length().orElse(0);
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

  /** The execves at which a task's trace ends (strace detached there, or it fits), in order. */
  public List<TraceEnd> traceEnds() {
    return List.copyOf(ends);
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
