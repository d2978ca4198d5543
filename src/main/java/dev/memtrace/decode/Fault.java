package dev.memtrace.decode;

import dev.memtrace.trace.Arg;
import dev.memtrace.trace.SignalEvent;
import java.util.OptionalLong;

/**
 * A SIGSEGV or SIGBUS as its siginfo tells it ({@code {si_signo=SIGSEGV, si_code=SEGV_MAPERR,
 * si_addr=0x10}}): the code as printed (null when not printed) and the data address touched.
 */
public record Fault(String signal, String code, OptionalLong addr) {

  /** The fault a signal reports, or null when it is no SIGSEGV or SIGBUS, or has no siginfo. */
  public static Fault of(SignalEvent sig) {
    if (!"SIGSEGV".equals(sig.signal()) && !"SIGBUS".equals(sig.signal())) {
      return null;
    }
    if (!(sig.siginfo() instanceof Arg.Struct info)) {
      return null;
    }
    Arg code = info.get("si_code");
    Arg addr = info.get("si_addr");
    return new Fault(
        sig.signal(),
        code == null ? null : code.text(),
        addr == null ? OptionalLong.empty() : ArgText.number(addr.text()));
  }
}
