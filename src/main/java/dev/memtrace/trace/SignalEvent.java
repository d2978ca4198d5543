package dev.memtrace.trace;

import java.util.List;

/**
 * A signal-delivery stop ({@code --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x0}
 * ---}) or a group stop ({@code --- stopped by SIGSTOP ---}, with a null siginfo). The siginfo is
 * kept as printed; its typed tree is built by the grammar only when asked for ({@link #siginfo()}),
 * as a call's arguments are: a long log holds thousands of SIGCHLDs that nobody reads field by
 * field.
 *
 * @param siginfoText the siginfo as printed, or null
 */
public record SignalEvent(
    Source source, Prefix prefix, String signal, String siginfoText, List<StackFrame> stack)
    implements TraceEvent {

  public SignalEvent {
    stack = List.copyOf(stack);
  }

  /** The siginfo as a typed tree (parsed on each call), or null for a group stop. */
  public Arg siginfo() {
    return siginfoText == null ? null : ArgParser.parseValue(siginfoText);
  }

  public SignalEvent withStack(List<StackFrame> frames) {
    return new SignalEvent(source, prefix, signal, siginfoText, frames);
  }
}
