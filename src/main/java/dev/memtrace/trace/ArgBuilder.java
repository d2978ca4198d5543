package dev.memtrace.trace;

import dev.memtrace.trace.grammar.StraceArgsBaseVisitor;
import dev.memtrace.trace.grammar.StraceArgsParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds {@link Arg} records from a parse tree: one small visit method per labelled alternative,
 * mostly one record constructor each. Every node keeps the exact text it was parsed from.
 */
final class ArgBuilder extends StraceArgsBaseVisitor<Arg> {

  private final String source;

  ArgBuilder(String source) {
    this.source = source;
  }

  private String text(ParserRuleContext ctx) {
    Token a = ctx.getStart();
    Token b = ctx.getStop();
    if (a == null || b == null || b.getStopIndex() < a.getStartIndex()) {
      return "";
    }
    return source.substring(a.getStartIndex(), b.getStopIndex() + 1);
  }

  @Override
  public Arg visitArg(StraceArgsParser.ArgContext ctx) {
    Arg before = visit(ctx.expr(0));
    if (ctx.ARROW() == null) {
      return before;
    }
    return new Arg.Changed(text(ctx), before, visit(ctx.expr(1)));
  }

  @Override
  public Arg visitExpr(StraceArgsParser.ExprContext ctx) {
    List<StraceArgsParser.UnaryContext> parts = ctx.unary();
    if (parts.size() == 1 && ctx.lead == null) {
      return visit(parts.get(0));
    }
    boolean flags = ctx.binop().stream().allMatch(o -> o.getText().equals("|"));
    if (!flags) {
      return new Arg.Other(text(ctx));
    }
    List<Arg> out = new ArrayList<>(parts.size());
    for (StraceArgsParser.UnaryContext u : parts) {
      out.add(visit(u));
    }
    return new Arg.Flags(text(ctx), out);
  }

  @Override
  public Arg visitUnary(StraceArgsParser.UnaryContext ctx) {
    Arg value = visit(ctx.primary());
    String all = text(ctx);
    if (ctx.prefixOp != null) {
      if (ctx.prefixOp.getText().equals("~") && value instanceof Arg.BitSet b) {
        value = new Arg.BitSet(all, true, b.members());
      } else if (ctx.prefixOp.getText().equals("~")
          && value instanceof Arg.Array a
          && a.items().stream().allMatch(i -> i instanceof Arg.Sym || i instanceof Arg.Num)) {
        // "~[]" and "~[RT_1]": a one-member set reads like an array.
        value = new Arg.BitSet(all, true, a.items().stream().map(Arg::text).toList());
      } else {
        value = new Arg.Other(all);
      }
    }
    if (ctx.ELLIPSIS() != null) {
      value =
          value instanceof Arg.Str s
              ? new Arg.Str(s.text() + "...", s.bytes(), true)
              : new Arg.Other(text(ctx.primary()) + "...");
    }
    TerminalNode comment = ctx.COMMENT();
    if (comment != null) {
      String c = comment.getText();
      value = new Arg.Commented(all, value, c.substring(2, c.length() - 2).strip());
    }
    return value;
  }

  @Override
  public Arg visitNumber(StraceArgsParser.NumberContext ctx) {
    String n = ctx.NUMBER().getText();
    Long v = Numbers.literal(n);
    Arg num = v == null ? new Arg.Other(n) : new Arg.Num(n, v);
    return ctx.DECOR() == null ? num : fd(text(ctx), num, ctx.DECOR().getText());
  }

  @Override
  public Arg visitSymbol(StraceArgsParser.SymbolContext ctx) {
    Arg sym = new Arg.Sym(ctx.IDENT().getText());
    return ctx.DECOR() == null ? sym : fd(text(ctx), sym, ctx.DECOR().getText());
  }

  private static Arg fd(String text, Arg fd, String decoration) {
    boolean deleted = decoration.endsWith("(deleted)");
    String d = deleted ? decoration.substring(0, decoration.length() - 9) : decoration;
    return new Arg.Fd(text, fd, d.substring(1, d.length() - 1), deleted);
  }

  @Override
  public Arg visitString(StraceArgsParser.StringContext ctx) {
    String t = ctx.STRING().getText();
    return new Arg.Str(t, Strings.decode(t, 1, t.length() - 1), false);
  }

  @Override
  public Arg visitCall(StraceArgsParser.CallContext ctx) {
    List<Arg> args = new ArrayList<>();
    for (StraceArgsParser.ArgContext a : ctx.arg()) {
      args.add(visit(a));
    }
    return new Arg.Call(text(ctx), ctx.IDENT().getText(), args);
  }

  @Override
  public Arg visitStruct(StraceArgsParser.StructContext ctx) {
    List<Arg.Field> fields = new ArrayList<>();
    for (StraceArgsParser.FieldContext f : ctx.field()) {
      if (f instanceof StraceArgsParser.NamedFieldContext nf) {
        fields.add(new Arg.Field(nf.IDENT().getText(), visit(nf.arg())));
      } else {
        fields.add(new Arg.Field(null, visit(((StraceArgsParser.PositionalFieldContext) f).arg())));
      }
    }
    return new Arg.Struct(text(ctx), fields);
  }

  @Override
  public Arg visitBitset(StraceArgsParser.BitsetContext ctx) {
    List<String> members = new ArrayList<>();
    for (StraceArgsParser.ElementContext e : ctx.element()) {
      members.add(text(e));
    }
    return new Arg.BitSet(text(ctx), false, members);
  }

  @Override
  public Arg visitArray(StraceArgsParser.ArrayContext ctx) {
    List<Arg> items = new ArrayList<>();
    for (StraceArgsParser.ItemContext it : ctx.item()) {
      if (it instanceof StraceArgsParser.IndexedItemContext ix) {
        // "[IDX]=value" keeps its index as the text of a Changed-free Other around the value.
        items.add(new Arg.Commented(text(ix), visit(ix.arg()), "index " + text(ix.expr())));
      } else {
        items.add(visit(((StraceArgsParser.PlainItemContext) it).arg()));
      }
    }
    return new Arg.Array(text(ctx), items);
  }

  @Override
  public Arg visitParen(StraceArgsParser.ParenContext ctx) {
    return visit(ctx.arg());
  }

  @Override
  public Arg visitEllipsis(StraceArgsParser.EllipsisContext ctx) {
    return new Arg.Sym("...");
  }

  @Override
  public Arg visitUnavailable(StraceArgsParser.UnavailableContext ctx) {
    return new Arg.Sym("???");
  }

  @Override
  public Arg visitNote(StraceArgsParser.NoteContext ctx) {
    return new Arg.Other(text(ctx));
  }

  @Override
  public Arg visitOnlyComment(StraceArgsParser.OnlyCommentContext ctx) {
    return new Arg.Other(text(ctx));
  }
}
