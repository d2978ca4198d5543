package dev.memtrace.trace;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The parser facade: reads an strace log as bytes and hands out {@link TraceEvent}s one at a time,
 * in the order a reader of the log needs them. Stages, each owned by this class:
 *
 * <ol>
 *   <li>{@link LineReader}: bytes to lines (ISO-8859-1, so any byte survives);
 *   <li>stderr repair: an {@code strace: Process N attached} notice written into the middle of a
 *       record is cut out, reported as a notice, and the record is rejoined with the next line
 *       (strace-format.md section 8);
 *   <li>{@link LineParser}: one line to a piece, by a hand-written scanner (no tree);
 *   <li>{@link Assembler}: pieces to events (unfinished/resumed, {@code -k} frames, open lines).
 * </ol>
 *
 * Typed argument trees come later and lazily, from {@link Args#get(int)}. Never throws on bad
 * input: a line that fits no shape becomes an {@link UnparsedEvent}. Not thread-safe.
 */
public final class TraceReader implements EventSource {

  /** How an unparsed event caused by a bug in the scanner (not by the input) starts its error. */
  static final String INTERNAL_ERROR = "internal parser error: ";

  private final LineReader lines;
  private final LineParser parser;
  private final Assembler assembler;
  private final ArrayDeque<TraceEvent> out;
  private final Integer forcedPid;
  private final SetLines set;
  private final int index;
  private String carry;
  private int carryLine;
  private boolean finished;
  private long unparsed;
  private UnparsedEvent firstUnparsed;
  private int cutLine;

  /**
   * @param file the name events cite (null for standard input)
   * @param forcedPid the pid of every event whose line has none ({@code -ff} files), or null
   */
  public TraceReader(InputStream in, String file, Integer forcedPid) {
    this(in, file, forcedPid, SetLines.ONE, 0);
  }

  /**
   * @param set the numbering of the set this file belongs to ({@link SetLines#ONE} for one log)
   * @param index this file's place in it
   */
  public TraceReader(InputStream in, String file, Integer forcedPid, SetLines set, int index) {
    this.lines = new LineReader(in);
    this.parser = new LineParser(file);
    this.assembler = new Assembler(parser);
    this.out = assembler.output();
    this.forcedPid = forcedPid;
    this.set = set;
    this.index = index;
  }

  /** A source of one line of this file. */
  private Source source(int no, String text) {
    return new Source(parser.file(), no, text, no, set.ref(index, no));
  }

  /** Parses a whole text (tests, small inputs). */
  public static List<TraceEvent> parseAll(String text) {
    List<TraceEvent> events = new ArrayList<>();
    try (TraceReader r =
        new TraceReader(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), null, null)) {
      for (TraceEvent e = r.next(); e != null; e = r.next()) {
        events.add(e);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return events;
  }

  @Override
  public TraceEvent next() throws IOException {
    while (out.isEmpty()) {
      if (finished) {
        return null;
      }
      String line = lines.next();
      if (line == null) {
        if (carry != null) {
          feed(carry, carryLine, carry);
          carry = null;
        }
        assembler.finish();
        finished = true;
        continue;
      }
      int no = lines.lineNumber();
      if (lines.lastLineCut()) {
        cutLine = no;
      }
      if (carry != null) {
        String joined = carry + line;
        String raw = carry + "\n" + line;
        int at = carryLine;
        carry = null;
        if (!splice(joined, at)) {
          feed(joined, at, raw);
        }
      } else if (!splice(line, no)) {
        feed(line, no, line);
      }
    }
    TraceEvent e = out.poll();
    if (cutLine > 0
        && e instanceof SyscallEvent s
        && s.result() != null
        && s.source().endLine() == cutLine) {
      e = cutOff(s);
    }
    if (e instanceof UnparsedEvent u) {
      if (unparsed++ == 0) {
        firstUnparsed = u;
      }
    }
    return forcedPid == null || e.pid() != null ? e : withPid(e, forcedPid);
  }

  /**
   * Cuts a spliced {@code strace: Process N attached} notice off the end of a line that does not
   * start with it. Returns false when there is none.
   */
  private boolean splice(String line, int no) {
    int start = splicedNotice(line);
    if (start < 0) {
      return false;
    }
    String notice = line.substring(start);
    assembler.accept(new Piece.Done(Notices.parse(source(no, notice), notice)));
    carry = line.substring(0, start);
    carryLine = no;
    return true;
  }

  /**
   * Where a {@code strace: Process N attached} notice written into the end of {@code line} starts
   * (with its argv[0] path, if any), or -1 when there is none or the line starts with it.
   */
  static int splicedNotice(String line) {
    if (!(line.endsWith(" attached") || line.endsWith(" threads"))) {
      return -1;
    }
    int at = line.indexOf("strace: Process ");
    if (at <= 0) {
      return -1;
    }
    int start = at;
    if (line.charAt(at - 1) == '/') {
      // "/usr/bin/strace: ...": argv[0] of strace as typed.
      int k = at - 1;
      while (k > 0 && " ,({[".indexOf(line.charAt(k - 1)) < 0) {
        k--;
      }
      if (line.charAt(k) == '/') {
        start = k;
      }
    }
    if (start == 0 || !Notices.SPLICED.matcher(line).region(start, line.length()).matches()) {
      return -1;
    }
    return start;
  }

  private String parserFile() {
    return parser.file();
  }

  private void feed(String text, int no, String raw) {
    Source src = source(no, raw);
    Piece piece;
    try {
      piece = parser.parse(text, src);
    } catch (RuntimeException e) {
      // A scanner bug must not cost the rest of the log: the line is reported, not the trace.
      piece = new Piece.Done(new UnparsedEvent(src, Prefix.NONE, INTERNAL_ERROR + e));
    }
    assembler.accept(piece);
  }

  @Override
  public boolean ready() throws IOException {
    return !out.isEmpty() || finished || lines.ready();
  }

  @Override
  public long linesRead() {
    return lines.lineNumber();
  }

  @Override
  public long unparsedCount() {
    return unparsed;
  }

  @Override
  public UnparsedEvent firstUnparsed() {
    return firstUnparsed;
  }

  /** True when the input ended in the middle of a line (strace was killed). */
  public boolean endedMidLine() {
    return lines.lastLineCut();
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }

  /**
   * A call on a last line with no newline: strace ends every record with one, so the log was cut (a
   * copy cut short, strace killed while writing) and the cut may have shortened the result ({@code
   * = 0x7f7602cb0000} read as {@code = 0x7f7602cb0}, a mapping that never was). It comes out as a
   * call that never returned in the log, with the arguments it has, as a line cut before its result
   * does.
   */
  private static SyscallEvent cutOff(SyscallEvent s) {
    return new SyscallEvent(
        s.source(),
        s.prefix(),
        s.name(),
        s.args(),
        null,
        null,
        s.stack(),
        SyscallEvent.Completion.UNFINISHED,
        s.dump(),
        s.clonesInFlight());
  }

  static TraceEvent withPid(TraceEvent e, Integer pid) {
    Prefix p = e.prefix().withPid(pid);
    if (e instanceof SyscallEvent s) {
      return new SyscallEvent(
          s.source(),
          p,
          s.name(),
          s.args(),
          s.result(),
          s.duration(),
          s.stack(),
          s.completion(),
          s.dump(),
          s.clonesInFlight());
    } else if (e instanceof SignalEvent s) {
      return new SignalEvent(s.source(), p, s.signal(), s.siginfoText(), s.stack());
    } else if (e instanceof ExitEvent x) {
      return new ExitEvent(
          x.source(), p, x.kind(), x.status(), x.signal(), x.coreDumped(), x.execvePid());
    } else if (e instanceof NoticeEvent n) {
      return n.kind() == NoticeEvent.Kind.SUMMARY
          ? n
          : new NoticeEvent(n.source(), p, n.kind(), n.text());
    }
    UnparsedEvent u = (UnparsedEvent) e;
    return new UnparsedEvent(u.source(), p, u.error());
  }
}
