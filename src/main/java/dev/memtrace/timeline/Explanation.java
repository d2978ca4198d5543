package dev.memtrace.timeline;

import dev.memtrace.trace.SetLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One sentence of why, with what it rests on. basis says how sure it is: a stack frame from {@code
 * -k} or a snapshot is observed; arithmetic is computed from the numbers in the trace; a pattern is
 * inferred from the shape of neighbouring calls and reads as "fits" or "likely".
 */
public record Explanation(String rule, String text, Basis basis, List<String> evidence) {

  public Explanation {
    evidence = List.copyOf(evidence);
  }

  /** What a sentence rests on, each with the word JSON Lines writes for it. */
  public enum Basis {
    /** a {@code -k} stack frame of the call */
    STACK("stack"),
    /** a {@code /proc/PID/maps} snapshot (or the model built from one) */
    SNAPSHOT("snapshot"),
    /** the call's own numbers in the trace, and arithmetic on them */
    ARITHMETIC("trace"),
    /** an ELF header of a file the trace names */
    ELF("elf"),
    /** the shape of the call and its neighbours, a size pattern: inferred */
    PATTERN("pattern"),
    /** nothing better: a guess, worded as one */
    GUESS("guess");

    public final String label;

    Basis(String label) {
      this.label = label;
    }
  }

  /**
   * The sentence told for an event of file {@code own} of an {@code -ff} set: the lines it cites
   * (written as references) each name their file when it is another ({@link SetLines#resolve}).
   */
  public Explanation cited(SetLines set, int own) {
    if (!set.several()) {
      return this;
    }
    List<String> ev = new ArrayList<>(evidence.size());
    for (String e : evidence) {
      ev.add(set.resolve(e, own));
    }
    return new Explanation(rule, set.resolve(text, own), basis, ev);
  }

  /** The log lines the sentence rests on: the event's own line and every "line N" it cites. */
  public SortedSet<Integer> lines(int own) {
    SortedSet<Integer> out = new TreeSet<>();
    if (own > 0) {
      out.add(own);
    }
    cited(text, out);
    for (String e : evidence) {
      cited(e, out);
    }
    return out;
  }

  /**
   * A cited line, or a list or range of them; "line 12 of trace.23016" is another file's line in an
   * {@code -ff} set ({@link SetLines#resolve}), not one of the event's own file's, and is left out.
   */
  private static final Pattern LINE =
      Pattern.compile("\\blines? (\\d+)(?!\\d| of )(?:(?:, | and | to )\\d+(?!\\d| of ))*");

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  /**
   * Adds the numbers of each {@link #LINE} match in {@code s}. A match begins with "line", so the
   * pattern is tried only where "line" stands (with bounds transparent to its {@code \b}), which
   * finds what {@link Matcher#find()} would without trying every position of every sentence.
   */
  private static void cited(String s, Set<Integer> out) {
    int at = s.indexOf("line");
    if (at < 0) {
      return;
    }
    Matcher m = LINE.matcher(s).useTransparentBounds(true);
    while (at >= 0) {
      m.region(at, s.length());
      if (m.lookingAt()) {
        Matcher d = NUMBER.matcher(m.group());
        while (d.find() && d.group().length() < 10) {
          out.add(Integer.parseInt(d.group()));
        }
        at = s.indexOf("line", m.end());
      } else {
        at = s.indexOf("line", at + 1);
      }
    }
  }
}
