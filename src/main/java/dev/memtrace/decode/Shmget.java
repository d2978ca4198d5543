package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/** {@code shmget(key, size, flags)}: the id it returns names a segment of that size. */
public final class Shmget extends Call {

  Shmget(SyscallEvent e) {
    super(e);
  }

  /** IPC_PRIVATE or the key. */
  public OptionalLong key() {
    return flags(0, LinuxFlags.SHM);
  }

  public OptionalLong segmentSize() {
    return num(1);
  }

  /**
   * Whether the call made a new segment of {@link #segmentSize} bytes: IPC_CREAT|IPC_EXCL fails
   * when the key has one (shmget(2)). Without them an existing segment's id comes back, whose size
   * is at least the one asked for (0 finds any).
   */
  public boolean created() {
    long f = flags(2, LinuxFlags.SHM).orElse(0);
    return (f & LinuxFlags.IPC_CREAT) != 0 && (f & LinuxFlags.IPC_EXCL) != 0;
  }
}
