package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code shmctl(id, cmd, buf)}: with IPC_STAT, strace decodes the struct shmid_ds the kernel
 * filled, whose {@code shm_segsz} is the segment's size (shmctl(2)).
 */
public final class Shmctl extends Call {

  private static final Pattern SEGSZ = Pattern.compile("\\bshm_segsz=(\\d+)");

  Shmctl(SyscallEvent e) {
    super(e);
  }

  public OptionalLong id() {
    return num(0);
  }

  /** The segment size an IPC_STAT (or SHM_STAT) answer gives, when strace decoded it. */
  public OptionalLong statSize() {
    if (size() < 3 || !text(1).contains("_STAT")) {
      return OptionalLong.empty();
    }
    Matcher m = SEGSZ.matcher(text(2));
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }
}
