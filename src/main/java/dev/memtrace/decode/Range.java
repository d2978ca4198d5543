package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/**
 * A call over a range of the address space given as {@code (addr, length, ...)}: mmap, munmap,
 * mprotect, madvise, mlock, msync, mbind, and mremap (its old range). The explain stage reads every
 * one of them the same way.
 */
public abstract sealed class Range extends Call
    permits Mmap, Munmap, Mprotect, Madvise, Mlock, Msync, Mremap, Mbind {

  Range(SyscallEvent e) {
    super(e);
  }

  /** The range's start (mmap's hint: 0 when the kernel chooses; mremap's old address). */
  public final OptionalLong addr() {
    return num(0);
  }

  /** The range's length (mremap's old length). */
  public final OptionalLong length() {
    return num(1);
  }
}
