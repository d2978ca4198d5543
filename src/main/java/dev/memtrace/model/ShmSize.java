package dev.memtrace.model;

/**
 * A System V shared memory segment's size and the line that told it: the shmget that made the
 * segment (or found it, when none had told it before), or an shmctl IPC_STAT, whose shm_segsz is
 * the kernel's own.
 *
 * @param stat whether an shmctl IPC_STAT told it
 */
public record ShmSize(long size, int line, boolean stat) {}
