package dev.memtrace.explain;

import dev.memtrace.model.abi.FlagTable;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The constant names set in an argument, read with the model's flag tables ({@link
 * dev.memtrace.model.abi.LinuxFlags}), so that rules can ask "is MAP_FIXED set?" whether strace
 * printed names, bare numbers ({@code -X raw}) or both ({@code -X verbose}).
 */
final class Constants {

  private Constants() {}

  /**
   * The names set in a flags argument as printed: {@code PROT_READ|PROT_WRITE}, {@code 0x3}, {@code
   * 0x3 /* PROT_READ|PROT_WRITE *&#47;}, {@code MAP_PRIVATE|0x40000}. A number gives the names of
   * its bits in table order (each bit once, under its first name), or with {@code bits} false the
   * one name of its value; bits no name covers are left out.
   */
  static Set<String> names(String text, FlagTable table, boolean bits) {
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
      if (table.value(p).isPresent()) {
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
      if (bits) {
        for (String name : table.names(v).split("\\|")) {
          if (!name.startsWith("0x")) {
            out.add(name);
          }
        }
      } else {
        String name = table.nameOf(v);
        if (name != null) {
          out.add(name);
        }
      }
    }
    return out;
  }
}
