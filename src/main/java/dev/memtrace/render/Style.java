package dev.memtrace.render;

/**
 * ANSI colours for the text timeline, or none (not a terminal, {@code NO_COLOR}, {@code --color
 * never}).
 */
record Style(boolean on) {

  String name(String s) {
    return wrap("1;36", s);
  }

  String error(String s) {
    return wrap("31", s);
  }

  String signal(String s) {
    return wrap("1;33", s);
  }

  String exit(String s) {
    return wrap("35", s);
  }

  String dim(String s) {
    return wrap("2", s);
  }

  String added(String s) {
    return wrap("32", s);
  }

  String removed(String s) {
    return wrap("31", s);
  }

  private String wrap(String code, String s) {
    return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
