package dev.memtrace.model;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The system calls that concern memory, one row each, with what each stage needs to know of
 * them as properties of the row: whether strace counts it in its {@code %memory} class (the
 * explain stage's rules and the summary's memory events), whether the model applies it to an
 * address space, and whether it replaces the address space (execve, shown among the memory events
 * of a timeline although strace files it under {@code %process}).
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
    Trait c = Trait.MEMORY_CLASS;
    Trait m = Trait.MODELLED;
    row("mmap", c, m);
    row("mmap2", c);
    row("old_mmap", c);
    row("munmap", c, m);
    row("mprotect", c, m);
    row("pkey_mprotect", c, m);
    row("mremap", c, m);
    row("brk", c, m);
    row("madvise", c, m);
    row("process_madvise", c);
    row("msync", c);
    row("mlock", c, m);
    row("mlock2", c, m);
    row("munlock", c, m);
    row("mlockall", c);
    row("munlockall", c);
    row("mincore", c);
    row("remap_file_pages", c);
    row("shmat", c, m);
    row("shmdt", c, m);
    row("mbind", c);
    row("set_mempolicy", c);
    row("get_mempolicy", c);
    row("mseal", c);
    row("execve", Trait.NEW_SPACE);
    row("execveat", Trait.NEW_SPACE);
  }

  private static void row(String name, Trait first, Trait... more) {
    ROWS.put(name, Set.copyOf(EnumSet.of(first, more)));
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
