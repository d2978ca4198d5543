package dev.memtrace.trace;

import java.util.List;

/**
 * Signal ({@code --- ... ---}) and exit ({@code +++ ... +++}) records (strace.c:print_stopped,
 * print_exited, print_signalled).
 */
final class Records {

  private Records() {}

  /** {@code --- SIGCHLD {si_signo=...} ---} or {@code --- stopped by SIGSTOP ---}. */
  static Piece signal(Source src, Prefix p, String s, int i) {
    if (!s.endsWith(" ---") || s.length() < i + 8) {
      return LineParser.unparsed(src, p, "signal record without closing '---'");
    }
    String body = s.substring(i + 4, s.length() - 4);
    if (body.startsWith("stopped by ")) {
      return new Piece.Done(new SignalEvent(src, p, body.substring(11), null, List.of()));
    }
    int sp = body.indexOf(' ');
    String name = sp < 0 ? body : body.substring(0, sp);
    if (!name.startsWith("SIG")) {
      return LineParser.unparsed(src, p, "signal record without a signal name");
    }
    String info = sp < 0 ? null : body.substring(sp + 1);
    return new Piece.Done(new SignalEvent(src, p, name, info, List.of()));
  }

  /**
   * {@code +++ exited with N +++}, {@code +++ killed by SIGX [(core dumped) ]+++}, {@code +++
   * superseded by execve in pid N +++}.
   */
  static Piece exit(Source src, Prefix p, String s, int i) {
    if (!s.endsWith(" +++")) {
      return LineParser.unparsed(src, p, "exit record without closing '+++'");
    }
    String body = s.substring(i + 4, s.length() - 4);
    ExitEvent e = null;
    if (body.startsWith("exited with ")) {
      Long v = Numbers.literal(body.substring(12));
      if (v != null) {
        e = new ExitEvent(src, p, ExitEvent.Kind.EXITED, v.intValue(), null, false, null);
      }
    } else if (body.startsWith("killed by ")) {
      String rest = body.substring(10);
      boolean core = rest.endsWith(" (core dumped)");
      String sig = core ? rest.substring(0, rest.length() - 14) : rest;
      if (sig.startsWith("SIG") && sig.indexOf(' ') < 0) {
        e = new ExitEvent(src, p, ExitEvent.Kind.KILLED, null, sig, core, null);
      }
    } else if (body.startsWith("superseded by execve in pid ")) {
      Long v = Numbers.literal(body.substring(28));
      if (v != null) {
        e = new ExitEvent(src, p, ExitEvent.Kind.SUPERSEDED, null, null, false, v.intValue());
      }
    }
    return e == null ? LineParser.unparsed(src, p, "unknown exit record") : new Piece.Done(e);
  }
}
