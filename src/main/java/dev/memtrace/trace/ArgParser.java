package dev.memtrace.trace;

import dev.memtrace.trace.grammar.StraceArgsLexer;
import dev.memtrace.trace.grammar.StraceArgsParser;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The one owner of the generated lexer and parser (grammar/StraceArgs.g4): typed trees of argument
 * values, and call records the fast scanner rejects. Each thread keeps one lexer and one parser and
 * re-points them at new text. As in Trino's SqlParser, the fast SLL prediction is tried first with
 * a bail-out error strategy; only text it rejects is parsed again with full LL. Text that still
 * does not fit the grammar becomes {@link Arg.Other}: the typed tree is a convenience, the text is
 * never lost.
 */
public final class ArgParser {

  private static final ThreadLocal<ArgParser> PER_THREAD = ThreadLocal.withInitial(ArgParser::new);

  private final StraceArgsLexer lexer = new StraceArgsLexer(CharStreams.fromString(""));
  private final StraceArgsParser parser = new StraceArgsParser(new CommonTokenStream(lexer));

  private ArgParser() {
    lexer.removeErrorListeners();
    parser.removeErrorListeners();
  }

  /** The typed tree of one value ({@code PROT_READ|PROT_WRITE}, {@code {st_size=3, ...}}, ...). */
  public static Arg parseValue(String text) {
    return PER_THREAD.get().parse(text);
  }

  /**
   * A syscall record body ({@code NAME(ARGS) = RET ...}, no prefix) read by the grammar, or null
   * when it does not fit.
   */
  static CallRecord parseCallRecord(String body) {
    return PER_THREAD.get().call(body);
  }

  private CallRecord call(String body) {
    StraceArgsParser.CallRecordContext tree;
    try {
      prepare(body, PredictionMode.SLL, true);
      tree = parser.callRecord();
    } catch (ParseCancellationException e) {
      try {
        prepare(body, PredictionMode.LL, false);
        tree = parser.callRecord();
      } catch (ParseCancellationException e2) {
        return null;
      }
    }
    try {
      return CallRecord.from(body, tree);
    } catch (IllegalArgumentException e) {
      return null; // parsed, but not a call record (a suffix that is no errno)
    }
  }

  private Arg parse(String text) {
    if (text.isEmpty()) {
      return new Arg.Other(text);
    }
    StraceArgsParser.SingleContext tree;
    try {
      tree = run(text, PredictionMode.SLL, true);
    } catch (ParseCancellationException e) {
      try {
        tree = run(text, PredictionMode.LL, false);
      } catch (ParseCancellationException e2) {
        return new Arg.Other(text);
      }
    }
    try {
      Arg value = new ArgBuilder(text).visit(tree.arg());
      return tree.name == null ? value : new Arg.Named(text, tree.name.getText(), value);
    } catch (IllegalArgumentException e) {
      // A value the builder cannot type (a number too long for 64 bits, say) stays text.
      return new Arg.Other(text);
    }
  }

  private StraceArgsParser.SingleContext run(String text, PredictionMode mode, boolean bail) {
    prepare(text, mode, bail);
    return parser.single();
  }

  /** Re-points the one lexer and parser at new text, SLL with bail-out or LL with errors thrown. */
  private void prepare(String text, PredictionMode mode, boolean bail) {
    lexer.setInputStream(CharStreams.fromString(text));
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    parser.setTokenStream(tokens);
    parser.getInterpreter().setPredictionMode(mode);
    parser.setErrorHandler(bail ? new BailErrorStrategy() : new DefaultErrorStrategy());
    parser.removeErrorListeners();
    if (!bail) {
      parser.addErrorListener(THROWING);
    }
  }

  private static final BaseErrorListener THROWING =
      new BaseErrorListener() {
        @Override
        public void syntaxError(
            Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
          throw new ParseCancellationException(msg);
        }
      };
}
