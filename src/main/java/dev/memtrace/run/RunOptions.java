package dev.memtrace.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What to trace and how, as the {@code run} command line asked for it. Immutable; the launcher, the
 * reader and the recording read it, nothing sets it after parsing.
 *
 * @param command the program and its arguments (empty when attaching)
 * @param attachPid the pid to attach to with {@code -p}, or null
 * @param stacks pass {@code -k} so every call carries its user-space stack
 * @param snapshots hold each memory syscall with {@code delay_exit} and read /proc/PID/maps
 * @param delayMicros how long strace holds a task after a memory syscall (µs)
 * @param filters extra {@code -e EXPR} qualifiers passed to strace as given
 * @param save where to write the recording, or null
 */
public record RunOptions(
    List<String> command,
    Integer attachPid,
    boolean stacks,
    boolean snapshots,
    int delayMicros,
    List<String> filters,
    Path save) {

  /** Measured on a 2-core VM: see bench/README.md. Long enough for a busy JVM to read maps. */
  public static final int DEFAULT_DELAY_MICROS = 2000;

  public RunOptions {
    command = List.copyOf(command);
    filters = List.copyOf(filters);
  }

  public boolean attaching() {
    return attachPid != null;
  }
}
