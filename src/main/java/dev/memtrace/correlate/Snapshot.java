package dev.memtrace.correlate;

/**
 * {@code /proc/PID/maps} as read right after the call printed on {@code line} of the log returned
 * (strace held the task with {@code inject=...:delay_exit}). maps is null when it could not be
 * read (the task was gone).
 */
public record Snapshot(int line, int pid, String maps) {}
