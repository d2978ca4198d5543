package dev.memtrace.trace;

import dev.memtrace.trace.grammar.StraceLineLexer;
import dev.memtrace.trace.grammar.StraceLineParser;
import dev.memtrace.trace.grammar.StraceLineParser.CompleteCallContext;
import dev.memtrace.trace.grammar.StraceLineParser.ResultContext;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Reads one line with the whole-line grammar (grammar/StraceLineLexer.g4, StraceLineParser.g4) into
 * a {@link LineReading}, the oracle the fast scanner is held to. Fast SLL prediction first, full LL
 * only for what it rejects, as {@link ArgParser} does.
 */
final class LineGrammar {

  private LineGrammar() {}

  static LineReading read(String line) {
    StraceLineParser.LineContext tree;
    try {
      tree = parser(line, PredictionMode.SLL, true).line();
    } catch (ParseCancellationException e) {
      try {
        tree = parser(line, PredictionMode.LL, false).line();
      } catch (ParseCancellationException e2) {
        return LineReading.UNPARSED;
      }
    }
    return new Reader(line).line(tree);
  }

  private static StraceLineParser parser(String text, PredictionMode mode, boolean bail) {
    StraceLineLexer lexer = new StraceLineLexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    StraceLineParser p = new StraceLineParser(new CommonTokenStream(lexer));
    p.removeErrorListeners();
    p.getInterpreter().setPredictionMode(mode);
    p.setErrorHandler(bail ? new BailErrorStrategy() : new DefaultErrorStrategy());
    if (!bail) {
      p.addErrorListener(
          new BaseErrorListener() {
            @Override
            public void syntaxError(
                Recognizer<?, ?> r,
                Object sym,
                int line,
                int col,
                String msg,
                RecognitionException e) {
              throw new ParseCancellationException(msg);
            }
          });
    }
    return p;
  }

  /** Turns a tree into a reading; positions index the line's text. */
  private record Reader(String s) {

    LineReading line(StraceLineParser.LineContext l) {
      if (l instanceof StraceLineParser.FrameLineContext f) {
        return frame(f.frame());
      } else if (l instanceof StraceLineParser.DumpLineContext d) {
        String bytes = d.DUMP_BYTES().getText().substring(10).replace(" ", "");
        return LineReading.of("dump", Prefix.NONE, null, null, null, null, bytes);
      } else if (l instanceof StraceLineParser.BufferLineContext) {
        return LineReading.of("dump", Prefix.NONE, null, null, null, null, "");
      } else if (l instanceof StraceLineParser.NoticeLineContext n) {
        return notice(n.notice());
      } else if (l instanceof StraceLineParser.SummaryLineContext) {
        return LineReading.of("summary", Prefix.NONE, null, null, null, null, null);
      }
      StraceLineParser.RecordLineContext r = (StraceLineParser.RecordLineContext) l;
      return record(prefix(r.prefix()), r.record());
    }

    private LineReading frame(StraceLineParser.FrameContext f) {
      Long offset = null;
      if (f.FRAME_OFFSET() != null) {
        String o = f.FRAME_OFFSET().getText();
        offset = Numbers.literal(o.substring(2, o.length() - 1));
      }
      int at = f.children.indexOf(f.object) + 1;
      int end =
          at < f.children.size() && f.children.get(at) instanceof TerminalNode t
              ? t.getSymbol().getStartIndex()
              : s.length();
      String object = s.substring(f.FRAME_START().getSymbol().getStopIndex() + 1, end);
      String symbol = null;
      Long symOff = null;
      if (f.symbol != null) {
        symbol = text(f.symbol, f.FRAME_SYMBOL_END().getSymbol());
        String e = f.FRAME_SYMBOL_END().getText();
        symOff = Numbers.literal(e.substring(1, e.length() - 1));
      }
      StackFrame frame = new StackFrame(object, symbol, symOff, offset);
      return LineReading.of("frame", Prefix.NONE, null, null, null, null, frame.toString());
    }

    private LineReading notice(StraceLineParser.NoticeContext n) {
      TerminalNode a = n.NOTICE_ATTACHED() != null ? n.NOTICE_ATTACHED() : n.NOTICE_DETACHED();
      if (a == null) {
        return LineReading.of("notice", Prefix.NONE, null, null, null, null, "STRACE_MESSAGE");
      }
      String t = a.getText();
      int pid = PrefixScanner.parseInt(t, 8, t.indexOf(' ', 8));
      String kind = n.NOTICE_ATTACHED() != null ? "ATTACHED" : "DETACHED";
      return LineReading.of("notice", Prefix.NONE.withPid(pid), null, null, null, null, kind);
    }

    private Prefix prefix(StraceLineParser.PrefixContext c) {
      Integer pid = null;
      String comm = null;
      if (c.pid() != null) {
        ParseTree t = c.pid().PID_OPEN() != null ? c.pid().getChild(1) : c.pid().getChild(0);
        String p = t.getText();
        int lt = p.indexOf('<');
        pid = PrefixScanner.parseInt(p, 0, lt < 0 ? p.length() : lt);
        comm = lt < 0 ? null : p.substring(lt + 1, p.length() - 1);
      }
      String time = null;
      Double seconds = null;
      if (c.absTime() != null) {
        time = c.absTime().getChild(0).getText();
        if (c.absTime().TIME() != null) {
          seconds =
              Integer.parseInt(time.substring(0, 2)) * 3600.0
                  + Integer.parseInt(time.substring(3, 5)) * 60
                  + Double.parseDouble(time.substring(6));
        } else {
          seconds = Double.parseDouble(time);
        }
      }
      Double relative = null;
      if (c.relTime() != null) {
        TerminalNode n =
            c.relTime().DECIMAL() != null ? c.relTime().DECIMAL() : c.relTime().NUMBER();
        relative = Double.parseDouble(n.getText());
      }
      Integer scno = null;
      if (c.scno() != null && c.scno().NUMBER() != null) {
        scno = Integer.parseInt(c.scno().NUMBER().getText());
      }
      String ip = null;
      if (c.ip() != null) {
        ip = c.ip().getChild(1).getText();
      }
      if (pid == null && time == null && relative == null && scno == null && ip == null) {
        return Prefix.NONE;
      }
      return new Prefix(pid, comm, time, seconds, relative, scno, ip);
    }

    private LineReading record(Prefix p, StraceLineParser.RecordContext r) {
      if (r instanceof StraceLineParser.UnfinishedCallContext u) {
        return entry("unfinished", p, u.NAME(), u.LP(), u.UNFINISHED(), null);
      } else if (r instanceof StraceLineParser.DetachedCallContext d) {
        return entry("detached", p, d.NAME(), d.LP(), d.DETACHED(), null);
      } else if (r instanceof StraceLineParser.PidChangedCallContext c) {
        String t = c.PID_CHANGED().getText();
        Long to = Numbers.parse(t, " <pid changed to ".length(), t.length() - 5);
        Integer newPid = to != null && to > 0 && to <= Integer.MAX_VALUE ? to.intValue() : null;
        return entry(
            "unfinished",
            p,
            c.NAME(),
            c.LP(),
            c.PID_CHANGED(),
            newPid == null ? null : "pid changed to " + newPid);
      } else if (r instanceof CompleteCallContext c) {
        Token end = c.UNFINISHED() != null ? c.UNFINISHED().getSymbol() : c.RP().getSymbol();
        return call(
            "call", p, c.NAME().getText(), c.callArgs(), c.LP().getSymbol(), end, c.result());
      } else if (r instanceof StraceLineParser.OpenCallContext o) {
        String args = s.substring(o.LP().getSymbol().getStopIndex() + 1);
        return LineReading.of("open", p, o.NAME().getText(), List.of(args), null, null, null);
      } else if (r instanceof StraceLineParser.ResumedCallContext c) {
        String m = c.RESUMED().getText();
        String name = m.substring(5, m.length() - " resumed>".length());
        Token end = c.UNFINISHED() != null ? c.UNFINISHED().getSymbol() : c.RP().getSymbol();
        return call("resumed", p, name, c.callArgs(), c.RESUMED().getSymbol(), end, c.result());
      } else if (r instanceof StraceLineParser.GroupStopContext g) {
        String sig = between(g.STOPPED_BY().getSymbol(), g.SIG_CLOSE().getSymbol());
        return LineReading.of("signal", p, null, null, null, null, sig + " null");
      } else if (r instanceof StraceLineParser.SignalContext g) {
        String info =
            g.siginfo() == null ? null : between(g.SP().getSymbol(), g.SIG_CLOSE().getSymbol());
        return LineReading.of(
            "signal", p, null, null, null, null, g.SIGNAL().getText() + " " + info);
      } else if (r instanceof StraceLineParser.ExitedContext x) {
        Long v = Numbers.literal(x.NUMBER().getText());
        return exit(p, "EXITED " + (v == null ? null : v.intValue()) + " null false null");
      } else if (r instanceof StraceLineParser.KilledContext k) {
        return exit(
            p, "KILLED null " + k.SIGNAL().getText() + " " + (k.CORE_DUMPED() != null) + " null");
      } else if (r instanceof StraceLineParser.SupersededContext x) {
        Long v = Numbers.literal(x.NUMBER().getText());
        return exit(p, "SUPERSEDED null null false " + (v == null ? null : v.intValue()));
      }
      return LineReading.of("notice", p, null, null, null, null, "PERSONALITY");
    }

    private LineReading exit(Prefix p, String detail) {
      return LineReading.of("exit", p, null, null, null, null, detail);
    }

    private LineReading entry(
        String kind, Prefix p, TerminalNode name, TerminalNode lp, TerminalNode mark, String d) {
      String args = between(lp.getSymbol(), mark.getSymbol());
      return LineReading.of(kind, p, name.getText(), List.of(args), null, null, d);
    }

    /** A call: its arguments cut at the commas directly in callArgs, and its result. */
    private LineReading call(
        String kind,
        Prefix p,
        String name,
        StraceLineParser.CallArgsContext a,
        Token open,
        Token close,
        ResultContext rc) {
      List<String> args = new ArrayList<>();
      int from = open.getStopIndex() + 1;
      int to = close.getStartIndex();
      if (from < to) {
        int start = from;
        for (TerminalNode comma : a.COMMA()) {
          int c = comma.getSymbol().getStartIndex();
          args.add(s.substring(start, c));
          start = c + 1 < to && s.charAt(c + 1) == ' ' ? c + 2 : c + 1;
        }
        args.add(s.substring(start, to));
      }
      return result(kind, p, name, args, rc);
    }

    private LineReading result(
        String kind, Prefix p, String name, List<String> args, ResultContext rc) {
      String text = rc.value().getText();
      int lt = text.indexOf('<');
      Long value = text.equals("?") ? null : Numbers.literal(lt < 0 ? text : text.substring(0, lt));
      String errno = null;
      String errmsg = null;
      String aux = null;
      List<String> notes = new ArrayList<>();
      Double duration = null;
      boolean afterErrno = false;
      for (ParseTree child : rc.children) {
        if (child instanceof TerminalNode t) {
          int type = t.getSymbol().getType();
          if (type == StraceLineParser.ERRNO) {
            errno = t.getText();
            afterErrno = true;
            continue;
          } else if (type == StraceLineParser.DURATION) {
            String d = t.getText();
            duration = PrefixScanner.decimal(d, 1, d.length() - 1);
          } else if (type == StraceLineParser.COMMENT) {
            aux = aux == null ? t.getText() : aux + " " + t.getText();
          }
          if (type != StraceLineParser.SP) {
            afterErrno = false;
          }
        } else if (child instanceof StraceLineParser.GroupContext g) {
          String inner = s.substring(g.getStart().getStartIndex() + 1, g.getStop().getStartIndex());
          if (afterErrno) {
            errmsg = inner;
          } else if (inner.equals("DELAYED") || inner.startsWith("INJECTED")) {
            notes.add(inner);
          } else if (errno == null && errmsg == null && aux == null && inner.startsWith("errno ")) {
            errmsg = inner;
          } else {
            aux = aux == null ? inner : aux + " (" + inner + ")";
          }
          afterErrno = false;
        }
      }
      Result result = Result.of(text, value, errno, errmsg, aux, notes);
      return LineReading.of(kind, p, name, args, result, duration, null);
    }

    /** The text strictly between two tokens. */
    private String between(Token a, Token b) {
      return s.substring(a.getStopIndex() + 1, b.getStartIndex());
    }

    /** The text from a rule's start to just before token {@code end}. */
    private String text(ParserRuleContext c, Token end) {
      return s.substring(c.getStart().getStartIndex(), end.getStartIndex());
    }
  }
}
