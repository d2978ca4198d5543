package dev.memtrace.trace;

import java.util.List;

/**
 * {@link Args} over the printed text. The split into top-level arguments is done on first use
 * and kept; each typed {@link Arg} is parsed by the grammar only when asked for, so a renderer
 * that writes texts never pays for trees.
 */
final class TextArgs implements Args {

  private final String text;
  private List<String> texts;
  private Arg[] typed;

  TextArgs(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public List<String> texts() {
    List<String> t = texts;
    if (t == null) {
      t = List.copyOf(ArgScanner.split(text, 0, text.length()));
      texts = t;
    }
    return t;
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
    return text;
  }
}
