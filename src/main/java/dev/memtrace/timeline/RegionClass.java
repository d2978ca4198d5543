package dev.memtrace.timeline;

/**
 * What a region of the address space is for, in the spirit of Sysinternals VMMap's types, for
 * Linux. Each class has a short label for tables and JSON.
 */
public enum RegionClass {
  IMAGE_HEADERS("image: headers"),
  IMAGE_TEXT("image: text"),
  IMAGE_RODATA("image: rodata"),
  IMAGE_RELRO("image: relro"),
  IMAGE_DATA("image: data"),
  IMAGE_BSS("image: bss"),
  IMAGE_RESERVED("image: reserved span"),
  HEAP("heap (brk)"),
  MALLOC_ARENA("malloc arena"),
  MALLOC_MMAP("malloc mmap chunk"),
  LOADER_MALLOC("ld.so minimal malloc"),
  TLS("TLS + TCB"),
  MAIN_STACK("main stack"),
  THREAD_STACK("thread stack"),
  GUARD("guard page"),
  RESERVED("reserved (PROT_NONE)"),
  ANON("anonymous mmap"),
  FILE_PRIVATE("file mapping (private)"),
  FILE_SHARED("file mapping (shared)"),
  SHARED_MEMORY("shared memory"),
  VDSO("vdso"),
  VVAR("vvar"),
  VSYSCALL("vsyscall"),
  UNKNOWN("unknown");

  public final String label;

  RegionClass(String label) {
    this.label = label;
  }

  /** True for the classes that belong to an executable or shared object's image. */
  public boolean isImage() {
    return name().startsWith("IMAGE_");
  }
}
