package dev.memtrace.trace;

/**
 * One {@code -k} frame: {@code " > /path/obj(symbol+0x7) [0x101a07]"}. symbol and symbolOffset are
 * null when strace printed none; offset is the offset in the mapped file, not a runtime address. An
 * unwinder error line keeps its text in {@code object} with a null symbol.
 */
public record StackFrame(String object, String symbol, Long symbolOffset, Long offset) {}
