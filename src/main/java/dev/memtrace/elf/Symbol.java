package dev.memtrace.elf;

/** A function or object of the symbol table: name, link address, size. */
public record Symbol(String name, long value, long size, boolean function) {}
