package dev.memtrace.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The strace command line memtrace runs. The choices, and why:
 *
 * <ul>
 *   <li>{@code -f}: follow forks and threads; with {@code -o} every line then carries its pid,
 *       which the snapshot reader needs.
 *   <li>{@code -ttt -T}: epoch timestamps and durations, so the timeline has times.
 *   <li>{@code -yy}: fd decorations, so a mapped fd names its file even when its open was missed.
 *   <li>{@code -q}: no attach/personality notices on the tracee's stderr ({@code +++ exited} lines
 *       are kept: the exit status is read from them).
 *   <li>{@code -e raw=}{@link #BUFFER_SYSCALLS}: these calls print their buffer as an address
 *       instead of its contents, so the buffer can be placed in a region. readv/writev are left
 *       decoded: in raw mode strace prints the iovec array's address, not the buffers'.
 *   <li>{@code -e inject=}{@link #MEMORY_SYSCALLS}{@code :delay_exit=N}: strace flushes the line,
 *       then holds the calling task N µs; memtrace reads /proc/PID/maps in that window. execve is
 *       not among them: strace 6.1 applies no delay to a successful execve (tested), so the fresh
 *       image is first seen in the snapshot after ld.so's first call, {@code brk(NULL)}.
 *   <li>{@code -e inject=exit_group:delay_enter=N}: the task is held before it exits, after strace
 *       flushed {@code PID exit_group(N}, so its last address space can be read too.
 *   <li>{@code -o FIFO}: the log goes to memtrace, never onto the tracee's stderr (section 8 of
 *       strace-format.md); strace's own messages stay on its stderr.
 * </ul>
 */
public final class StraceArgs {

  /** Calls that change /proc/PID/maps. */
  public static final List<String> MEMORY_SYSCALLS =
      List.of(
          "mmap",
          "mmap2",
          "munmap",
          "brk",
          "mprotect",
          "mremap",
          "pkey_mprotect",
          "shmat",
          "shmdt",
          "io_setup",
          "io_destroy");

  /** Read/write-like calls whose second argument is the buffer. */
  public static final List<String> BUFFER_SYSCALLS =
      List.of("read", "write", "pread64", "pwrite64", "recvfrom", "sendto");

  /** The options every live run uses, before the snapshot, stack and user options. */
  public static final List<String> BASE =
      List.of("-f", "-ttt", "-T", "-yy", "-q", "-e", "raw=" + String.join(",", BUFFER_SYSCALLS));

  private StraceArgs() {}

  /**
   * The full argv: strace, its options, {@code -o fifo}, then {@code -p PID} or {@code -- COMMAND}.
   */
  public static List<String> build(String strace, RunOptions options, Path fifo) {
    List<String> argv = new ArrayList<>();
    argv.add(strace);
    argv.addAll(BASE);
    if (options.snapshots()) {
      argv.addAll(snapshotOptions(options.delayMicros()));
    }
    if (options.stacks()) {
      argv.add("-k");
    }
    for (String filter : options.filters()) {
      argv.add("-e");
      argv.add(filter);
    }
    argv.add("-o");
    argv.add(fifo.toString());
    if (options.attaching()) {
      argv.add("-p");
      argv.add(Integer.toString(options.attachPid()));
    } else {
      argv.add("--");
      argv.addAll(options.command());
    }
    return argv;
  }

  static List<String> snapshotOptions(int delayMicros) {
    return List.of(
        "-e", "inject=" + String.join(",", MEMORY_SYSCALLS) + ":delay_exit=" + delayMicros,
        "-e", "inject=exit_group:delay_enter=" + delayMicros);
  }
}
