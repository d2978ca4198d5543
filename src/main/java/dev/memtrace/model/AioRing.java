package dev.memtrace.model;

import dev.memtrace.decode.LinuxFlags;

/**
 * The AIO completion ring io_setup maps (aio_setup_ring, fs/aio.c): ioctx_alloc makes room for 2 ×
 * max(nr_events, 4 × possible CPUs) events, aio_setup_ring adds 2, and the ring is a 32-byte header
 * (struct aio_ring) and those 32-byte slots (struct io_event), rounded up to pages. The number of
 * possible CPUs is not in a trace, so the size is told for the CPU counts that give it.
 */
public final class AioRing {
  private AioRing() {}

  /** How maps names the ring: alloc_file_pseudo's "[aio]" on the aio pseudo-filesystem. */
  public static final String NAME = "/[aio] (deleted)";

  private static final long HEADER = 32;

  private static final long IO_EVENT = 32;

  /** The pages of the ring for io_setup(nrEvents) on a machine with cpus possible CPUs. */
  public static long pages(long nrEvents, long cpus) {
    long events = 2 * Math.max(nrEvents, 4 * cpus) + 2;
    return (HEADER + IO_EVENT * events + LinuxFlags.PAGE - 1) / LinuxFlags.PAGE;
  }

  /** The most possible CPUs (from 1, up to 65536) with which the ring has pages(nrEvents, 1). */
  public static long cpusUpTo(long nrEvents) {
    long pages = pages(nrEvents, 1);
    long cpus = 1;
    while (cpus < 65536 && pages(nrEvents, cpus + 1) == pages) {
      cpus++;
    }
    return cpus;
  }
}
