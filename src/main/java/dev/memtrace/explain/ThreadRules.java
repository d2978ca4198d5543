package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.explain.Rule.Said;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.List;
import java.util.function.Predicate;

/**
 * Thread stacks as nptl makes them (allocate_stack, setup_stack_prot, advise_stack_range): a
 * PROT_NONE block of stack size + guard, all but the lowest page made RW, pages dropped when the
 * thread exits, blocks beyond the 40 MiB cache unmapped (nptl/allocate_stack.c, nptl/nptl-stack.c).
 */
final class ThreadRules {
  private ThreadRules() {}

  /**
   * What a MAP_STACK mapping made RW at once is tagged with until a thread is seen running on it:
   * pthread_create with guard size 0, posix_spawn and a runtime's own stacks all map one so.
   */
  static final String STACK_MAPPING = "MAP_STACK mapping";

  /** A guard zone a program put into a {@link #STACK_MAPPING}. */
  static final String STACK_MAPPING_GUARD = "MAP_STACK mapping guard zone";

  /** A stack mapped RW at once, without a guard page (retold when a clone runs on it). */
  static final Rule STACK_NOGUARD =
      Rule.on("thread-stack-noguard", "mmap")
          .when(ok(), anon(), prot("PROT_READ", "PROT_WRITE"), flag("MAP_STACK"))
          .frames("allocate_stack", "pthread_create")
          .says(ThreadRules::stackNoGuard);

  /** A MAP_STACK mapping not (yet) seen to be a thread's, or a guard zone made in one. */
  static boolean stackMapping(Tag t) {
    return t.what().equals(STACK_MAPPING) || t.what().equals(STACK_MAPPING_GUARD);
  }

  /**
   * What a PROT_NONE reservation a thread was seen to run on is tagged with (musl's pthread_create
   * maps its stacks so, without MAP_STACK); glibc's stack cache rules do not apply to it.
   */
  static final String GUARDED_STACK = "thread stack (reserved, then made RW above its guard)";

  /** What the PROT_NONE part below a {@link #GUARDED_STACK}'s RW part is tagged with. */
  static final String GUARDED_STACK_GUARD =
      "guard of a thread stack (reserved, then made RW above it)";

  /**
   * In a glibc thread stack or its guard: not in a MAP_STACK mapping no thread was seen on, nor in
   * a {@link #GUARDED_STACK}.
   */
  private static Predicate<Ctx> inThreadStack() {
    return c -> {
      TagMap.Span s = c.sp.tags.at(c.addr());
      return s != null
          && (s.tag().cls() == RegionClass.THREAD_STACK || s.tag().cls() == RegionClass.GUARD)
          && !stackMapping(s.tag())
          && !s.tag().what().startsWith(GUARDED_STACK)
          && !s.tag().what().equals(GUARDED_STACK_GUARD);
    };
  }

  /**
   * Part of a thread stack made PROT_NONE (retold when a sigaltstack shows the mapping is an
   * alternate signal stack and this its guard page).
   */
  static final Rule GUARD_ZONE =
      Rule.on("thread-stack-guard-zone", "mprotect")
          .when(
              ok(),
              prot(),
              c -> {
                TagMap.Span s = c.sp.tags.at(c.addr());
                return s != null
                    && (s.tag().cls() == RegionClass.THREAD_STACK
                        || s.tag().cls() == RegionClass.GUARD
                        || stackMapping(s.tag()));
              })
          .frames("os::guard_memory", "StackOverflow::create_stack_guard_pages")
          .says(
              c -> {
                TagMap.Span s = c.sp.tags.at(c.addr());
                long off = c.addr() - MappingRules.reservationStart(s);
                boolean jvm = JvmRules.jvm().test(c);
                boolean own = stackMapping(s.tag());
                return Said.of(
                        "makes "
                            + c.length()
                            + " bytes at offset "
                            + hex(off)
                            + (own ? " of the MAP_STACK mapping" : " of the thread stack")
                            + " made at line "
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
                        "mprotect PROT_NONE inside the "
                            + (own ? STACK_MAPPING : "thread stack")
                            + " made at line "
                            + s.tag().line())
                    .tag(RegionClass.GUARD, own ? STACK_MAPPING_GUARD : "thread stack guard zone")
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
            .when(ok(), advice("MADV_DONTNEED"), inThreadStack())
            .frames("advise_stack_range", "start_thread")
            .says(
                c ->
                    Said.of(
                        "a thread is exiting: glibc drops the pages of its stack (advise_stack_range, "
                            + "nptl/allocatestack.c: "
                            + c.length()
                            + " bytes from the block start up to "
                            + "PTHREAD_STACK_MIN 16384 below the page of the exiting thread's stack "
                            + "pointer); "
                            + (MallocEnv.stackCache(c.sp) >= 0
                                    && MallocEnv.stackCache(c.sp) < c.length()
                                ? "the mapping stays until the thread is joined (or, detached,"
                                    + " has exited), then glibc caches it only within "
                                    + MallocEnv.stackCacheLimit(c.sp)
                                    + ", too little for it, so queue_stack unmaps it rather than"
                                    + " keep it for the next pthread_create"
                                : MallocEnv.stackCacheCut(c.sp)
                                    ? "the mapping stays, to be cached for the next pthread_create"
                                        + " once the thread is joined if it fits within "
                                        + MallocEnv.stackCacheLimit(c.sp)
                                    : "the mapping stays, cached for the next pthread_create"),
                        Basis.PATTERN,
                        "madvise DONTNEED on a thread stack")),
        Rule.on("thread-stack-unmap", "munmap")
            .when(
                ok(),
                inThreadStack(),
                c -> !Specials.SIGNAL_STACK_GUARD.equals(c.sp.tags.at(c.addr()).tag().what()))
            .frames("__nptl_free_stacks", "free_stacks", "queue_stack")
            .says(
                c ->
                    Said.of(
                        "a cached thread stack is released ("
                            + c.length()
                            + " bytes): glibc keeps exited threads' stacks up to "
                            + MallocEnv.stackCacheLimit(c.sp)
                            + ", and unmaps the rest",
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

  private static Said stackNoGuard(Ctx c) {
    if (c.frame(STACK_NOGUARD.frames()) != null) {
      return Said.of(
              "pthread_create makes a thread stack of "
                  + c.length()
                  + " bytes without a glibc guard page (guard size 0: mapped RW at once, so any "
                  + "guard zone is the program's or its runtime's to make)",
              Basis.PATTERN,
              "MAP_STACK, PROT_READ|PROT_WRITE")
          .tag(RegionClass.THREAD_STACK, "thread stack");
    }
    return Said.of(
            "a MAP_STACK mapping of "
                + c.length()
                + " bytes, read-write at once, so without a glibc guard page: memory "
                + "meant for a stack; the trace shows whose only once something runs on it "
                + "(pthread_create maps a thread's stack this way when its guard size is 0, "
                + "posix_spawn its child's, and a program or runtime its own coroutine or fiber "
                + "stacks)",
            Basis.PATTERN,
            "MAP_STACK, PROT_READ|PROT_WRITE")
        .tag(RegionClass.ANON, STACK_MAPPING);
  }

  private static Said stackBlock(Ctx c) {
    long len = c.length();
    long known = c.sp.threadStack;
    Calc m = known > 0 ? Glibc.threadStackMapping(known, Glibc.PAGE) : null;
    boolean matches = m != null && m.value() == len;
    // Rust's std::thread sets every thread's stack size itself (pthread_attr_setstacksize in
    // Thread::new), so in a process that set up std's guarded signal stack an equal size is not
    // the default shown: rustc asks 8 MiB for its compiler thread whatever RLIMIT_STACK is.
    boolean own = matches && c.sp.guardedSignalStackLine > 0;
    // __pthread_early_init: an unlimited RLIMIT_STACK gives ARCH_STACK_DEFAULT_SIZE instead
    String fromLimit =
        c.sp.rlimitStack == -1
            ? " (ARCH_STACK_DEFAULT_SIZE, as RLIMIT_STACK is unlimited, seen at startup)"
            : " (from RLIMIT_STACK, seen at startup)";
    // libgomp gives its worker threads the stack size OMP_STACKSIZE (or GOMP_STACKSIZE) asks
    // (initialize_env: pthread_attr_setstacksize on gomp_thread_attr): a size equal to the default
    // is then not the default's doing alone
    long omp = c.sp.ompStack == null ? -1 : MallocEnv.ompStackBytes(c.sp.ompStack);
    boolean gomp =
        omp > 0
            && Glibc.alignUp(omp, Glibc.PAGE) + Glibc.PAGE == len
            && FileRules.loaded(c.sp, "libgomp");
    String size =
        gomp
            ? "a stack of "
                + (len - Glibc.PAGE)
                + " bytes + a 4096-byte guard = "
                + len
                + ": it fits a libgomp worker thread (libgomp is loaded here), whose stack size is"
                + " the "
                + c.sp.ompStack
                + " the environment execve passed at line "
                + c.sp.envLine
                + " sets (strace -v shows it; initialize_env in libgomp/env.c passes it to"
                + " pthread_attr_setstacksize)"
                + (matches
                    ? ", the same as the default stack size "
                        + known
                        + fromLimit
                        + " that a pthread_create without a size of its own gets"
                    : "")
            : own
                ? "a stack of "
                    + known
                    + " bytes + a 4096-byte guard = "
                    + len
                    + ", which fits the default stack size "
                    + known
                    + fromLimit
                    + ", but not only it: this process set up a "
                    + "guarded alternate signal stack at line "
                    + c.sp.guardedSignalStackLine
                    + " as Rust's std does at start-up, and Rust's std::thread sets every thread's "
                    + "stack size itself (pthread_attr_setstacksize in Thread::new: 2 MiB unless "
                    + "RUST_MIN_STACK or Builder::stack_size asks otherwise; rustc asks 8 MiB for its "
                    + "compiler thread whatever RLIMIT_STACK is), so the equal size may be its own"
                : matches
                    ? "the default stack size "
                        + known
                        + fromLimit
                        + " + a "
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
            matches && !own && !gomp ? Basis.ARITHMETIC : Basis.PATTERN,
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
