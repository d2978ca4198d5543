package dev.memtrace.decode;

import dev.memtrace.trace.SyscallEvent;
import java.util.OptionalLong;

/**
 * {@code mremap(oldAddr, oldLength, newLength, flags[, newAddr])}: the old range is its {@link
 * #addr} and {@link #length}.
 */
public final class Mremap extends Range {

  Mremap(SyscallEvent e) {
    super(e);
  }

  public OptionalLong newLength() {
    return num(2);
  }

  /** MREMAP_* bits; 0 when strace printed no flags argument. */
  public OptionalLong flags() {
    return size() > 3 ? flags(3, LinuxFlags.MREMAP) : OptionalLong.of(0);
  }

  /** The new address asked for with MREMAP_FIXED, when printed. */
  public OptionalLong newAddr() {
    return num(4);
  }

  /** Whether MREMAP_MAYMOVE is set: the kernel may move the mapping to grow it. */
  public boolean mayMove() {
    return (flags().orElse(0) & LinuxFlags.MREMAP_MAYMOVE) != 0;
  }

  /** Whether MREMAP_FIXED is set: the mapping moves to {@link #newAddr}. */
  public boolean fixed() {
    return (flags().orElse(0) & LinuxFlags.MREMAP_FIXED) != 0;
  }
}
