package dev.memtrace.render;

import dev.memtrace.correlate.MapsAt;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.explain.RegionAnatomy;
import dev.memtrace.explain.RegionOrigin;
import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.Region;
import java.io.PrintWriter;
import java.util.List;

/**
 * Writes {@code memtrace maps --explain}: the legend once, then for each line asked for its header,
 * what the kernel mapped at execve that the model placed or could not place, each region with its
 * annotation ({@link MapsExplainText}), and the special regions no call places.
 */
public final class MapsExplainPrinter implements MapsAt.Printer {

  private static final List<String> SPECIALS = List.of("[stack]", "[vdso]", "[vvar]");

  private final PrintWriter out;
  private final ElfFiles files;
  private boolean legend;

  public MapsExplainPrinter(PrintWriter out, ElfFiles files) {
    this.out = out;
    this.files = files;
  }

  @Override
  public void print(MapsAt.At at) {
    legend();
    out.println(MapsAt.header(at));
    AddressSpace space = at.space();
    if (space == null) {
      out.println(MapsAt.NONE);
      return;
    }
    if (space.midway()) {
      out.println(
          "# the log does not show this process starting (its first line is neither its clone nor an"
              + " execve): what it mapped before is unknown, and only the regions the lines up to"
              + " here made are listed");
    }
    for (String im : space.placedImages()) {
      out.println("# from ELF headers: " + MapsExplainText.escape(im));
    }
    for (String im : space.unreadImages()) {
      out.println(
          "# not shown: "
              + MapsExplainText.escape(im)
              + ": mapped at execve, its ELF"
              + " headers are unknown");
    }
    for (String im : space.unplacedImages()) {
      out.println(
          "# not shown: "
              + MapsExplainText.escape(im)
              + " (mapped at execve; its address"
              + " is not in the trace up to here)");
    }
    regions(space.regions(), space, at);
  }

  @Override
  public boolean readsExplanations() {
    return true;
  }

  /** Regions of a running process (-p PID): no calls, everything from the kernel's listing. */
  public void printProcess(int pid, List<Region> regions) {
    legend();
    out.println("# /proc/" + pid + "/maps");
    regions(regions, null, null);
  }

  private void legend() {
    if (!legend) {
      MapsExplainText.LEGEND.forEach(out::println);
      legend = true;
    }
  }

  private void regions(List<Region> regions, AddressSpace space, MapsAt.At at) {
    String exe = space == null ? null : space.program();
    List<RegionAnatomy.Facts> facts =
        RegionAnatomy.all(regions, files, exe, at == null ? r -> null : at::explained);
    for (int i = 0; i < regions.size(); i++) {
      Region r = regions.get(i);
      RegionAnatomy.Facts f = facts.get(i);
      String made =
          at == null
              ? "as the kernel listed it"
              : RegionOrigin.made(
                  r,
                  MapsExplainText.call(at.history().text(r.originLine())),
                  space == null ? List.of() : space.madeLines(r.start()),
                  space == null ? 0 : space.movedAt(r.madeFrom()),
                  at.history()::name);
      int changedAt = at == null ? 0 : at.history().lastChange(space, r);
      String changed =
          RegionOrigin.changed(
              changedAt,
              changedAt == 0 ? null : MapsExplainText.call(at.history().text(changedAt)),
              changedAt != 0 && at.history().lastChangeOnlyCut(space, r));
      out.println(MapsExplainText.line(r));
      // the program's own image, when its ELF headers name no loader: no ld.so runs
      boolean staticImage =
          space != null
              && Boolean.FALSE.equals(space.programInterp())
              && exe != null
              && exe.equals(r.path());
      MapsExplainText.about(
              f, made, changed, staticImage, space == null ? null : space.programInterpPath())
          .forEach(out::println);
      String inherited = space == null || at == null ? null : space.inheritedBy(r);
      if (inherited != null) {
        out.println("    " + inherited);
      }
      if (space != null && space.locked().contains(r)) {
        out.println(MapsExplainText.LOCKED);
      }
    }
    for (String name : SPECIALS) {
      if (regions.stream().noneMatch(r -> r.path().equals(name))) {
        out.println("# " + name + ": mapped by the kernel at execve; address not in the trace");
      }
    }
  }
}
