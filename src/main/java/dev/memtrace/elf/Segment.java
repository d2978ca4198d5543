package dev.memtrace.elf;

/**
 * A program header (elf(5) Elf64_Phdr): type, flags (PF_X 1, PF_W 2, PF_R 4), where it lies in the
 * file and where it asks to be in memory.
 */
public record Segment(int type, int flags, long offset, long vaddr, long filesz, long memsz) {

  public static final int PT_LOAD = 1;
  public static final int PT_INTERP = 3;
  public static final int PT_NOTE = 4;
  public static final int PT_GNU_RELRO = 0x6474e552;

  /** The protection mmap gives it: PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4 (make_prot). */
  public int prot() {
    return ((flags & 4) != 0 ? 1 : 0) | ((flags & 2) != 0 ? 2 : 0) | ((flags & 1) != 0 ? 4 : 0);
  }
}
