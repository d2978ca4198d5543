package dev.memtrace.decode;

import dev.memtrace.trace.Numbers;
import dev.memtrace.trace.SyscallEvent;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code io_setup(nr_events, ctx_idp)} and {@code io_destroy(ctx_id)}: the AIO context id, which is
 * the address of the completion ring the kernel mapped (aio_setup_ring, fs/aio.c).
 */
public final class IoSetup extends Call {

  IoSetup(SyscallEvent e) {
    super(e);
  }

  /** io_setup's nr_events. */
  public OptionalLong nrEvents() {
    return name().equals("io_setup") ? num(0) : OptionalLong.empty();
  }

  /** The context id: io_setup's written back into {@code [ID]}, io_destroy's argument. */
  public OptionalLong ctx() {
    if (name().equals("io_destroy")) {
      return num(0);
    }
    List<String> items = items(1);
    return items == null || items.size() != 1 ? OptionalLong.empty() : Numbers.parse(items.get(0));
  }
}
