package dev.memtrace.render;

import dev.memtrace.explain.Human;
import dev.memtrace.explain.RegionAnatomy;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.Region;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code memtrace maps --explain} as text: a legend of the columns and of the special names once,
 * then each maps line followed by indented lines saying its class and size, the ELF sections it
 * holds, and where it came from (the call that made it and the one that last changed it, the ELF
 * headers, or a snapshot). Control bytes in names are written as octal escapes, as the kernel
 * writes a newline in a file name ({@code \012}).
 */
public final class MapsExplainText {

  private MapsExplainText() {}

  public static final List<String> LEGEND =
      List.of(
          "# How to read a line of /proc/PID/maps (proc(5)):",
          "#   start-end  the region's addresses [start, end), in hex; a region is whole pages",
          "#   perms      r read, w write, x execute, - not allowed; then p private (copy-on-write:"
              + " writes stay in this process) or s shared (writes reach the file and every process"
              + " mapping it)",
          "#   offset     where in the file the region starts (0 for anonymous memory)",
          "#   device     the file's device, major:minor (00:00 for none)",
          "#   inode      the file's inode number (0 for none)",
          "#   path       the file; empty for private anonymous memory (mmap MAP_ANONYMOUS), or a"
              + " name:",
          "#     [heap]      the program break area that brk(2) grows and malloc uses",
          "#     [stack]     the main thread's stack (grows down)",
          "#     [vvar]      kernel data the vDSO reads, such as the clock ([vvar_vclock] too)",
          "#     [vdso]      code the kernel maps into every process: clock_gettime, gettimeofday"
              + " without a system call (vdso(7))",
          "#     [vsyscall]  the old fixed page of emulated system calls at ffffffffff600000",
          "#     (deleted)   after a path: the file was deleted or replaced after it was mapped;"
              + " memory in no directory always shows it: shared anonymous memory as /dev/zero"
              + " (deleted) (as /anon_hugepage (deleted) in huge pages, MAP_HUGETLB), System V"
              + " shared memory as /SYSV<key> (deleted), a memfd as /memfd:NAME (deleted)",
          "# Under each line: its class and size, the ELF sections it holds, and the call that made"
              + " it (or the ELF headers, or a snapshot).");

  /**
   * The annotation lines of one region (without the maps line itself); staticImage when the region
   * is the program's own and its ELF headers name no loader (a statically linked program); loader
   * the loader they name (PT_INTERP), or null.
   */
  /**
   * The note under a region the model holds locked (VM_LOCKED), which a line of /proc/PID/maps does
   * not show: mlock(2); smaps' VmFlags "lo".
   */
  public static final String LOCKED =
      "    locked (VM_LOCKED: mlock, mlockall or MAP_LOCKED; /proc/PID/smaps shows lo in its"
          + " VmFlags, maps does not): the pages it has stay in RAM until it is unlocked or"
          + " unmapped";

  public static List<String> about(
      RegionAnatomy.Facts f, String made, String changed, boolean staticImage, String loader) {
    Region r = f.region();
    StringBuilder first =
        new StringBuilder("    ").append(f.label()).append(", ").append(Human.bytes(r.size()));
    if (r.size() >= 1024) {
      first.append(" (").append(r.size()).append(" bytes)");
    }
    if (!f.sections().isEmpty()) {
      first.append("; holds ").append(String.join(" ", f.sections()));
      if (f.relro()) {
        first.append(
            staticImage
                // no PT_INTERP: _dl_non_dynamic_init (elf/dl-support.c) calls _dl_protect_relro
                ? " (RELRO: made read-only after relocation by libc's startup; the program is"
                    + " statically linked, no ld.so runs)"
                : loader != null && !loader.contains("/ld-linux")
                    // not glibc's ld.so: musl's dynamic linker is its libc.so, whose reloc_all
                    // (ldso/dynlink.c) mprotects each object's RELRO range
                    ? " (RELRO: made read-only after relocation by the dynamic linker the"
                        + " program's PT_INTERP names, "
                        + escape(loader)
                        + ")"
                    : " (RELRO: made read-only by ld.so after relocation)");
      }
    } else if (f.problem() != null) {
      first.append("; sections unknown: ").append(escape(f.problem()));
    }
    List<String> out = new ArrayList<>(List.of(first.toString(), "    " + made));
    if (changed != null) {
      out.add("    " + changed);
    }
    return out;
  }

  /** A maps line with control bytes in its name escaped. */
  public static String line(Region r) {
    return escape(MapsFormat.line(r));
  }

  /** Control bytes (and DEL) as backslash and three octal digits. */
  public static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (sb == null) {
          sb = new StringBuilder(s.substring(0, i));
        }
        sb.append('\\').append(String.format("%03o", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** A call's text cut to a length a line can hold. */
  public static String call(String text) {
    if (text == null) {
      return null;
    }
    String t = escape(text.strip());
    return t.length() > 110 ? t.substring(0, 107) + "..." : t;
  }
}
