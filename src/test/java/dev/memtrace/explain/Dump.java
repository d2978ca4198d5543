package dev.memtrace.explain;

import java.nio.file.Paths;

/** Prints a log with its explanations, for reading them by eye: {@code java ... Dump FILE}. */
final class Dump {
  private Dump() {}

  public static void main(String[] args) throws Exception {
    Run.Out out = Run.explain(Paths.get(args[0]));
    boolean all = args.length > 1;
    for (AnnotatedEvent e : out.events()) {
      boolean mem = e.event() instanceof dev.memtrace.trace.SyscallEvent s
          && MemoryCalls.MEMORY.contains(s.name());
      if (!all && e.why().isEmpty() && !mem) {
        continue;
      }
      System.out.println(e.event().line() + ": " + e.event().source().text());
      for (Explanation x : e.why()) {
        System.out.println("    [" + x.rule() + "/" + x.basis() + "] " + x.text());
      }
      if (e.buffer() != null) {
        System.out.println("    buffer: " + e.buffer());
      }
    }
    ExplainStats s = out.stats();
    System.out.printf("memory events %d, explained %d (%.1f%%), unexplained by syscall %s%n",
        s.memoryEvents(), s.explained(), s.explainedPercent(), s.unexplainedBySyscall());
  }
}
