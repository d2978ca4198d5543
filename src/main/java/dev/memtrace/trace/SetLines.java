package dev.memtrace.trace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbering of the lines of several logs read as one (an {@code strace -ff} set: one file per
 * task, each numbering its lines from 1), and the one owner of how a sentence cites them. After
 * parsing, the stages keep one int per line they remember (the line a region was made at, the line
 * of a munmap): in a set that int is the line's {@linkplain Source#ref() reference}, {@code (line -
 * 1) * N + F + 1} for line {@code line} of file F (0-based) of N, so "line 12" of one file and of
 * another stay apart; a single log's references are its lines. A sentence is written with
 * references ("made at line R"), and {@link #cite} tells it for the event it is about: a line of
 * that event's own file stays "line 12", one of another file says which: "line 12 of
 * bash_pipes_ff.26361" (the file's base name, or its name as given when two share a base name).
 */
public final class SetLines {

  /** A file of a set with more lines than the set's references can number. */
  public static final class TooLong extends RuntimeException {
    TooLong(String message) {
      super(message);
    }
  }

  /** A single log: each line is its own reference, and no sentence changes. */
  public static final SetLines ONE = new SetLines(List.of(""));

  private final List<String> names;
  private final int n;

  /**
   * @param files the set's files as given, in the order their readers are numbered
   */
  public SetLines(List<String> files) {
    this.n = Math.max(1, files.size());
    Set<String> bases = new HashSet<>();
    boolean unique = true;
    for (String f : files) {
      unique &= bases.add(base(f));
    }
    List<String> out = new ArrayList<>();
    for (String f : files) {
      out.add(unique ? base(f) : f);
    }
    this.names = List.copyOf(out);
  }

  private static String base(String file) {
    if (file == null) {
      return "standard input";
    }
    Path p = Path.of(file).getFileName();
    return p == null ? file : p.toString();
  }

  /** Whether there are several files, so that a reference is not a line. */
  public boolean several() {
    return n > 1;
  }

  /** The reference of line {@code line} of file {@code file} (0-based). */
  public int ref(int file, int line) {
    if (n == 1 || line <= 0) {
      return line;
    }
    long r = (line - 1L) * n + file + 1;
    if (r > Integer.MAX_VALUE) {
      throw new TooLong(
          "line "
              + line
              + " of "
              + names.get(file)
              + " is past what a set of "
              + n
              + " files can number ("
              + (Integer.MAX_VALUE / n)
              + " lines a file): read fewer files at once, or that file alone");
    }
    return (int) r;
  }

  /** The file (0-based) a reference is in. */
  public int file(int ref) {
    return n == 1 || ref <= 0 ? 0 : (ref - 1) % n;
  }

  /** The line in its file a reference is. */
  public int line(int ref) {
    return n == 1 || ref <= 0 ? ref : (ref - 1) / n + 1;
  }

  /** The name a sentence gives a file of the set. */
  public String name(int file) {
    return names.get(file);
  }

  /**
   * A reference as a sentence about an event of file {@code own} cites it: "12", or "12 of NAME"
   * for another file's line; own -1: every line names its file (a summary, which is about no
   * event).
   */
  public String cite(int ref, int own) {
    int line = line(ref);
    if (n == 1 || ref <= 0) {
      return Integer.toString(line);
    }
    int f = file(ref);
    return f == own ? Integer.toString(line) : line + " of " + names.get(f);
  }

  /**
   * "line R", "lines R, S and T", "lines R to S": how sentences cite references; "lines 7, 9 and 4
   * more calls" counts what it leaves out, no line.
   */
  private static final Pattern CITED =
      Pattern.compile(
          "\\b(lines? )(\\d{1,10})(?!\\d)((?:(?:, | and | to )\\d{1,10}(?!\\d| more))*)");

  private static final Pattern NUMBER = Pattern.compile("(, | and | to )(\\d+)");

  /**
   * A sentence written with references, told for an event of file {@code own}: each cited line of
   * another file says which file (see {@link #cite}). A single log's sentence comes back as it is.
   */
  public String resolve(String sentence, int own) {
    if (n == 1 || sentence.indexOf("line") < 0) {
      return sentence;
    }
    Matcher m = CITED.matcher(sentence);
    StringBuilder b = null;
    int last = 0;
    while (m.find()) {
      if (b == null) {
        b = new StringBuilder(sentence.length() + 32);
      }
      b.append(sentence, last, m.start()).append(m.group(1)).append(citeText(m.group(2), own));
      Matcher d = NUMBER.matcher(m.group(3));
      while (d.find()) {
        b.append(d.group(1)).append(citeText(d.group(2), own));
      }
      last = m.end();
    }
    return b == null ? sentence : b.append(sentence, last, sentence.length()).toString();
  }

  private String citeText(String digits, int own) {
    long v = Long.parseLong(digits);
    return v > Integer.MAX_VALUE ? digits : cite((int) v, own);
  }
}
