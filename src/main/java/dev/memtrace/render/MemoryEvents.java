package dev.memtrace.render;

import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.trace.SyscallEvent;
import java.util.Set;

/**
 * Which events count as memory events for "memory only" views: those that changed the address
 * space or used a buffer in it, and the memory syscalls even when they failed or changed nothing.
 */
public final class MemoryEvents {

  public static final Set<String> NAMES =
      Set.of(
          "mmap", "mmap2", "munmap", "mprotect", "pkey_mprotect", "brk", "mremap", "madvise",
          "mlock", "mlock2", "munlock", "mlockall", "munlockall", "msync", "mincore",
          "remap_file_pages", "shmat", "shmdt", "process_madvise", "execve", "execveat");

  public static boolean isMemoryEvent(AnnotatedEvent a) {
    return !a.changes().isEmpty()
        || a.buffer() != null
        || (a.event() instanceof SyscallEvent s && NAMES.contains(s.name()));
  }

  private MemoryEvents() {}
}
