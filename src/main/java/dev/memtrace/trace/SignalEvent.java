package dev.memtrace.trace;

import java.util.List;

/**
 * A signal-delivery stop ({@code --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR,
 * si_addr=0x0} ---}) or a group stop ({@code --- stopped by SIGSTOP ---}, with a null siginfo).
 */
public record SignalEvent(
    Source source, Prefix prefix, String signal, Arg siginfo, List<StackFrame> stack)
    implements TraceEvent {

  public SignalEvent {
    stack = List.copyOf(stack);
  }

  public SignalEvent withStack(List<StackFrame> frames) {
    return new SignalEvent(source, prefix, signal, siginfo, frames);
  }
}
