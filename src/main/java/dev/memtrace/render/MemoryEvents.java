package dev.memtrace.render;

import dev.memtrace.model.MemorySyscalls;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.SyscallEvent;

/**
 * Which events count as memory events for "memory only" views: those that changed the address space
 * or used a buffer in it, and the calls of {@link MemorySyscalls} (every call the summary counts as
 * a memory event, and execve) even when they failed or changed nothing.
 */
public final class MemoryEvents {

  public static boolean isMemoryEvent(AnnotatedEvent a) {
    return !a.changes().isEmpty()
        || a.buffer() != null
        || (a.event() instanceof SyscallEvent s && MemorySyscalls.shownAsMemory(s.name()));
  }

  private MemoryEvents() {}
}
