package dev.memtrace.elf;

import java.io.IOException;

/** A file that cannot be read as an ELF64 little-endian file; the message says why, in one line. */
public final class ElfException extends IOException {

  public ElfException(String message) {
    super(message);
  }
}
