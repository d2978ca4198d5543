package dev.memtrace.render;

import dev.memtrace.decode.ArgText;
import dev.memtrace.explain.ExplainStats;
import dev.memtrace.explain.Human;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.explain.Tally;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.TraceEnd;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.SetLines;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code analyze --summary} table: for each address space, its size per region class and per
 * mapped object at the end and at the peak; then calls per syscall with their errors, bytes mapped
 * and unmapped, and how many memory events went unexplained. Sizes in human units.
 */
public final class SummaryText {
  private SummaryText() {}

  public static void write(Writer w, List<SpaceReport> spaces, ExplainStats stats)
      throws IOException {
    write(w, spaces, stats, SetLines.ONE);
  }

  /**
   * As {@link #write(Writer, List, ExplainStats)}; {@code set} tells the lines of an {@code -ff}
   * set's files apart: there a peak's line names its file ("line 4 of trace.23016").
   */
  public static void write(Writer w, List<SpaceReport> spaces, ExplainStats stats, SetLines set)
      throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("== summary ==\n");
    for (SpaceReport r : spaces) {
      space(b, r, set);
    }
    for (TraceEnd end : stats.traceEnds()) {
      // the tallies above stop at this line for the task: say so where they are read
      b.append(
          String.format(
              Locale.ROOT,
              "%ntrace ends at line %s: %s%n",
              set.cite(end.line(), -1),
              end.sentence()));
    }
    b.append(String.format(Locale.ROOT, "%n%-22s %8s %7s%n", "syscall", "calls", "errors"));
    for (Map.Entry<String, ExplainStats.Count> e : stats.calls().entrySet()) {
      b.append(
          String.format(
              Locale.ROOT, "%-22s %8d %7d%n", e.getKey(), e.getValue().calls, e.getValue().errors));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nmapped %s, unmapped %s (mmap/munmap/mremap lengths)%n",
            Human.bytes(stats.bytesMapped()),
            Human.bytes(stats.bytesUnmapped())));
    b.append(
        String.format(
            Locale.ROOT,
            "memory events: %d, explained %d (%.1f%%), unexplained %d%s%n",
            stats.memoryEvents(),
            stats.explained(),
            stats.explainedPercent(),
            stats.unexplained(),
            stats.unexplainedBySyscall().isEmpty() ? "" : " " + stats.unexplainedBySyscall()));
    w.write(b.toString());
    w.flush();
  }

  private static void space(StringBuilder b, SpaceReport r, SetLines set) {
    String who =
        (r.pids().equals(List.of(-1))
                ? ""
                // several: tasks the trace never showed starting, threads of one process as likely
                // as processes (strace -p with -f, -e trace=%memory), so no word claims which
                : r.pids().size() == 1
                    ? "process " + r.pids().get(0) + " "
                    : "pids " + r.pids().toString().replace("[", "").replace("]", "") + " ")
            + Texts.terminalName(r.program());
    String end =
        String.format(
            Locale.ROOT,
            "%s at the end in %d regions%s",
            Human.bytes(r.end().total()),
            r.end().regions(),
            r.fromModel()
                ? " (regions the trace or its snapshots show)"
                : " (regions the trace made)");
    if (r.memoryEvents() == 0) {
      // no call of its own: no peak to tell, and no table when nothing it holds is shown
      b.append(
          String.format(
              Locale.ROOT,
              "%n%s: %s%n",
              who,
              r.end().regions() > 0 ? end : "no region the trace or its snapshots show"));
    } else {
      b.append(
          String.format(
              Locale.ROOT,
              "%n%s: %s; peak %s at line %s%s%n",
              who,
              end,
              Human.bytes(r.peak().total()),
              set.cite(r.peakLine(), -1),
              " (regions the trace made"
                  + (r.peakTableLine() != r.peakLine()
                      ? "; the table is from line "
                          + set.cite(r.peakTableLine(), -1)
                          + ", within 5%"
                      : "")
                  + ")"));
    }
    for (String note : r.notes()) {
      b.append("  ").append(note).append(String.format("%n"));
    }
    long endNone = r.end().reserved();
    long peakNone = r.memoryEvents() == 0 ? 0 : r.peak().reserved();
    if (endNone > 0 || peakNone > 0) {
      // the sizes count address space: a PROT_NONE page (a guard page, a reservation that an
      // mprotect or a mapping over it commits later) holds memory only if touched before
      b.append(
          String.format(
              Locale.ROOT,
              "  PROT_NONE among them: %s%s (reserved address space, which no access may touch: a"
                  + " page there holds memory only if it was touched before an mprotect made it"
                  + " PROT_NONE)%n",
              Human.bytes(endNone) + " at the end",
              r.memoryEvents() == 0 ? "" : ", " + Human.bytes(peakNone) + " at the peak"));
    }
    if (r.end().regions() == 0 && r.peak().regions() == 0 && r.memoryEvents() == 0) {
      return;
    }
    b.append(
        String.format(
            Locale.ROOT,
            "  %-30s %10s %7s %10s   %10s %7s %10s%n",
            "class",
            "end",
            "regions",
            "largest",
            "peak",
            "regions",
            "largest"));
    Set<RegionClass> classes = new LinkedHashSet<>();
    for (RegionClass c : RegionClass.values()) {
      if (r.end().byClass().containsKey(c) || r.peak().byClass().containsKey(c)) {
        classes.add(c);
      }
    }
    for (RegionClass c : classes) {
      Tally.Row atEnd = r.end().byClass().get(c);
      Tally.Row atPeak = r.peak().byClass().get(c);
      row(b, c.label, atEnd, atPeak);
      // a row whose label says what it is, all of it PROT_NONE, needs no line to say so
      boolean labelSays = c == RegionClass.RESERVED || c == RegionClass.GUARD;
      if (!(labelSays && wholly(atEnd) && wholly(atPeak))) {
        noneRow(b, atEnd, atPeak);
      }
    }
    Set<String> objects = new LinkedHashSet<>(r.end().byObject().keySet());
    objects.addAll(r.peak().byObject().keySet());
    if (!objects.isEmpty()) {
      b.append(String.format(Locale.ROOT, "  %-30s%n", "object"));
      for (String o : objects) {
        row(b, Texts.terminalName(o), r.end().byObject().get(o), r.peak().byObject().get(o));
        noneRow(b, r.end().byObject().get(o), r.peak().byObject().get(o));
      }
    }
  }

  private static void row(StringBuilder b, String name, Tally.Row end, Tally.Row peak) {
    b.append(
        String.format(Locale.ROOT, "  %-30s %s   %s%n", shorten(name), cells(end), cells(peak)));
  }

  /** Whether all of a row's bytes are PROT_NONE (or it has none). */
  private static boolean wholly(Tally.Row r) {
    return r == null || r.reserved == r.size;
  }

  /**
   * Under a row some of whose bytes are PROT_NONE, how many, at the end and at the peak ("-" where
   * none are).
   */
  private static void noneRow(StringBuilder b, Tally.Row end, Tally.Row peak) {
    long e = end == null ? 0 : end.reserved;
    long p = peak == null ? 0 : peak.reserved;
    if (e == 0 && p == 0) {
      return;
    }
    b.append(
        String.format(
            Locale.ROOT,
            "  %-30s %10s %7s %10s   %10s %7s %10s%n",
            "  of it PROT_NONE",
            e == 0 ? "-" : Human.bytes(e),
            "",
            "",
            p == 0 ? "-" : Human.bytes(p),
            "",
            ""));
  }

  private static String cells(Tally.Row r) {
    if (r == null) {
      return String.format(Locale.ROOT, "%10s %7s %10s", "-", "-", "-");
    }
    return String.format(
        Locale.ROOT, "%10s %7d %10s", Human.bytes(r.size), r.regions, Human.bytes(r.largest));
  }

  private static final int NAME = 30;

  /**
   * A name cut to the column, keeping what tells it apart: the marks at its end (" (deleted)", and
   * strace's cut, which becomes "…") stay, then the last path element whole with as much of the
   * directory before it as fits; a last element too long for the column keeps its start and its end
   * ("/memfd:mymemfdl… (deleted)", "…_struct.cpython-311-x86_…gnu.so"). Cutting from the left alone
   * lost a memfd's name, and made every CPython extension module read the same.
   */
  static String shorten(String s) {
    if (s.length() <= NAME) {
      return s;
    }
    String core = s;
    String marks = "";
    if (core.endsWith(MapsFormat.DELETED)) {
      core = core.substring(0, core.length() - MapsFormat.DELETED.length());
      marks = MapsFormat.DELETED;
    }
    if (core.endsWith(ArgText.CUT)) {
      core = core.substring(0, core.length() - ArgText.CUT.length());
      marks = "…" + marks;
    }
    int room = NAME - marks.length();
    if (core.length() <= room) {
      return core + marks;
    }
    int tail = 6;
    if (core.lastIndexOf('/') <= 0) {
      // one element (/memfd:NAME, [anon:NAME]): its start and its end
      return core.substring(0, room - 1 - tail)
          + "…"
          + core.substring(core.length() - tail)
          + marks;
    }
    String base = core.substring(core.lastIndexOf('/') + 1);
    if (base.length() + 1 <= room) {
      return "…" + core.substring(core.length() - (room - 1)) + marks;
    }
    return "…"
        + base.substring(0, room - 2 - tail)
        + "…"
        + base.substring(base.length() - tail)
        + marks;
  }
}
