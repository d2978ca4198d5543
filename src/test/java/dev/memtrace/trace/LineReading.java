package dev.memtrace.trace;

import java.util.List;

/**
 * What one line says, in terms both readers of a line can give: the fast scanner ({@link
 * #of(LineParser, Piece)}) and the whole-line grammar ({@link LineGrammar}). Times are rounded to
 * the microsecond: the two readers add up seconds and fractions in different orders.
 *
 * @param kind call, unfinished, detached, open, resumed, signal, exit, notice, frame, dump, summary
 *     or unparsed
 * @param prefix the line's prefix, its times rounded (null when unparsed)
 * @param detail what the kind adds: a signal's name and siginfo, an exit's fields, a notice's kind,
 *     a frame's fields, a dump's bytes, an entry half's new pid
 */
record LineReading(
    String kind,
    Prefix prefix,
    String name,
    List<String> args,
    Result result,
    Double duration,
    String detail) {

  static final LineReading UNPARSED =
      new LineReading("unparsed", null, null, null, null, null, null);

  static LineReading of(
      String kind,
      Prefix p,
      String name,
      List<String> args,
      Result result,
      Double duration,
      String detail) {
    return new LineReading(
        kind,
        new Prefix(
            p.pid(), p.comm(), p.time(), micro(p.seconds()), micro(p.relative()), p.scno(), p.ip()),
        name,
        args,
        result,
        micro(duration),
        detail);
  }

  static Double micro(Double d) {
    return d == null ? null : Math.round(d * 1e6) / 1e6;
  }

  /**
   * The scanner's reading of a piece. A resumed half is read as the assembler reads one whose entry
   * half is not in the log: its rest as the end of an argument list.
   */
  static LineReading of(LineParser parser, Piece piece) {
    if (piece instanceof Piece.Done d) {
      return of(d.event());
    } else if (piece instanceof Piece.Frame f) {
      return of("frame", Prefix.NONE, null, null, null, null, f.frame().toString());
    } else if (piece instanceof Piece.Dump d) {
      return of("dump", Prefix.NONE, null, null, null, null, d.hex());
    } else if (piece instanceof Piece.Unfinished u) {
      return of(
          "unfinished",
          u.prefix(),
          u.name(),
          List.of(u.argsText()),
          null,
          null,
          u.newPid() == null ? null : "pid changed to " + u.newPid());
    } else if (piece instanceof Piece.Detached d) {
      return of("detached", d.prefix(), d.name(), List.of(d.argsText()), null, null, null);
    } else if (piece instanceof Piece.Open o) {
      return of("open", o.prefix(), o.name(), List.of(o.argsText()), null, null, null);
    }
    Piece.Resumed r = (Piece.Resumed) piece;
    TraceEvent e = Assembler.resume(parser, null, r);
    if (e instanceof SyscallEvent s) {
      return of("resumed", s.prefix(), s.name(), s.args().texts(), s.result(), s.duration(), null);
    }
    return UNPARSED;
  }

  private static LineReading of(TraceEvent e) {
    if (e instanceof SyscallEvent s) {
      return of("call", s.prefix(), s.name(), s.args().texts(), s.result(), s.duration(), null);
    } else if (e instanceof SignalEvent s) {
      return of("signal", s.prefix(), null, null, null, null, s.signal() + " " + s.siginfoText());
    } else if (e instanceof ExitEvent x) {
      return of(
          "exit",
          x.prefix(),
          null,
          null,
          null,
          null,
          x.kind()
              + " "
              + x.status()
              + " "
              + x.signal()
              + " "
              + x.coreDumped()
              + " "
              + x.execvePid());
    } else if (e instanceof NoticeEvent n) {
      return n.kind() == NoticeEvent.Kind.SUMMARY
          ? of("summary", n.prefix(), null, null, null, null, null)
          : of("notice", n.prefix(), null, null, null, null, n.kind().toString());
    }
    return UNPARSED;
  }
}
