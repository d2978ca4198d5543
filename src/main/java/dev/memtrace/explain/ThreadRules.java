package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;

/**
 * Thread stacks as nptl makes them (allocate_stack, setup_stack_prot, advise_stack_range): a
 * PROT_NONE block of stack size + guard, all but the lowest page made RW, pages dropped when the
 * thread exits, blocks beyond the 40 MiB cache unmapped (nptl/allocate_stack.c, nptl/nptl-stack.c).
 */
final class ThreadRules {
  private ThreadRules() {}

  /**
   * A thread stack without a guard page (retold when a vfork-like clone runs on it: posix_spawn).
   */
  static final Rule STACK_NOGUARD =
      Rule.on("thread-stack-noguard", "mmap")
          .when(ok(), anon(), prot("PROT_READ", "PROT_WRITE"), flag("MAP_STACK"))
          .frames("allocate_stack", "pthread_create")
          .says(
              c ->
                  Said.of(
                          "a thread stack of "
                              + c.length()
                              + " bytes without a glibc guard page "
                              + "(guard size 0: mapped RW at once). Runtimes such as the JVM do this "
                              + "and put their own guard zones at the low end",
                          Basis.PATTERN,
                          "MAP_STACK, PROT_READ|PROT_WRITE")
                      .tag(RegionClass.THREAD_STACK, "thread stack"));

  /**
   * Part of a thread stack made PROT_NONE (retold when a sigaltstack shows the mapping is an
   * alternate signal stack and this its guard page).
   */
  static final Rule GUARD_ZONE =
      Rule.on("thread-stack-guard-zone", "mprotect")
          .when(ok(), prot(), taggedAs(RegionClass.THREAD_STACK, RegionClass.GUARD))
          .frames("os::guard_memory", "StackOverflow::create_stack_guard_pages")
          .says(
              c -> {
                TagMap.Span s = c.sp.tags.at(c.addr());
                long off = c.addr() - MappingRules.reservationStart(s);
                boolean jvm = JvmRules.jvm().test(c);
                return Said.of(
                        "makes "
                            + c.length()
                            + " bytes at offset "
                            + hex(off)
                            + " of the thread "
                            + "stack made at line "
                            + s.tag().line()
                            + " inaccessible: a guard "
                            + "zone "
                            + (jvm
                                ? "(HotSpot's os::guard_memory: the reserved, "
                                    + "yellow and red zones)"
                                : "set up by the program or its " + "runtime")
                            + ", so that a stack overflow faults instead of "
                            + "corrupting memory",
                        Basis.PATTERN,
                        "mprotect PROT_NONE inside the thread stack made at line " + s.tag().line())
                    .tag(RegionClass.GUARD, "thread stack guard zone")
                    .within(s.tag());
              });

  static List<Rule> rules() {
    return List.of(
        Rule.on("thread-stack", "mmap")
            .when(ok(), anon(), prot(), flag("MAP_STACK"))
            .frames("allocate_stack", "pthread_create", "__pthread_create_2_1")
            .says(ThreadRules::stackBlock),
        STACK_NOGUARD,
        Rule.on("thread-stack-prot", "mprotect")
            .when(
                ok(),
                prot("PROT_READ", "PROT_WRITE"),
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  return s != null
                      && s.tag().cls() == RegionClass.THREAD_STACK
                      && c.addr() > s.start();
                })
            .frames("allocate_stack", "setup_stack_prot", "pthread_create")
            .effect(
                (c, before) ->
                    c.sp.tags.put(
                        before.start(),
                        c.addr(),
                        before.tag().withClass(RegionClass.GUARD, "thread stack guard")))
            .says(ThreadRules::stackProt),
        GUARD_ZONE,
        Rule.on("thread-stack-release", "madvise")
            .when(
                ok(),
                advice("MADV_DONTNEED"),
                taggedAs(RegionClass.THREAD_STACK, RegionClass.GUARD))
            .frames("advise_stack_range", "start_thread")
            .says(
                c ->
                    Said.of(
                        "a thread is exiting: glibc drops the pages of its stack (advise_stack_range, "
                            + "nptl/allocatestack.c: "
                            + c.length()
                            + " bytes from the block start up to "
                            + "PTHREAD_STACK_MIN 16384 below the page of the exiting thread's stack "
                            + "pointer); the mapping stays, cached for the next pthread_create",
                        Basis.PATTERN,
                        "madvise DONTNEED on a thread stack")),
        Rule.on("thread-stack-unmap", "munmap")
            .when(
                ok(),
                taggedAs(RegionClass.THREAD_STACK, RegionClass.GUARD),
                c -> !Specials.SIGNAL_STACK_GUARD.equals(c.sp.tags.at(c.addr()).tag().what()))
            .frames("__nptl_free_stacks", "free_stacks", "queue_stack")
            .says(
                c ->
                    Said.of(
                        "a cached thread stack is released: glibc keeps exited threads' stacks up to "
                            + "40 MiB in total and unmaps the rest ("
                            + c.length()
                            + " bytes)",
                        Basis.PATTERN,
                        "munmap of a thread stack block")),
        Rule.on("signal-stack-unmap", "munmap")
            .when(
                ok(),
                c -> {
                  TagMap.Span g = c.sp.tags.at(c.addr());
                  return g != null
                      && g.start() == c.addr()
                      && Specials.SIGNAL_STACK_GUARD.equals(g.tag().what());
                })
            .says(
                c -> {
                  TagMap.Span g = c.sp.tags.at(c.addr());
                  return Said.of(
                      "unmaps "
                          + (Glibc.alignUp(c.length(), Glibc.PAGE) > g.size()
                              ? "the alternate signal stack made at line "
                                  + g.tag().line()
                                  + " with its guard page ("
                                  + c.length()
                                  + " bytes)"
                              : "the guard page of the alternate signal stack made at line "
                                  + g.tag().line())
                          + ": its thread no longer needs it",
                      Basis.PATTERN,
                      "munmap from the guard page of the signal stack made at line "
                          + g.tag().line());
                }));
  }

  private static Said stackBlock(Ctx c) {
    long len = c.length();
    long known = c.sp.threadStack;
    Calc m = known > 0 ? Glibc.threadStackMapping(known, Glibc.PAGE) : null;
    boolean matches = m != null && m.value() == len;
    String size =
        matches
            ? "the default stack size "
                + known
                + " (from RLIMIT_STACK, seen at startup) + a "
                + "4096-byte guard = "
                + len
            : "a stack of "
                + (len - Glibc.PAGE)
                + " bytes + a 4096-byte guard (if the default "
                + "guard size was kept)";
    return Said.of(
            "pthread_create makes a thread stack: "
                + size
                + ". The whole block is mapped "
                + "PROT_NONE first; the mprotect that follows makes all but the lowest page "
                + "RW, leaving the guard at the low end (stacks grow down). struct pthread and "
                + "the thread's static TLS sit at the top of the block",
            matches ? Basis.ARITHMETIC : Basis.PATTERN,
            matches ? m.steps() : "MAP_STACK with PROT_NONE")
        .tag(RegionClass.THREAD_STACK, "thread stack");
  }

  private static Said stackProt(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    long guard = c.addr() - s.start();
    return Said.of(
            "makes the thread stack made at line "
                + s.tag().line()
                + " usable: "
                + c.length()
                + " bytes RW from "
                + hex(c.addr())
                + "; the lowest "
                + guard
                + " bytes at "
                + hex(s.start())
                + " stay PROT_NONE as the guard page: overflowing the stack "
                + "faults there (SIGSEGV, SEGV_ACCERR)",
            Basis.ARITHMETIC,
            hex(c.addr()) + " - " + hex(s.start()) + " = " + guard + " guard bytes")
        .tag(RegionClass.THREAD_STACK, "thread stack");
  }
}
