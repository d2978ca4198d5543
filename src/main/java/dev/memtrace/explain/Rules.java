package dev.memtrace.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole rule table, in the order it is read: failures first (they changed nothing), the brk and
 * mmap calls of an allocator that is not glibc's (before ld.so's brk(0) row claims them), ld.so
 * (startup calls look like others), the JVM's shapes, threads, runtimes' own allocators, malloc,
 * and the general mappings, whose last rows are the catch-alls.
 */
final class Rules {
  static final List<Rule> TABLE = build();

  private Rules() {}

  /** The rows keyed on this syscall, in table order. */
  static List<Rule> on(String syscall) {
    List<Rule> rows = new ArrayList<>();
    for (Rule r : TABLE) {
      if (r.on().contains(syscall)) {
        rows.add(r);
      }
    }
    return List.copyOf(rows);
  }

  private static List<Rule> build() {
    List<Rule> all = new ArrayList<>();
    all.addAll(FailureRules.rules());
    all.addAll(AllocatorRules.rules());
    all.addAll(LoaderRules.rules());
    all.addAll(JvmRules.rules());
    all.addAll(GoRules.rules());
    all.addAll(GccRules.rules());
    all.addAll(ThreadRules.rules());
    all.addAll(FatalRules.rules());
    all.addAll(MappingRules.runtimeRules());
    all.addAll(MallocRules.rules());
    all.addAll(KernelBufferRules.rules());
    all.addAll(FileRules.rules());
    all.addAll(MappingRules.rules());
    return List.copyOf(all);
  }
}
