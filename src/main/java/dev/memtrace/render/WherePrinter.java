package dev.memtrace.render;

import dev.memtrace.correlate.MapsAt;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.explain.RegionAnatomy;
import dev.memtrace.explain.RegionOrigin;
import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.Region;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code memtrace where ADDR}: for each line asked for, its header and what holds the
 * address ({@link WhereText}), with the call that made the region and the last that changed it;
 * when nothing the model holds has it, what the trace does not place (images mapped at execve, the
 * kernel's regions).
 */
public final class WherePrinter implements MapsAt.Printer {

  private final PrintWriter out;
  private final long addr;
  private final ElfFiles files;

  public WherePrinter(PrintWriter out, long addr, ElfFiles files) {
    this.out = out;
    this.addr = addr;
    this.files = files;
  }

  /** The address in a running process's regions, as its {@code /proc/PID/maps} lists them. */
  public void printProcess(int pid, List<Region> regions) {
    WhereText.of(
            addr,
            RegionAnatomy.all(regions, files, null),
            r -> List.of("as /proc/" + pid + "/maps lists it now"))
        .forEach(out::println);
  }

  /**
   * The other processes of the log whose address space holds the address after this line (the
   * header names one process, the line's): each with its region and the line that made it, so that
   * an address of another process is not left as unmapped.
   */
  private List<String> elsewhere(MapsAt.At at, AddressSpace space) {
    List<String> lines = new ArrayList<>();
    int self = at.model().processOf(at.pid());
    for (Map.Entry<Integer, AddressSpace> e : at.model().processes().entrySet()) {
      if (e.getKey() == self || e.getValue() == space) {
        continue;
      }
      Region r = e.getValue().regionAt(addr);
      if (r != null) {
        lines.add(
            "  in process "
                + e.getKey()
                + " at this line it is in "
                + MapsExplainText.line(r)
                + (r.originLine() > 0 ? ", made at line " + r.originLine() : "")
                + " (--at a line of that process says more)");
      }
    }
    return lines;
  }

  @Override
  public boolean readsExplanations() {
    return true;
  }

  @Override
  public void print(MapsAt.At at) {
    out.println(MapsAt.header(at));
    AddressSpace space = at.space();
    if (space == null) {
      out.println(MapsAt.NONE);
      return;
    }
    List<Region> regions = space.regions();
    List<String> elsewhere = at.anyPid() ? elsewhere(at, space) : List.of();
    boolean complete =
        regions.stream().anyMatch(r -> r.path().equals("[stack]"))
            && space.unplacedImages().isEmpty()
            && space.unreadImages().isEmpty();
    WhereText.of(
            addr,
            RegionAnatomy.all(regions, files, space.program(), at::explained),
            r -> {
              List<String> said = new ArrayList<>();
              said.add(
                  RegionOrigin.made(
                      r,
                      MapsExplainText.call(at.history().text(r.originLine())),
                      space.madeLines(r.start()),
                      space.movedAt(r.madeFrom()),
                      at.history()::name));
              String inherited = space.inheritedBy(r);
              if (inherited != null) {
                said.add(inherited);
              }
              int madeAt = r.madeWhole() ? 0 : space.madeAt(addr);
              if (madeAt != 0 && madeAt != r.originLine()) {
                said.add(
                    RegionOrigin.madeAt(
                        madeAt,
                        MapsExplainText.call(at.history().text(madeAt)),
                        space.movedAt(addr)));
              }
              int changed = at.history().lastChange(space, r);
              if (changed != 0) {
                said.add(
                    RegionOrigin.changed(
                        changed,
                        MapsExplainText.call(at.history().text(changed)),
                        at.history().lastChangeOnlyCut(space, r)));
              }
              if (space.locked().contains(r)) {
                said.add(MapsExplainText.LOCKED.strip());
              }
              return said;
            },
            complete,
            space.midway(),
            !elsewhere.isEmpty())
        .forEach(out::println);
    boolean held = space.regionAt(addr) != null;
    String gone = held ? null : at.unmapped(addr);
    if (gone != null) {
      out.println("  it was " + gone);
    }
    if (!held) {
      elsewhere.forEach(out::println);
      for (String im : space.unplacedImages()) {
        out.println(
            "# "
                + MapsExplainText.escape(im)
                + ": mapped at execve; address not in the"
                + " trace up to here");
      }
      for (String im : space.unreadImages()) {
        out.println(
            "# "
                + MapsExplainText.escape(im)
                + ": mapped at execve; its ELF headers"
                + " are unknown");
      }
    }
    for (String special : List.of("[stack]", "[vdso]", "[vvar]")) {
      if (!held && regions.stream().noneMatch(r -> r.path().equals(special))) {
        out.println(
            "# " + special + ": mapped by the kernel at execve; address not in the" + " trace");
      }
    }
  }
}
