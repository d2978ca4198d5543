package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.PROT_EXEC;
import static dev.memtrace.decode.LinuxFlags.PROT_READ;
import static dev.memtrace.decode.LinuxFlags.PROT_WRITE;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Region} as a line of {@code /proc/PID/maps} and back, byte for byte as
 * fs/proc/task_mmu.c prints it: {@code start-end perms offset dev inode}, then the name padded to
 * column 73, or a single trailing space when there is no name. Fields the trace cannot tell are
 * written as for anonymous memory ({@code 00000000 00:00 0}).
 */
public final class MapsFormat {

  private static final int NAME_COLUMN = 73;

  private MapsFormat() {}

  public static String line(Region r) {
    StringBuilder sb = new StringBuilder(100);
    sb.append(hex8(r.start()))
        .append('-')
        .append(hex8(r.end()))
        .append(' ')
        .append(r.perms())
        .append(' ')
        .append(hex8(r.offset()))
        .append(' ')
        .append(r.dev())
        .append(' ')
        .append(Long.toUnsignedString(r.inode()))
        .append(' ');
    if (!r.path().isEmpty()) {
      while (sb.length() < NAME_COLUMN) {
        sb.append(' ');
      }
      sb.append(r.path());
    }
    return sb.toString();
  }

  /** What d_path adds to the name of a file in no directory (unlinked, or a memfd, or shmem). */
  public static final String DELETED = " (deleted)";

  /** How maps names shared anonymous memory: shmem_zero_setup names its file dev/zero. */
  public static final String DEV_ZERO = "/dev/zero" + DELETED;

  /** How maps names anonymous hugetlb memory: hugetlb_file_setup names its file anon_hugepage. */
  public static final String ANON_HUGEPAGE = "/anon_hugepage" + DELETED;

  /**
   * The permissions field of a region the trace shows nothing of (an mremap of memory the model
   * never saw): a word of the field's four characters, so the line keeps its columns and parses.
   * docs/address-space.md defines it; no placeholder such as {@code ????} is written.
   */
  public static final String UNKNOWN_PERMS = "unkn";

  /**
   * One permission the trace does not show, where it shows the others ({@code rw-u}: set by an
   * mprotect, private or shared not known). docs/address-space.md defines it.
   */
  public static final char UNKNOWN_PERM = 'u';

  /** The four permission characters, by prot (0-7) + 8 when shared. */
  private static final String[] PERMS = new String[16];

  static {
    for (int i = 0; i < 16; i++) {
      PERMS[i] =
          ((i & PROT_READ) != 0 ? "r" : "-")
              + ((i & PROT_WRITE) != 0 ? "w" : "-")
              + ((i & PROT_EXEC) != 0 ? "x" : "-")
              + ((i & 8) != 0 ? "s" : "p");
    }
  }

  /**
   * The permission characters maps prints for a mapping of these PROT_* bits ({@code r-xp}, {@code
   * rw-s}): the vm_flags calc_vm_prot_bits sets, and whether it is shared.
   */
  public static String perms(long prot, boolean shared) {
    return PERMS[(int) (prot & 7) | (shared ? 8 : 0)];
  }

  private static String hex8(long v) {
    String h = Long.toHexString(v);
    return h.length() >= 8 ? h : "0".repeat(8 - h.length()) + h;
  }

  /**
   * Parses a whole maps listing. Lines that do not have the shape are skipped: a snapshot is
   * evidence, and one damaged line should not discard the rest.
   */
  public static List<Region> parse(String text) {
    List<Region> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n")) {
      Region r = parseLine(line);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** One maps line, or null when it is not one. */
  public static Region parseLine(String line) {
    String[] f = line.strip().split(" +", 6);
    if (f.length < 5) {
      return null;
    }
    int dash = f[0].indexOf('-');
    if (dash < 0 || f[1].length() != 4) {
      return null;
    }
    try {
      long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
      long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
      long offset = Long.parseUnsignedLong(f[2], 16);
      long inode = Long.parseUnsignedLong(f[4]);
      String path = f.length > 5 ? f[5] : "";
      if (path.contains("\\012")) {
        path = path.replace("\\012", "\n"); // the one byte show_map escapes (seq_file_path)
      }
      return new Region(start, end, f[1], offset, f[3], inode, path, 0);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
