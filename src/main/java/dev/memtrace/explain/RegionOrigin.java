package dev.memtrace.explain;

import dev.memtrace.model.Region;
import dev.memtrace.timeline.Explanation.Basis;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Where a region of the model came from, as a sentence: the call on the line that made it, the
 * kernel at execve laid out from the ELF program headers, or a maps snapshot; and the call that
 * last changed it.
 */
public final class RegionOrigin {

  private RegionOrigin() {}

  /** What a region learnt whole from a snapshot is, as far as the trace up to here shows. */
  static final String SNAPSHOT_ONLY =
      "no call in the trace up to here made it (a snapshot read late can already show what a later"
          + " call maps)";

  /**
   * The line a region came from, as a sentence cites it: "made at line N" for a call, "made by the
   * kernel at the execve on line N" for what execve mapped (the executable, ld.so), laid out from
   * ELF headers: no call on that line mapped it.
   */
  static String madeAtLine(Region r) {
    return r.learnt() == Region.Learnt.ELF_HEADER
        ? "made by the kernel at the execve on line " + r.originLine()
        : "made at line " + r.originLine();
  }

  /**
   * What a sentence that rests on a region of the model rests on: the trace's calls, the ELF
   * headers the model laid it out from, or a snapshot, as the model learnt it.
   */
  static Basis basis(Region r) {
    return switch (r.learnt()) {
      case TRACE -> Basis.ARITHMETIC;
      case ELF_HEADER -> Basis.ELF;
      case SNAPSHOT -> Basis.SNAPSHOT;
    };
  }

  /**
   * @param callText the text of the line that made it, or null
   */
  public static String made(Region r, String callText) {
    return made(r, callText, List.of());
  }

  /**
   * @param callText the text of the line that made it, or null
   * @param lines the lines of the calls whose memory is in it ({@code AddressSpace.madeLines}), or
   *     none when not known
   */
  public static String made(Region r, String callText, List<Integer> lines) {
    return made(r, callText, lines, 0, line -> null);
  }

  /**
   * @param callText the text of the line that made it, or null
   * @param lines the lines of the calls whose memory is in it ({@code AddressSpace.madeLines}), or
   *     none when not known
   * @param moved the line of the mremap that put the memory of that call here ({@code
   *     AddressSpace.movedAt} of its part), 0 when the call made it here
   * @param names the syscall on a line (mremap, mmap), null when not known
   */
  public static String made(
      Region r, String callText, List<Integer> lines, int moved, IntFunction<String> names) {
    String made =
        switch (r.learnt()) {
          case ELF_HEADER ->
              "made by the kernel at the execve on line "
                  + r.originLine()
                  + " (load_elf_binary); laid out from the ELF program headers of the file";
          case SNAPSHOT -> "learnt from a /proc/PID/maps snapshot";
          case TRACE ->
              "made by line " + r.originLine() + (callText == null ? "" : ": " + callText);
        };
    boolean snapshot = r.learnt() == Region.Learnt.SNAPSHOT;
    // an mremap moves a mapping's pages to a new address (or maps a shared one's a second time):
    // the call made that memory elsewhere
    boolean movedHere = moved != 0 && r.learnt() == Region.Learnt.TRACE;
    if (r.madeWhole() && movedHere) {
      return made + "; the mremap at line " + moved + " put its pages here, at a new address";
    }
    if (r.madeWhole()) {
      // up to here: a snapshot read late (after strace's hold ended) already shows what a later
      // call maps, which the trace then shows being made (git gc's loose objects)
      if (!snapshot) {
        return made;
      }
      // [stack], [vdso], [vvar], [vsyscall]: the kernel's own, which no call maps
      return made
          + ": "
          + (r.path().startsWith("[") && !r.path().equals("[heap]")
              ? "no call in the trace made it"
              : SNAPSHOT_ONLY);
    }
    List<Integer> other = new ArrayList<>(lines);
    other.remove((Integer) r.originLine());
    other.remove((Integer) 0);
    String others = other.isEmpty() ? snapshot ? "the trace's calls" : "other calls" : lines(other);
    // an mremap that grows a mapping makes no neighbour to merge: it grows the one area, in place
    // (vma_expandable) or where it moves it (move_vma)
    boolean grown = other.stream().anyMatch(l -> "mremap".equals(names.apply(l)));
    boolean merged = other.stream().anyMatch(l -> !"mremap".equals(names.apply(l)));
    String merge = "an adjacent mapping of the same kind is merged into it: vma_merge";
    String grow = "an mremap that grows a mapping grows its one area: vma_expandable, move_vma";
    String kept =
        r.path().equals("[heap]")
            ? " (brk grows [heap] in place)"
            : " (" + (grown ? grow + (merged ? "; " + merge : "") : merge) + ")";
    if (!r.madePart()) {
      return made
          + "; what "
          + (snapshot ? "it showed" : "that made")
          + " has been split off or unmapped since, and what is left "
          + others
          + " made next to it: the kernel kept them in one area"
          + kept;
    }
    return made
        + (snapshot ? ", which showed " : "; that made ")
        + Human.bytes(r.madeBytes())
        + " of it ("
        + Ctx.hex(r.madeFrom())
        + "-"
        + Ctx.hex(r.madeTo())
        + (movedHere ? ", pages the mremap at line " + moved + " put here" : "")
        + ") and "
        + others
        + " the rest, next to it: the kernel keeps them in one area"
        + kept;
  }

  /** "line 7", "lines 7 and 9", "lines 7, 9 and 12", "lines 7, 9, 12 and 4 more calls". */
  private static String lines(List<Integer> lines) {
    int shown = lines.size() <= 3 ? lines.size() : 3;
    StringBuilder b = new StringBuilder(lines.size() == 1 ? "line " : "lines ");
    for (int i = 0; i < shown; i++) {
      b.append(i == 0 ? "" : i == shown - 1 && shown == lines.size() ? " and " : ", ");
      b.append(lines.get(i));
    }
    if (shown < lines.size()) {
      int more = lines.size() - shown;
      b.append(" and ").append(more).append(more == 1 ? " more call" : " more calls");
    }
    return b.toString();
  }

  /**
   * Of an area several calls' memory is in: the call whose memory holds the address asked about.
   *
   * @param line that call's line
   */
  public static String madeAt(int line, String callText) {
    return madeAt(line, callText, 0);
  }

  /**
   * @param line that call's line
   * @param moved the line of the mremap that put that part here ({@code AddressSpace.movedAt}), 0
   *     when the call made it here
   */
  public static String madeAt(int line, String callText, int moved) {
    return "the address is in the part line "
        + line
        + " made"
        + (callText == null ? "" : ": " + callText)
        + (moved == 0 ? "" : "; the mremap at line " + moved + " put its pages here");
  }

  /**
   * @param line the line of the call that last changed it, 0 for none
   * @param onlyCut whether that call covered only the memory next to it, cutting this region out of
   *     a larger one ({@code CallHistory.lastChangeOnlyCut})
   */
  public static String changed(int line, String callText, boolean onlyCut) {
    if (line == 0) {
      return null;
    }
    String call = callText == null ? "" : ": " + callText;
    return onlyCut
        ? "cut to these bounds by line "
            + line
            + call
            + ", which covered only the memory next to it (the kernel splits an area a call covers"
            + " in part: split_vma)"
        : "last changed by line " + line + call;
  }
}
