package dev.memtrace.decode;

import dev.memtrace.trace.Arg;
import dev.memtrace.trace.Numbers;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One strace {@code xlat} table as data: constant names and their values, both ways. It turns an
 * argument as strace printed it into a number whatever the {@code -X} style: {@code -X raw} ({@code
 * 0x3}), abbreviated ({@code PROT_READ|PROT_WRITE}), {@code -X verbose} ({@code 0x3 /*
 * PROT_READ|PROT_WRITE *&#47;}) and the mixed form strace uses for unknown bits ({@code
 * MAP_PRIVATE|0x100000}). A name the table does not hold makes the value unknown: the caller says
 * so rather than guessing.
 */
public final class FlagTable {

  private final String name;
  private final Map<String, Long> byName = new LinkedHashMap<>();

  /**
   * The texts decoded so far: a log spells the flags of its calls in a few dozen ways, each
   * thousands of times. A table is shared by every thread, and this is bounded.
   */
  private final Map<String, OptionalLong> decoded = new ConcurrentHashMap<>();

  private static final int DECODED_KEPT = 1024;

  private FlagTable(String name) {
    this.name = name;
  }

  /** A table from alternating names and values: {@code of("prot", "PROT_READ", 1L, ...)}. */
  public static FlagTable of(String name, Object... namesAndValues) {
    FlagTable t = new FlagTable(name);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      t.byName.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).longValue());
    }
    return t;
  }

  public String name() {
    return name;
  }

  /** The value of one constant name, if the table has it. */
  public OptionalLong value(String constant) {
    Long v = byName.get(constant);
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /** The first name of exactly this value (a table of values, not bits), or null. */
  public String nameOf(long value) {
    for (Map.Entry<String, Long> e : byName.entrySet()) {
      if (e.getValue() == value) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The names whose bits are all set in {@code value}, in table order ({@code 0} gives none). */
  public String names(long value) {
    StringBuilder sb = new StringBuilder();
    long rest = value;
    for (Map.Entry<String, Long> e : byName.entrySet()) {
      long v = e.getValue();
      if (v != 0 && (value & v) == v && (rest & v) != 0) {
        sb.append(sb.length() == 0 ? "" : "|").append(e.getKey());
        rest &= ~v;
      }
    }
    if (rest != 0 || sb.length() == 0) {
      sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Long.toHexString(rest));
    }
    return sb.toString();
  }

  /**
   * The numeric value of an argument printed with constants of this table: a number, a name, an OR
   * of both, or a number with a verbose comment. Empty when a part is neither a number nor a name
   * of this table.
   */
  public OptionalLong decode(Arg arg) {
    if (arg == null) {
      return OptionalLong.empty();
    }
    if (arg instanceof Arg.Commented c) {
      OptionalLong v = c.value().asLong();
      return v.isPresent() ? v : decode(c.value());
    }
    if (arg instanceof Arg.Flags f) {
      long acc = 0;
      for (Arg part : f.parts()) {
        OptionalLong v = decode(part);
        if (v.isEmpty()) {
          return v;
        }
        acc |= v.getAsLong();
      }
      return OptionalLong.of(acc);
    }
    if (arg instanceof Arg.Sym s) {
      return decodeText(s.text());
    }
    OptionalLong n = arg.asLong();
    return n.isPresent() ? n : decodeText(arg.text());
  }

  /** Like {@link #decode(Arg)}, from the text alone ({@code "PROT_READ|0x8"}). */
  public OptionalLong decodeText(String text) {
    OptionalLong known = decoded.get(text);
    if (known != null) {
      return known;
    }
    OptionalLong v = decodeParts(text);
    if (decoded.size() < DECODED_KEPT) {
      decoded.put(text, v);
    }
    return v;
  }

  private OptionalLong decodeParts(String text) {
    String t = text.strip();
    // -X verbose: "0x1200000 /* CLONE_CHILD_CLEARTID|... */|17 /* SIGCHLD */": the numbers count.
    for (int open = t.indexOf("/*"); open >= 0; open = t.indexOf("/*")) {
      int close = t.indexOf("*/", open);
      t = (t.substring(0, open) + (close < 0 ? "" : t.substring(close + 2))).strip();
    }
    long acc = 0;
    int from = 0;
    while (from <= t.length()) {
      int bar = t.indexOf('|', from);
      int to = bar < 0 ? t.length() : bar;
      String p = t.substring(from, to).strip();
      from = to + 1;
      OptionalLong v = value(p);
      if (v.isEmpty()) {
        v = Numbers.parse(p);
      }
      if (v.isEmpty()) {
        v = shifted(p);
      }
      if (v.isEmpty()) {
        return v;
      }
      acc |= v.getAsLong();
    }
    return OptionalLong.of(acc);
  }

  /**
   * A huge page size as strace prints it, {@code 21<<MAP_HUGE_SHIFT}: log2 of the page size in the
   * bits from 26 up (MAP_HUGE_SHIFT, SHM_HUGE_SHIFT and MFD_HUGE_SHIFT are all 26 in
   * include/uapi/asm-generic/hugetlb_encode.h); empty for any other shift.
   */
  private static OptionalLong shifted(String p) {
    int at = p.indexOf("<<");
    if (at <= 0) {
      return OptionalLong.empty();
    }
    String shift = p.substring(at + 2).strip();
    if (!shift.equals("MAP_HUGE_SHIFT")
        && !shift.equals("SHM_HUGE_SHIFT")
        && !shift.equals("MFD_HUGE_SHIFT")) {
      return OptionalLong.empty();
    }
    OptionalLong n = Numbers.parse(p.substring(0, at).strip());
    if (n.isEmpty() || n.getAsLong() < 0 || n.getAsLong() > 63) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(n.getAsLong() << 26);
  }

  /**
   * The constant names set in a flags argument as printed: {@code PROT_READ|PROT_WRITE}, {@code
   * 0x3}, {@code 0x3 /* PROT_READ|PROT_WRITE *&#47;}, {@code MAP_PRIVATE|0x40000}, so that a reader
   * can ask "is MAP_FIXED set?" whether strace printed names, bare numbers ({@code -X raw}) or both
   * ({@code -X verbose}). A number gives the names of its bits in table order (each bit once, under
   * its first name), or with {@code bits} false the one name of its value; bits no name covers are
   * left out, and so is the zero value's name.
   */
  public Set<String> namesIn(String text, boolean bits) {
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
      if (byName.containsKey(p)) {
        out.add(p);
        continue;
      }
      if (shifted(p).isPresent()) {
        continue; // 21<<MAP_HUGE_SHIFT: a huge page size, no flag (its 21 is not MAP_SHARED|...)
      }
      OptionalLong v =
          p.isEmpty() || !Character.isDigit(p.charAt(0)) && p.charAt(0) != '-'
              ? OptionalLong.empty()
              : ArgText.number(p);
      if (v.isEmpty()) {
        if (!p.isEmpty()) {
          out.add(p);
        }
        continue;
      }
      if (bits) {
        for (String name : names(v.getAsLong()).split("\\|")) {
          if (!name.startsWith("0x")) {
            out.add(name);
          }
        }
      } else {
        String name = nameOf(v.getAsLong());
        if (name != null) {
          out.add(name);
        }
      }
    }
    return out;
  }
}
