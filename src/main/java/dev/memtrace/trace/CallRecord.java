package dev.memtrace.trace;

import dev.memtrace.trace.grammar.StraceArgsParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;

/**
 * A syscall record body as the grammar reads it (rule {@code callRecord}): the fallback for call
 * lines the fast scanner rejects, and the oracle the scanner is tested against.
 */
record CallRecord(String name, String argsText, List<String> args, Result result, Double duration) {

  static CallRecord from(String body, StraceArgsParser.CallRecordContext ctx) {
    List<String> args = new ArrayList<>();
    for (StraceArgsParser.CallArgContext a : ctx.callArg()) {
      args.add(text(body, a));
    }
    String argsText =
        args.isEmpty()
            ? ""
            : body.substring(
                ctx.callArg(0).getStart().getStartIndex(),
                ctx.callArg(ctx.callArg().size() - 1).getStop().getStopIndex() + 1);
    StraceArgsParser.RetvalContext rv = ctx.retval();
    String ret = text(body, rv);
    Long value = ret.equals("?") ? null : Numbers.literal(rv.NUMBER().getText());
    if (value == null && !ret.equals("?")) {
      // "0x", "09", a 17-digit hex: a NUMBER token, but no value strace prints.
      throw new IllegalArgumentException("return value is not a number: " + ret);
    }
    Double duration = null;
    if (rv.DECOR() != null
        && rv.DECOR().getSymbol().getStartIndex() != rv.NUMBER().getSymbol().getStopIndex() + 1) {
      // Whitespace is skipped by the lexer: "0 <0.000156>" is a -T time, not "0<fd path>".
      ret = rv.NUMBER().getText();
      String d = rv.DECOR().getText();
      duration = PrefixScanner.decimal(d, 1, d.length() - 1);
    }
    String errno = null;
    String errmsg = null;
    String aux = null;
    List<String> notes = new ArrayList<>();
    for (StraceArgsParser.SuffixContext s : ctx.suffix()) {
      if (s instanceof StraceArgsParser.ErrnoSuffixContext e) {
        errno = e.IDENT().getText();
        if (!errno.matches("E[A-Z0-9_]+") || errmsg != null) {
          throw new IllegalArgumentException("not an errno: " + errno);
        }
        errmsg = e.group() == null ? null : inner(body, e.group());
      } else if (s instanceof StraceArgsParser.GroupSuffixContext g) {
        String t = inner(body, g.group());
        if (t.equals("DELAYED") || t.startsWith("INJECTED")) {
          notes.add(t);
        } else if (errno == null && errmsg == null && aux == null && t.startsWith("errno ")) {
          errmsg = t;
        } else {
          aux = aux == null ? t : aux + " (" + t + ")";
        }
      } else if (s instanceof StraceArgsParser.TimeSuffixContext t) {
        String d = t.DECOR().getText();
        duration = PrefixScanner.decimal(d, 1, d.length() - 1);
      } else {
        String c = text(body, s);
        aux = aux == null ? c : aux + " " + c;
      }
    }
    return new CallRecord(
        ctx.name.getText(),
        argsText,
        args,
        Result.of(ret, value, errno, errmsg, aux, notes),
        duration);
  }

  private static String text(String body, ParserRuleContext c) {
    return body.substring(c.getStart().getStartIndex(), c.getStop().getStopIndex() + 1);
  }

  private static String inner(String body, StraceArgsParser.GroupContext g) {
    return body.substring(g.getStart().getStartIndex() + 1, g.getStop().getStopIndex());
  }
}
