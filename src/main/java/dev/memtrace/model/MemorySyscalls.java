package dev.memtrace.model;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The system calls that concern memory, one row each (written grouped by traits), with what each
 * stage needs to know of them as properties of the row: whether strace counts it in its {@code
 * %memory} class (the explain stage's rules and the summary's memory events), whether the model
 * applies it to an address space, and whether it replaces the address space (execve, shown among
 * the memory events of a timeline although strace files it under {@code %process}).
 */
public final class MemorySyscalls {

  /** What a row says of its call. */
  public enum Trait {
    /** In strace's {@code %memory} class (linux/x86_64/syscallent.h, TM). */
    MEMORY_CLASS,
    /** The model changes an address space by it ({@code MemoryCalls}). */
    MODELLED,
    /** It gives the process a new address space. */
    NEW_SPACE
  }

  private static final Map<String, Set<Trait>> ROWS = new HashMap<>();

  static {
    rows(
        EnumSet.of(Trait.MEMORY_CLASS, Trait.MODELLED),
        "mmap",
        "mmap2",
        "munmap",
        "mprotect",
        "pkey_mprotect",
        "mremap",
        "brk",
        "madvise",
        "mlock",
        "mlock2",
        "munlock",
        "mbind",
        "mlockall",
        "munlockall",
        "shmat",
        "shmdt",
        // io_setup maps the AIO completion ring itself and io_destroy unmaps it (fs/aio.c)
        "io_setup",
        "io_destroy");
    rows(
        EnumSet.of(Trait.MEMORY_CLASS),
        "old_mmap",
        "process_madvise",
        "msync",
        "mincore",
        "remap_file_pages",
        "set_mempolicy",
        "get_mempolicy",
        "mseal");
    rows(EnumSet.of(Trait.NEW_SPACE), "execve", "execveat");
  }

  /** Calls with the same traits, a row each. */
  private static void rows(Set<Trait> traits, String... names) {
    for (String name : names) {
      ROWS.put(name, Set.copyOf(traits));
    }
  }

  private MemorySyscalls() {}

  public static boolean is(String name, Trait trait) {
    Set<Trait> row = ROWS.get(name);
    return row != null && row.contains(trait);
  }

  /** In strace's %memory class: what the explain stage explains and the summary counts. */
  public static boolean inMemoryClass(String name) {
    return is(name, Trait.MEMORY_CLASS);
  }

  /** A memory event in a timeline even when it failed or changed nothing: a memory call, execve. */
  public static boolean shownAsMemory(String name) {
    return ROWS.containsKey(name);
  }
}
