package dev.memtrace.model;

import java.util.List;

/**
 * Read-only view of one address space (one mm) as the model holds it after the event being
 * processed. Lookups by address are logarithmic.
 */
public interface AddressSpaceView {

  /** The region containing the address, or null. */
  Region regionAt(long address);

  /** The nearest region starting at or below the address, or null. */
  Region regionAtOrBelow(long address);

  /** The nearest region starting above the address, or null. */
  Region regionAbove(long address);

  /** All regions, sorted by address. */
  List<Region> regions();

  /**
   * The regions a fork leaves out of the child, sorted by address: those marked VM_DONTCOPY
   * (madvise MADV_DONTFORK), which dup_mmap skips, so the child has no mapping there at all.
   */
  default List<Region> notCopiedOnFork() {
    return List.of();
  }

  /**
   * The regions marked VM_LOCKED, sorted by address: locked by mlock, mlock2, mlockall or
   * MAP_LOCKED, or made while an mlockall(MCL_FUTURE) was in force. A fork child's copies of them
   * are not locked (dup_mmap clears VM_LOCKED).
   */
  default List<Region> locked() {
    return List.of();
  }

  /**
   * For a region a fork child got from its parent (dup_mmap), "the fork at line F copied it from
   * process P", or for a shared mapping that it gave it, shared (no data is copied); null for one
   * the child made, or in a space no fork the trace shows made.
   */
  default String forkCopied(Region r) {
    return null;
  }

  /**
   * The line of the fork (a clone without CLONE_VM) that made this space a copy of its parent's
   * (dup_mmap); 0 for a space an execve or the start of the trace made.
   */
  default int forkLine() {
    return 0;
  }

  /**
   * The line of a clone that made a thread sharing this space in a log that shows no pid: strace
   * followed only the calling task (no -f, or one file of an -ff set read alone), so what the
   * threads mapped is not in the log; 0 when the log shows none such.
   */
  default int untracedClone() {
    return 0;
  }

  /** The pid of the process whose space the fork at {@link #forkLine} copied; 0 when none. */
  default int forkParent() {
    return 0;
  }

  /**
   * The program this space runs, as the execve that made it named it ({@code /proc/self/exe}
   * resolved when the trace showed what it links to), or as /proc/PID/exe showed it when run -p
   * attached; null when neither shows it.
   */
  String exe();

  /**
   * The interpreter execve mapped in place of {@link #exe} when that is a {@code #!} script whose
   * first line the model read (fs/binfmt_script.c: the kernel runs the interpreter, which then
   * reads the script); null for a program that is an ELF file itself, or when the script was not
   * read.
   */
  default String interpreter() {
    return null;
  }

  /**
   * Whether the program execve mapped names a loader (PT_INTERP): FALSE when its ELF headers were
   * read and name none (a statically linked program: no ld.so runs), TRUE when they name one, null
   * when they were not read (or no execve made this space).
   */
  default Boolean programInterp() {
    return null;
  }
}
