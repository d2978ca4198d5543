package dev.memtrace.explain;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Flag names and their values (x86_64 Linux uapi), so that rules can ask "is MAP_FIXED set?"
 * whether strace printed names, bare numbers ({@code -X raw}) or both ({@code -X verbose}).
 */
final class Constants {

  static final Map<String, Long> PROT = table(
      "PROT_READ", 0x1, "PROT_WRITE", 0x2, "PROT_EXEC", 0x4, "PROT_SEM", 0x8,
      "PROT_GROWSDOWN", 0x01000000, "PROT_GROWSUP", 0x02000000);

  static final Map<String, Long> MAP = table(
      "MAP_SHARED", 0x1, "MAP_PRIVATE", 0x2, "MAP_FIXED", 0x10, "MAP_ANONYMOUS", 0x20,
      "MAP_32BIT", 0x40, "MAP_GROWSDOWN", 0x100, "MAP_DENYWRITE", 0x800,
      "MAP_EXECUTABLE", 0x1000, "MAP_LOCKED", 0x2000, "MAP_NORESERVE", 0x4000,
      "MAP_POPULATE", 0x8000, "MAP_NONBLOCK", 0x10000, "MAP_STACK", 0x20000,
      "MAP_HUGETLB", 0x40000, "MAP_SYNC", 0x80000, "MAP_FIXED_NOREPLACE", 0x100000);

  static final Map<String, Long> MREMAP = table(
      "MREMAP_MAYMOVE", 0x1, "MREMAP_FIXED", 0x2, "MREMAP_DONTUNMAP", 0x4);

  /** madvise advice values are not bits: each number is one name. */
  static final Map<String, Long> MADV = table(
      "MADV_NORMAL", 0, "MADV_RANDOM", 1, "MADV_SEQUENTIAL", 2, "MADV_WILLNEED", 3,
      "MADV_DONTNEED", 4, "MADV_FREE", 8, "MADV_REMOVE", 9, "MADV_DONTFORK", 10,
      "MADV_DOFORK", 11, "MADV_MERGEABLE", 12, "MADV_UNMERGEABLE", 13, "MADV_HUGEPAGE", 14,
      "MADV_NOHUGEPAGE", 15, "MADV_DONTDUMP", 16, "MADV_DODUMP", 17, "MADV_WIPEONFORK", 18,
      "MADV_KEEPONFORK", 19, "MADV_COLD", 20, "MADV_PAGEOUT", 21, "MADV_POPULATE_READ", 22,
      "MADV_POPULATE_WRITE", 23, "MADV_DONTNEED_LOCKED", 24, "MADV_COLLAPSE", 25);

  private Constants() {}

  private static Map<String, Long> table(Object... kv) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
    }
    // Not Map.copyOf: its iteration order changes from one JVM run to the next, and names()
    // lists the flags of a raw number (strace -X raw) in this order.
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * The names set in a flags argument as printed: {@code PROT_READ|PROT_WRITE}, {@code 0x3},
   * {@code 0x3 /* PROT_READ|PROT_WRITE *&#47;}, {@code MAP_PRIVATE|0x40000}.
   */
  static Set<String> names(String text, Map<String, Long> table, boolean bits) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null) {
      return out;
    }
    String t = text.trim();
    int c = t.indexOf("/*");
    if (c >= 0 && t.endsWith("*/")) {
      t = t.substring(c + 2, t.length() - 2).trim();
    }
    for (String part : t.split("\\|")) {
      String p = part.trim();
      if (p.equals("PROT_NONE") || bits && p.equals("0")) {
        continue;
      }
      if (table.containsKey(p)) {
        out.add(p);
        continue;
      }
      long v = Num.parse(p);
      if (v == Num.NONE) {
        if (!p.isEmpty()) {
          out.add(p);
        }
        continue;
      }
      for (Map.Entry<String, Long> e : table.entrySet()) {
        long f = e.getValue();
        if (bits ? f != 0 && (v & f) == f : v == f) {
          out.add(e.getKey());
        }
      }
    }
    return out;
  }
}
