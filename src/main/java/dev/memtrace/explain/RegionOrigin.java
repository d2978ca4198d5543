package dev.memtrace.explain;

import dev.memtrace.model.Region;

/**
 * Where a region of the model came from, as a sentence: the call on the line that made it, the
 * kernel at execve laid out from the ELF program headers, or a maps snapshot; and the call that
 * last changed it.
 */
public final class RegionOrigin {

  private RegionOrigin() {}

  /**
   * @param callText the text of the line that made it, or null
   */
  public static String made(Region r, String callText) {
    return switch (r.learnt()) {
      case ELF_HEADER ->
          "made by the kernel at the execve on line "
              + r.originLine()
              + " (load_elf_binary); laid out from the ELF program headers of the file";
      case SNAPSHOT -> "learnt from a /proc/PID/maps snapshot: no call in the trace made it";
      case TRACE -> "made by line " + r.originLine() + (callText == null ? "" : ": " + callText);
    };
  }

  /**
   * @param line the line of the call that last changed it, 0 for none
   */
  public static String changed(int line, String callText) {
    return line == 0
        ? null
        : "last changed by line " + line + (callText == null ? "" : ": " + callText);
  }
}
