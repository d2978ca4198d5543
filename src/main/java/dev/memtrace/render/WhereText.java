package dev.memtrace.render;

import dev.memtrace.explain.Human;
import dev.memtrace.explain.RegionAnatomy;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code memtrace where ADDR}: the region that holds an address, its class, the ELF section and
 * symbol at the address when the file tells them, and where the region came from; or, when no
 * region holds it, how far it lies from the nearest regions below and above.
 */
public final class WhereText {

  private WhereText() {}

  /**
   * @param facts the facts of every region of the listing, in address order
   * @param origin the sentences saying where a region came from (made by, last changed by)
   */
  public static List<String> of(
      long address, List<RegionAnatomy.Facts> facts, Function<Region, List<String>> origin) {
    return of(address, facts, origin, true, false, false);
  }

  /**
   * @param complete whether the listing holds every region (a kernel listing), so that an address
   *     outside them is unmapped; else it may lie in a region the trace does not place
   * @param midway whether the listing is of a task met midway, whose start the log does not show:
   *     an address outside its regions may lie in one mapped before its first line
   * @param heldElsewhere whether another process of the log holds the address: then "no region the
   *     trace shows" is said of this process only
   */
  public static List<String> of(
      long address,
      List<RegionAnatomy.Facts> facts,
      Function<Region, List<String>> origin,
      boolean complete,
      boolean midway,
      boolean heldElsewhere) {
    List<String> out = new ArrayList<>();
    String none =
        heldElsewhere
            ? " is in no region of this process that the trace shows"
            : " is in no region the trace shows";
    String a = "0x" + Long.toHexString(address);
    RegionAnatomy.Facts below = null;
    RegionAnatomy.Facts above = null;
    for (RegionAnatomy.Facts f : facts) {
      Region r = f.region();
      if (Long.compareUnsigned(r.start(), address) <= 0
          && Long.compareUnsigned(address, r.end()) < 0) {
        out.add(a + " is in " + MapsExplainText.line(r));
        out.add(
            "  "
                + f.label()
                + ", a region of "
                + Human.bytes(r.size())
                + "; the address is "
                + (address - r.start())
                + " bytes from its start, "
                + (r.end() - address)
                + " bytes before its end");
        String place = f.placeOf(address);
        if (place != null) {
          out.add("  " + place);
        } else if (f.problem() != null) {
          out.add("  section unknown: " + MapsExplainText.escape(f.problem()));
        }
        origin.apply(r).forEach(s -> out.add("  " + s));
        return out;
      }
      if (Long.compareUnsigned(r.end(), address) <= 0) {
        below = f;
      } else if (above == null) {
        above = f;
      }
    }
    out.add(
        midway && !complete
            ? a
                + none
                + ": the log does not show this process starting (its"
                + " first line is neither its clone nor an execve), so it may lie in a region mapped"
                + " before that line, or in one the kernel mapped at execve; else it is unmapped"
            : complete
                ? a
                    + " is unmapped: no region holds it, so an access there raises SIGSEGV"
                    + " (SEGV_MAPERR), unless the stack grows down into it"
                : a
                    + none
                    + ": it may lie in a region the kernel mapped at"
                    + " execve whose address is not in the trace (listed below), else it is unmapped");
    if (below != null) {
      out.add(
          "  "
              + distance(address - below.region().end())
              + " past the end of "
              + name(below.region()));
    }
    if (above != null) {
      out.add(
          "  "
              + distance(above.region().start() - address)
              + " before the start of "
              + name(above.region()));
    }
    if (facts.isEmpty()) {
      out.add("  the model holds no region for this process at this line");
    }
    return out;
  }

  private static String distance(long bytes) {
    String n = Long.toUnsignedString(bytes) + " bytes";
    return bytes < 1024 ? n : n + " (" + Human.bytes(bytes) + ")";
  }

  private static String name(Region r) {
    String line = MapsFormat.line(r);
    String range = line.substring(0, line.indexOf(' '));
    return (r.path().isEmpty()
        ? "the anonymous region " + range
        : MapsExplainText.escape(r.path()) + " (" + range + " " + r.perms() + ")");
  }
}
