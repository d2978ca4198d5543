package dev.memtrace.trace;

import java.util.Arrays;
import java.util.List;

/**
 * The fast path: turns one physical line into a {@link Piece} by reading the prefix, then the
 * body's first characters to tell the shape (call, entry half, resumed half, signal, exit,
 * personality notice, frame, summary row, notice), then finding the argument list's closing
 * parenthesis and the result without building a tree. Arguments stay text ({@link TextArgs}); their
 * typed tree is built by the ANTLR grammar only when a consumer asks. One instance per stream: it
 * reuses its scanners and is not thread-safe.
 */
final class LineParser {

  static final String UNFINISHED = " <unfinished ...>";
  static final String RESUMED = " resumed>";
  static final String DETACHED = " <detached ...>";
  private static final String PID_CHANGED = " <pid changed to ";

  private final PrefixScanner prefix = new PrefixScanner();
  private final ResultScanner result = new ResultScanner();
  private final ArgScanner.Commas commas = new ArgScanner.Commas();
  private final Names names = new Names();
  private final String file;

  LineParser(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  Piece parse(String line, int lineNo) {
    return parse(line, new Source(file, lineNo, line));
  }

  /**
   * Parses {@code line} (which may be several physical lines put back together) as from {@code
   * src}.
   */
  Piece parse(String line, Source src) {
    if (line.startsWith(" > ")) {
      return new Piece.Frame(src, Frames.parse(line.substring(3)));
    }
    if (line.isEmpty()) {
      return unparsed(src, Prefix.NONE, "empty line");
    }
    if (line.startsWith(" | ") || line.startsWith(" * ")) {
      String hex = Dumps.hex(line);
      if (hex != null) {
        return new Piece.Dump(src, hex);
      }
    }
    char first = line.charAt(0);
    if (first == ' ' || first == '%' || first == '-' || first == 'S' || first == 's') {
      NoticeEvent table = Summary.parse(src, line);
      if (table != null) {
        return new Piece.Done(table);
      }
    }
    if (first != '['
        && !PrefixScanner.isDigit(first)
        && first != ' '
        && first != '<'
        && first != '+') {
      NoticeEvent notice = Notices.parse(src, line);
      if (notice != null) {
        return new Piece.Done(notice);
      }
    }
    prefix.scan(line);
    int i = prefix.end;
    Prefix p = prefix.prefix();
    int n = line.length();
    if (i >= n) {
      return unparsed(src, p, "no record after the prefix");
    }
    char c = line.charAt(i);
    if (c >= 'a' && c <= 'z' || c == '_') {
      int e = i + 1;
      while (e < n && isNameChar(line.charAt(e))) {
        e++;
      }
      if (e < n && line.charAt(e) == '(') {
        return call(src, p, line, names.of(line, i, e), e + 1);
      }
      NoticeEvent row = i == 0 ? Summary.parse(src, line) : null; // "-U name,..." tables
      return row != null
          ? new Piece.Done(row)
          : unparsed(src, p, "expected '(' after a syscall name");
    }
    if (line.startsWith("<... ", i)) {
      int r = line.indexOf(RESUMED, i + 5);
      if (r < 0) {
        return unparsed(src, p, "'<...' without 'resumed>'");
      }
      return new Piece.Resumed(
          src, p, names.of(line, i + 5, r), line.substring(r + RESUMED.length()));
    }
    if (line.startsWith("--- ", i)) {
      return Records.signal(src, p, line, i);
    }
    if (line.startsWith("+++ ", i)) {
      return Records.exit(src, p, line, i);
    }
    if (line.startsWith("[ Process PID=", i) && line.endsWith(" ]")) {
      return new Piece.Done(
          new NoticeEvent(src, p, NoticeEvent.Kind.PERSONALITY, line.substring(i)));
    }
    if (PrefixScanner.isDigit(first)) {
      NoticeEvent table = Summary.parse(src, line);
      if (table != null) {
        return new Piece.Done(table);
      }
    }
    return unparsed(src, p, "not a line strace writes");
  }

  /** The body {@code NAME(...}: {@code open} is the index just after the parenthesis. */
  Piece call(Source src, Prefix p, String s, String name, int open) {
    int n = s.length();
    // the three markers end in "...>"; a finished call (with -T: "<0.000008>") does not
    boolean marked = n >= 2 && s.charAt(n - 2) == '.';
    if (marked && s.endsWith(UNFINISHED)) {
      int end = n - UNFINISHED.length();
      return new Piece.Unfinished(src, p, name, s.substring(open, end), null);
    }
    if (marked && s.endsWith(DETACHED)) {
      return new Piece.Detached(src, p, name, s.substring(open, n - DETACHED.length()));
    }
    if (marked && s.endsWith(" ...>")) {
      int pc = s.lastIndexOf(PID_CHANGED);
      if (pc >= open) {
        Long to = Numbers.parse(s, pc + PID_CHANGED.length(), n - 5);
        Integer newPid = to != null && to > 0 && to <= Integer.MAX_VALUE ? to.intValue() : null;
        return new Piece.Unfinished(src, p, name, s.substring(open, pc), newPid);
      }
    }
    commas.clear();
    int close = ArgScanner.closeParen(s, open, n, commas);
    if (close > open
        && s.charAt(close - 1) == '>'
        && s.startsWith(UNFINISHED, close - UNFINISHED.length())) {
      // "NAME(args <unfinished ...>) = ?": the task vanished with the decoder still printing.
      int marker = close - UNFINISHED.length();
      return call(src, p, s.substring(0, marker) + s.substring(close), name, open);
    }
    if (close == -1) {
      return new Piece.Open(src, p, name, s.substring(open));
    }
    if (close < 0) {
      return viaGrammar(src, p, s, open, "a bracket closes that was never opened");
    }
    if (!result.scan(s, close + 1)) {
      return viaGrammar(src, p, s, open, result.error);
    }
    TextArgs args = new TextArgs(s, open, close, Arrays.copyOf(commas.at, commas.size));
    return new Piece.Done(
        new SyscallEvent(
            src,
            p,
            name,
            args,
            result.result,
            result.duration,
            List.of(),
            SyscallEvent.Completion.COMPLETE));
  }

  /**
   * The fallback for a call line the scanner rejects: the grammar's callRecord rule. If that does
   * not fit either, the line is unparsed with the scanner's reason.
   */
  private Piece viaGrammar(Source src, Prefix p, String s, int open, String error) {
    int nameStart = open - 1;
    while (nameStart > 0 && isNameChar(s.charAt(nameStart - 1))) {
      nameStart--;
    }
    CallRecord r = ArgParser.parseCallRecord(s.substring(nameStart));
    if (r == null) {
      return unparsed(src, p, error);
    }
    return new Piece.Done(
        new SyscallEvent(
            src,
            p,
            r.name(),
            new TextArgs(r.argsText(), r.args()),
            r.result(),
            r.duration(),
            List.of(),
            SyscallEvent.Completion.COMPLETE));
  }

  static boolean isNameCharInt(int c) {
    return isNameChar((char) c);
  }

  static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  static Piece unparsed(Source src, Prefix p, String error) {
    return new Piece.Done(new UnparsedEvent(src, p, error));
  }
}
