/**
 * A small reader of ELF64 little-endian files (the x86-64 and aarch64 Linux formats), enough to
 * tell what the kernel maps at execve and what a mapped page holds: the file type (ET_EXEC at its
 * link address, ET_DYN placed anywhere), the {@code PT_LOAD} segments, {@code PT_INTERP}, {@code
 * PT_GNU_RELRO}, the GNU build id, the allocated sections and the symbol table. Field offsets are
 * those of the System V ABI (elf(5)). Nothing here knows about traces or memory models; {@link
 * dev.memtrace.elf.ElfFiles} finds a trace's paths on this machine or under a root.
 */
package dev.memtrace.elf;
