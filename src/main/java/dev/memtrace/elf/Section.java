package dev.memtrace.elf;

/**
 * A section header that takes memory (SHF_ALLOC): its name, link address and size; nobits for
 * {@code .bss}-like sections, which take memory but no file bytes.
 */
public record Section(String name, long addr, long size, boolean nobits) {

  public long end() {
    return addr + size;
  }
}
