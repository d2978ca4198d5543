package dev.memtrace.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link Args} over the printed text. The split into top-level arguments is done on first use and
 * kept; each typed {@link Arg} is parsed by the grammar only when asked for, so a renderer that
 * writes texts never pays for trees.
 */
final class TextArgs implements Args {

  private final String line;
  private final int from;
  private final int to;

  /** Depth-0 comma positions in {@code line}, found by the scan that found the ')'; or null. */
  private final int[] commas;

  private String text;
  private List<String> texts;
  private Arg[] typed;

  TextArgs(String text) {
    this(text, 0, text.length(), null);
  }

  /** Arguments already split (by the grammar). */
  TextArgs(String text, List<String> texts) {
    this(text, 0, text.length(), null);
    this.texts = List.copyOf(texts);
  }

  /** The arguments between {@code from} and {@code to} of {@code line}, split at {@code commas}. */
  TextArgs(String line, int from, int to, int[] commas) {
    this.line = line;
    this.from = from;
    this.to = to;
    this.commas = commas;
  }

  @Override
  public String text() {
    String t = text;
    if (t == null) {
      t = line.substring(from, to);
      text = t;
    }
    return t;
  }

  @Override
  public List<String> texts() {
    List<String> t = texts;
    if (t == null) {
      t = commas == null ? ArgScanner.split(line, from, to) : cut();
      t = Collections.unmodifiableList(t);
      texts = t;
    }
    return t;
  }

  @Override
  public void eachText(TextSink sink) {
    // With the commas known, the pieces are cut() whether or not texts() has made them yet:
    // one way for every call, whichever stage looked at the arguments first.
    if (commas == null) {
      Args.super.eachText(sink);
      return;
    }
    if (from == to) {
      return;
    }
    int start = from;
    for (int c : commas) {
      sink.text(line, start, c);
      start = c + 1 < to && line.charAt(c + 1) == ' ' ? c + 2 : c + 1;
    }
    sink.text(line, start, to);
  }

  private List<String> cut() {
    if (from == to) {
      return List.of();
    }
    List<String> out = new ArrayList<>(commas.length + 1);
    int start = from;
    for (int c : commas) {
      out.add(line.substring(start, c));
      start = c + 1 < to && line.charAt(c + 1) == ' ' ? c + 2 : c + 1;
    }
    out.add(line.substring(start, to));
    return out;
  }

  @Override
  public Arg get(int i) {
    List<String> t = texts();
    if (typed == null) {
      typed = new Arg[t.size()];
    }
    Arg a = typed[i];
    if (a == null) {
      a = ArgParser.parseValue(t.get(i));
      typed[i] = a;
    }
    return a;
  }

  @Override
  public String toString() {
    return text();
  }
}
