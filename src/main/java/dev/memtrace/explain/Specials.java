package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;

import dev.memtrace.decode.ArchPrctl;
import dev.memtrace.decode.Clone;
import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.decode.Range;
import dev.memtrace.decode.Rlimit;
import dev.memtrace.explain.Explainer.Pending;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.OpenFile;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.model.Who;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.StackFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls that are not memory calls but tell what memory is for: execve (the kernel's own mappings),
 * arch_prctl(ARCH_SET_FS) (the TLS block), prlimit64(RLIMIT_STACK) (thread stack size); and the
 * special regions ([vdso], [vvar], [stack], ...) explained when first seen.
 */
final class Specials {
  private Specials() {}

  static final Map<String, String> SPECIAL =
      Map.of(
          "[vdso]",
              "[vdso]: a small shared object the kernel maps into every process, with "
                  + "clock_gettime, gettimeofday, time and getcpu that run without entering the kernel",
          "[vvar]", "[vvar]: read-only kernel data pages (clock data) that the [vdso] code reads",
          "[vvar_vclock]",
              "[vvar_vclock]: the paravirtual/Hyper-V clock pages, split out of [vvar] "
                  + "in Linux 6.13",
          "[vsyscall]",
              "[vsyscall]: the legacy fixed page at 0xffffffffff600000 for very old "
                  + "binaries; execute-only and emulated on current kernels, reading it faults",
          "[heap]",
              "[heap]: only the brk area that malloc's main arena grows; mmapped malloc "
                  + "chunks and thread arenas are not part of it");

  static void after(Ctx c, Pending p) {
    switch (c.name()) {
      case "execve", "execveat" -> {
        if (c.ok()) {
          // a program whose headers were read and name no PT_INTERP: load_elf_binary maps no
          // interpreter and starts the program at its own entry point
          boolean stat = c.staticProgram();
          p.why.add(
              new Explanation(
                  "execve",
                  "the kernel replaces the address space: it maps the executable's segments, "
                      + (stat ? "" : "ld.so (for a dynamically linked program), ")
                      + "[stack], [vvar], [vdso] (and [vsyscall]) itself, so no syscall in the "
                      + "trace shows them being made (execve(2))"
                      + (stat
                          ? "; the program is statically linked: its ELF headers name no"
                              + " interpreter (PT_INTERP), so the kernel maps no ld.so and starts"
                              + " the program at its own entry point (load_elf_binary)"
                          : ""),
                  stat ? Basis.ELF : Basis.ARITHMETIC,
                  stat
                      ? List.of("execve returned 0", "the program's ELF headers have no PT_INTERP")
                      : List.of("execve returned 0")));
        }
      }
      case "arch_prctl" -> tls(c, p);
      case "clone", "clone3", "fork", "vfork" -> {
        fork(c, p);
        spawnStack(c, p);
        vfork(c, p);
        threadOnStackMapping(c);
        threadOnGuardedReservation(c);
      }
      case "prlimit64", "getrlimit" -> rlimit(c, p);
      case "readlink", "readlinkat" -> AllocatorRules.mallocConf(c, p);
      case "sigaltstack" -> signalStack(c, p);
      case "prctl" -> VmaNames.named(c, p);
      case "personality" -> personality(c);
      case "mlockall" -> {
        if (c.ok()) {
          long f = c.call.flags(0, LinuxFlags.MLOCKALL).orElse(0);
          c.sp.lockFutureLine = (f & LinuxFlags.MCL_FUTURE) != 0 ? c.line() : 0;
          c.sp.lockFutureOnFault = (f & LinuxFlags.MCL_ONFAULT) != 0;
        }
      }
      case "pkey_alloc" -> {
        if (c.ok() && c.call.ret().isPresent()) {
          c.sp.pkeys.add(c.call.ret().getAsLong());
        } else if (c.ev.result() != null && c.ev.result().errno() != null) {
          c.sp.pkeyRefusedLine = c.line();
          Rule.Said said = c.ev.result().injected() ? null : FailureRules.pkeyAlloc(c);
          if (said != null) {
            p.why.add(new Explanation("failed", said.text(), said.basis(), said.evidence()));
          }
        }
      }
      case "pkey_free" -> {
        if (c.ok()) {
          c.call.num(0).ifPresent(k -> c.sp.pkeys.remove(k));
        }
      }
      case "munlockall" -> {
        if (c.ok()) {
          c.sp.lockFutureLine = 0;
        }
      }
      case "mmap", "mmap2" -> lockedAnonymous(c, p);
      case "brk" -> lockedBreak(c, p);
      case "mlock2" -> {
        if (c.ok()
            && (c.call.flags(2, LinuxFlags.MLOCK2).orElse(0) & LinuxFlags.MLOCK_ONFAULT) != 0) {
          c.sp.lockOnFaultSeen = true;
        }
      }
      case "mprotect", "pkey_mprotect" -> lockedMadeWritable(c, p);
      case "madvise" -> {
        if (c.ok() && c.advice().contains("MADV_WIPEONFORK")) {
          c.sp.wipeOnFork.add(c.line());
        } else if (c.ok() && c.advice().contains("MADV_KEEPONFORK")) {
          c.sp.wipeOnFork.clear();
        } else if (c.ok()
            && c.advice().contains("MADV_DONTFORK")
            && c.address().isPresent()
            // a length strace printed as no number (a cut line) marks no range
            && c.call instanceof Range r
            && r.length().orElse(0) > 0) {
          c.sp.dontForkCalls.add(
              new long[] {c.addr(), c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE), c.line()});
        }
      }
      default -> {
        // not special
      }
    }
    specialRegions(c, p);
  }

  /** What the guard page below an alternate signal stack is tagged as. */
  static final String SIGNAL_STACK_GUARD = "guard page below an alternate signal stack";

  /** sigaltstack's new stack as strace prints it: {ss_sp=0x…, ss_flags=…, ss_size=N}. */
  private static final Pattern ALT_STACK =
      Pattern.compile("^\\{ss_sp=0x([0-9a-f]+), ss_flags=[^,]*, ss_size=(\\d+)\\}$");

  /**
   * sigaltstack with its stack filling a small MAP_STACK mapping (told as memory for a stack, or as
   * a thread stack without a guard with -k), but for the lowest page: the mapping is the thread's
   * alternate signal stack, its lowest page made PROT_NONE as a guard (Rust's std maps one so for
   * each thread to handle a stack overflow's SIGSEGV: get_stack in
   * library/std/src/sys/unix/stack_overflow.rs), not a thread stack. The mmap and the guard's
   * mprotect are retold, and the munmap of the mapping is not said to free a cached thread stack.
   */
  private static void signalStack(Ctx c, Pending p) {
    String ss = c.text(0);
    Matcher m = ss == null || !c.ok() ? null : ALT_STACK.matcher(ss);
    // no address or size past 64 bits (a damaged line): no stack to place
    if (m == null || !m.matches() || m.group(1).length() > 16 || m.group(2).length() > 18) {
      return;
    }
    long sp = Long.parseUnsignedLong(m.group(1), 16);
    long size = Long.parseLong(m.group(2));
    TagMap.Span s = c.sp.tags.at(sp);
    // the stack ends where the mapping does, or within its last page: an mmap of the guard page
    // plus a stack size that is no whole number of pages (Rust's std on a CPU whose
    // AT_MINSIGSTKSZ makes it 11952 bytes) is rounded up to whole pages by the kernel
    if (s == null
        || (s.tag().cls() != RegionClass.THREAD_STACK && !ThreadRules.stackMapping(s.tag()))
        || s.end() != Glibc.alignUp(sp + size, Glibc.PAGE)) {
      return;
    }
    boolean toTheEnd = s.end() == sp + size;
    String upTo =
        toTheEnd
            ? " to the end of this mapping"
            : " up to " + hex(sp + size) + ", in the last page of this mapping";
    String endOf = toTheEnd ? ", the end of " : ", in the last page of ";
    long start = MappingRules.reservationStart(s);
    TagMap.Span g = start < s.start() ? c.sp.tags.at(start) : null;
    boolean guarded = g != null && g.tag().cls() == RegionClass.GUARD && g.end() == s.start();
    if (sp - start > (guarded ? g.size() : 0)) {
      return;
    }
    Tag t = s.tag();
    t.refine(RegionClass.ANON, "alternate signal stack");
    String lines = "the mapping made at line " + t.line();
    String evidence = "ss_sp " + hex(sp) + " + ss_size " + size + " = " + hex(sp + size);
    c.ex.retell(
        t,
        ThreadRules.STACK_NOGUARD,
        new Explanation(
            "signal-stack",
            "an alternate signal stack, not a thread stack: the sigaltstack at line "
                + c.line()
                + " gives its thread the "
                + size
                + " bytes from "
                + hex(sp)
                + upTo
                + (guarded
                    ? ", above its lowest " + g.size() + " bytes, made PROT_NONE as a guard"
                    : "")
                + ". Signal handlers installed with SA_ONSTACK run there, so one can still run when "
                + "the thread's own stack overflowed",
            Basis.ARITHMETIC,
            List.of(evidence + endOf + lines)));
    if (guarded) {
      if (c.sp.guardedSignalStackLine == 0) {
        c.sp.guardedSignalStackLine = c.line();
      }
      g.tag().refine(RegionClass.GUARD, SIGNAL_STACK_GUARD);
      c.ex.retell(
          g.tag(),
          ThreadRules.GUARD_ZONE,
          new Explanation(
              "signal-stack-guard",
              "makes the lowest "
                  + g.size()
                  + " bytes of "
                  + lines
                  + " inaccessible: the guard "
                  + "page below the alternate signal stack the sigaltstack at line "
                  + c.line()
                  + " installs above it, so a handler that overflows that stack faults instead of "
                  + "corrupting memory",
              Basis.ARITHMETIC,
              List.of("ss_sp " + hex(sp) + " is the end of this guard")));
    }
    p.why.add(
        new Explanation(
            "signal-stack",
            "sets this thread's alternate signal stack: "
                + size
                + " bytes at "
                + hex(sp)
                + (toTheEnd ? ", the top of " : ", at the top of ")
                + lines
                + "; signal handlers installed with SA_ONSTACK run on it",
            Basis.ARITHMETIC,
            List.of(evidence + endOf + lines)));
  }

  /**
   * An FS base in no range the trace made: glibc's struct pthread when glibc may be in the process;
   * Go's m.tls when -k shows runtime.settls (runtime/sys_linux_amd64.s: FS = &m.tls[0] + 8, so that
   * -8(FS) holds the goroutine running on the thread); and where a program without glibc points it
   * the call does not tell.
   */
  private static Explanation untaggedTls(Ctx c, long fs) {
    String set = "sets the thread pointer (FS base) to " + hex(fs) + ": %fs-relative accesses now ";
    StackFrame go = c.frame(Set.of("runtime.settls", "runtime.settls.abi0"));
    if (go != null) {
      return new Explanation(
          "tls",
          set
              + "reach this thread's TLS. Go's runtime.settls (seen in the stack: "
              + Explainer.frameText(go)
              + ") points FS 8 bytes into the m.tls array of the thread's M (runtime/sys_linux_amd64.s), "
              + "so -8(FS) holds the goroutine running on the thread; there is no glibc struct pthread",
          Basis.STACK,
          List.of("ARCH_SET_FS", "stack: " + Explainer.frameText(go)));
    }
    if (c.sp.withoutGlibc()) {
      return new Explanation(
          "tls",
          set
              + "reach this thread's TLS. No brk came before it, which glibc's startup always makes "
              + "first, so (inferred from the pattern) this is not glibc's TLS_INIT_TP: the "
              + "program's own runtime or a C library other than glibc (Go's runtime.settls, "
              + "musl's __init_tp, say) chose the block, which the call alone does not name",
          Basis.PATTERN,
          List.of("ARCH_SET_FS", "no brk since execve"));
    }
    return new Explanation(
        "tls",
        set + "reach this thread's TLS; FS points at its struct pthread",
        Basis.PATTERN,
        List.of("ARCH_SET_FS"));
  }

  /**
   * The stack a clone printed (child_stack=, stack=) when the call made a child of this kind, else
   * none.
   */
  private static OptionalLong childStack(Ctx c, Who.Kind kind) {
    Who.Made made = c.made();
    if (made == null || made.kind() != kind || !(c.call instanceof Clone clone)) {
      return OptionalLong.empty();
    }
    return clone.stack();
  }

  /**
   * posix_spawn maps a small stack, runs the child on it with CLONE_VM|CLONE_VFORK until the child
   * execs, then unmaps it (sysdeps/unix/sysv/linux/spawni.c).
   */
  private static void spawnStack(Ctx c, Pending p) {
    OptionalLong printed = childStack(c, Who.Kind.VFORK);
    if (printed.isEmpty()) {
      return;
    }
    long stack = printed.getAsLong();
    TagMap.Span s = c.sp.tags.at(stack);
    if (s == null
        || s.tag().cls() != RegionClass.THREAD_STACK && !ThreadRules.stackMapping(s.tag())) {
      return;
    }
    s.tag().refine(RegionClass.ANON, "posix_spawn's stack for its child");
    String text =
        "posix_spawn's stack for the child ("
            + s.size()
            + " bytes, MAP_STACK): the "
            + "child runs on it, sharing the parent's memory (CLONE_VM|CLONE_VFORK), until it "
            + "execs; the parent then unmaps it (clone at line "
            + c.line()
            + ")";
    c.ex.retell(
        s.tag(),
        ThreadRules.STACK_NOGUARD,
        new Explanation(
            "spawn-stack",
            text,
            Basis.ARITHMETIC,
            List.of("clone stack=" + hex(stack) + " is this mapping")));
    p.why.add(
        new Explanation(
            "spawn-stack",
            "posix_spawn: the child runs on the stack made at "
                + "line "
                + s.tag().line()
                + " and shares this address space until it execs",
            Basis.ARITHMETIC,
            List.of("stack=" + hex(stack))));
  }

  /**
   * A thread made to run on a MAP_STACK mapping mapped RW at once: the mapping is its stack, made
   * by pthread_create with guard size 0 (allocate_stack).
   */
  private static void threadOnStackMapping(Ctx c) {
    OptionalLong printed = c.ok() ? childStack(c, Who.Kind.THREAD) : OptionalLong.empty();
    if (printed.isEmpty()) {
      return;
    }
    TagMap.Span s = c.sp.tags.at(printed.getAsLong());
    if (s == null || !s.tag().what().equals(ThreadRules.STACK_MAPPING)) {
      return;
    }
    s.tag().refine(RegionClass.THREAD_STACK, "thread stack");
    c.ex.retell(
        s.tag(),
        ThreadRules.STACK_NOGUARD,
        new Explanation(
            "thread-stack-noguard",
            "a thread stack of "
                + s.size()
                + " bytes without a glibc guard page (guard size 0: mapped RW at "
                + "once, so any guard zone is the program's or its runtime's to make): the thread "
                + "the clone at line "
                + c.line()
                + " makes runs on it",
            Basis.ARITHMETIC,
            List.of("clone stack=" + hex(printed.getAsLong()) + " is in this mapping")));
  }

  /**
   * A thread made to run in a PROT_NONE reservation of which an mprotect made all but the low end
   * RW: a thread stack with a guard, as musl's pthread_create makes it
   * (src/thread/pthread_create.c: mmap(size + guard, PROT_NONE), then mprotect(map + guard, size -
   * guard, RW); the stack, TLS and struct pthread sit at the top). Both calls are retold; the low
   * end becomes the guard.
   */
  private static void threadOnGuardedReservation(Ctx c) {
    Space.GuardedCommit g = c.sp.guardedCommit;
    OptionalLong printed =
        g != null && c.ok() ? childStack(c, Who.Kind.THREAD) : OptionalLong.empty();
    if (printed.isEmpty()) {
      return;
    }
    long sp = printed.getAsLong();
    TagMap.Span s = c.sp.tags.at(sp);
    if (s == null
        || s.tag() != g.reservation()
        || Long.compareUnsigned(sp, g.usable()) <= 0
        || Long.compareUnsigned(sp, g.end()) > 0) {
      return;
    }
    c.sp.guardedCommit = null;
    long size = g.end() - g.start();
    long guard = g.usable() - g.start();
    int mapLine = g.reservation().line();
    // musl's startup sets the thread pointer before any brk, which glibc's never does
    String whose =
        c.sp.tpBeforeBrk
            ? "It fits musl's pthread_create (src/thread/pthread_create.c), which maps guard + "
                + "stack + TLS PROT_NONE and makes all but the guard RW, and puts the thread's TLS "
                + "and struct pthread at the top; pthread_join, or a detached thread's exit, "
                + "unmaps the whole block"
            : "Not glibc's allocate_stack, which maps its stacks with MAP_STACK: the program, "
                + "its C library or its runtime made it";
    String evidence =
        "clone stack=" + hex(sp) + " is in the part the mprotect at line " + g.line() + " made RW";
    g.reservation().refine(RegionClass.THREAD_STACK, ThreadRules.GUARDED_STACK);
    // the part below the RW one stays PROT_NONE: the stack's guard, classed as one (here and on
    // the mprotect's line, whose change left it), as glibc's guard page is
    Tag guardTag = g.reservation().withClass(RegionClass.GUARD, ThreadRules.GUARDED_STACK_GUARD);
    c.sp.tags.put(g.start(), g.usable(), guardTag);
    c.ex.reclassLine(g.pid(), g.line(), g.start(), g.usable(), guardTag);
    c.ex.retell(
        g.reservation(),
        MappingRules.RESERVATION,
        new Explanation(
            "thread-stack-guarded",
            "a thread stack with a guard: "
                + size
                + " bytes mapped PROT_NONE, then all but the lowest "
                + guard
                + " made RW by the mprotect at line "
                + g.line()
                + "; the thread the clone at line "
                + c.line()
                + " makes runs on it. "
                + whose,
            c.sp.tpBeforeBrk ? Basis.PATTERN : Basis.ARITHMETIC,
            List.of(evidence)));
    c.ex.retellLine(
        g.pid(),
        g.line(),
        "mprotect-known",
        new Explanation(
            "thread-stack-guarded-prot",
            "makes the thread stack made at line "
                + mapLine
                + " usable: "
                + (g.end() - g.usable())
                + " bytes RW from "
                + hex(g.usable())
                + "; the lowest "
                + guard
                + " bytes at "
                + hex(g.start())
                + " stay PROT_NONE as its guard: overflowing the stack faults there (SIGSEGV,"
                + " SEGV_ACCERR). The clone at line "
                + c.line()
                + " runs its thread on it",
            Basis.ARITHMETIC,
            List.of(evidence)));
  }

  /** A fork copies private memory (copy-on-write) but shares MAP_SHARED mappings. */
  /**
   * A child made with CLONE_VM and without CLONE_THREAD (vfork, or a clone that asks the same)
   * whose stack is not posix_spawn's: it runs in this address space, copying nothing, and the
   * parent is suspended until the child execs or exits (vfork(2)); a vfork() child runs on the
   * parent's stack.
   */
  private static void vfork(Ctx c, Pending p) {
    Who.Made made = c.made();
    long child = c.call.ret().orElse(0);
    if (!c.ok()
        || child <= 0
        || made == null
        || made.kind() != Who.Kind.VFORK
        || p.why.stream().anyMatch(e -> e.rule().equals("spawn-stack"))) {
      return;
    }
    boolean plain = c.name().equals("vfork");
    p.why.add(
        new Explanation(
            "vfork",
            (plain ? "vfork" : c.name() + " with CLONE_VM|CLONE_VFORK")
                + ": child "
                + child
                + " runs in this address space, nothing copied"
                + (plain ? ", on the parent's stack" : "")
                + ", and the parent is suspended until the child execs or exits (vfork(2)); what"
                + " the child maps or writes before that is the parent's memory",
            Basis.ARITHMETIC,
            List.of(c.name() + " returned " + child)));
  }

  private static void fork(Ctx c, Pending p) {
    Who.Made made = c.made();
    long child = c.call.ret().orElse(0);
    if (!c.ok() || child <= 0 || made == null || made.kind() != Who.Kind.PROCESS) {
      return;
    }
    AddressSpaceView v = c.ex.view(c.ev.pid());
    List<Region> dropped = v == null ? List.of() : v.notCopiedOnFork();
    // of those, the ones MADV_DONTFORK marked, and perf rings, which perf_mmap marks VM_DONTCOPY
    List<Region> dontFork = new ArrayList<>();
    List<Integer> perfRings = new ArrayList<>();
    for (Region r : dropped) {
      TagMap.Span at = c.sp.tags.at(r.start());
      if (at != null && OpenFile.PERF_EVENT.equals(at.tag().object())) {
        perfRings.add(at.tag().line());
      } else {
        dontFork.add(r);
      }
    }
    List<String> evidence = new ArrayList<>();
    evidence.add("clone without CLONE_VM returned " + child);
    List<String> shared = new ArrayList<>();
    long bytes = 0;
    for (TagMap.Span s : c.sp.tags.all()) {
      RegionClass k = s.tag().cls();
      if ((k == RegionClass.SHARED_MEMORY || k == RegionClass.FILE_SHARED)
          && !notCopied(dropped, s)) {
        shared.add(s.tag().what() + " (line " + s.tag().line() + ")");
        bytes += s.size();
      }
    }
    String text =
        "fork: child "
            + child
            + " gets a copy of the address space (but for "
            + (dontFork.isEmpty()
                ? "ranges marked MADV_DONTFORK"
                : dontForked(c.sp, dontFork, evidence))
            + (perfRings.isEmpty()
                ? ""
                : ", and the perf ring buffer"
                    + (perfRings.size() > 1 ? "s" : "")
                    + " mapped at line"
                    + (perfRings.size() > 1 ? "s " : " ")
                    + String.join(
                        ", ",
                        perfRings.subList(0, Math.min(4, perfRings.size())).stream()
                            .map(String::valueOf)
                            .toList())
                    + (perfRings.size() > 4 ? ", …" : "")
                    + ", which perf_mmap marks VM_DONTCOPY: the child gets no such mapping")
            + wipedInChild(c.sp)
            + "); private pages are shared copy-on-write until either "
            + "side writes"
            + lockedInParent(c.sp, v == null ? List.of() : v.locked(), dropped, evidence);
    if (!shared.isEmpty()) {
      text +=
          ". "
              + shared.size()
              + " MAP_SHARED mapping"
              + (shared.size() > 1 ? "s" : "")
              + " ("
              + Human.bytes(bytes)
              + ": "
              + String.join(", ", shared.subList(0, Math.min(4, shared.size())))
              + (shared.size() > 4 ? ", …" : "")
              + ") "
              + (shared.size() > 1 ? "stay" : "stays")
              + " truly shared: where a shared "
              + "mapping allows writes, a write by parent or child is seen by both";
    }
    p.why.add(new Explanation("fork", text, Basis.ARITHMETIC, evidence));
  }

  /** Whether a span lies wholly in a range the fork leaves out of the child. */
  private static boolean notCopied(List<Region> dropped, TagMap.Span s) {
    for (Region r : dropped) {
      if (r.start() <= s.start() && s.end() <= r.end()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The ranges marked VM_DONTCOPY that the fork leaves out (dup_mmap skips them: the child has no
   * mapping there at all, whether private or shared), each named by what made it and by the
   * madvise(MADV_DONTFORK) that marked it when the trace showed one.
   */
  private static String dontForked(Space sp, List<Region> dropped, List<String> evidence) {
    List<String> named = new ArrayList<>();
    for (Region r : dropped) {
      TagMap.Span s = sp.tags.at(r.start());
      String what =
          s == null
              ? hex(r.start()) + "-" + hex(r.end())
              : MallocRules.the(s.tag().what()) + " made at line " + s.tag().line();
      int advice = 0;
      for (long[] d : sp.dontForkCalls) {
        if (d[0] < r.end() && d[1] > r.start()) {
          advice = (int) d[2];
        }
      }
      String one = what + (advice > 0 ? " (MADV_DONTFORK at line " + advice + ")" : "");
      if (!named.contains(one)) {
        named.add(one);
        if (advice > 0) {
          evidence.add("madvise(MADV_DONTFORK) at line " + advice);
        }
      }
    }
    return "what was marked MADV_DONTFORK, which dup_mmap does not copy, so the child has no"
        + " mapping there at all: "
        + String.join(", ", named.subList(0, Math.min(4, named.size())))
        + (named.size() > 4 ? ", …" : "");
  }

  /**
   * An anonymous mapping made locked (MAP_LOCKED, or an mlockall(MCL_FUTURE) without MCL_ONFAULT in
   * force) is faulted in whole during the mmap: do_mmap sets populate for VM_LOCKED and mm_populate
   * touches every page its protection allows (none of a PROT_NONE one). File mappings say so in
   * their own sentence ({@code FileRules}).
   */
  private static void lockedAnonymous(Ctx c, Pending p) {
    String by = c.ok() && c.anon() && !c.prot().isEmpty() ? FileRules.lockedBy(c) : null;
    // a line whose length strace printed unreadably (a mutated or cut line) has nothing to tell
    if (by == null
        || c.call.ret().isEmpty()
        || !(c.call instanceof Range r)
        || r.length().isEmpty()) {
      return;
    }
    long bytes = Glibc.alignUp(c.length(), Glibc.PAGE);
    p.why.add(
        new Explanation(
            "locked-populate",
            "Locked ("
                + by
                + "): the kernel faults all "
                + bytes
                + " bytes in during the call (do_mmap has mm_populate fault in a VM_LOCKED"
                + " mapping) and keeps them in RAM until they are unlocked, rather than page by page"
                + " on first touch",
            Basis.ARITHMETIC,
            List.of(
                c.mapFlags().contains("MAP_LOCKED")
                    ? "MAP_LOCKED"
                    : "mlockall(MCL_FUTURE) at line " + c.sp.lockFutureLine)));
  }

  /**
   * The break moved up while an mlockall(MCL_FUTURE) without MCL_ONFAULT is in force: brk gives the
   * growth mm->def_flags' VM_LOCKED and faults it in (mm_populate, mm/mmap.c's brk).
   */
  private static void lockedBreak(Ctx c, Pending p) {
    if (!c.ok() || c.sp.lockFutureLine <= 0 || c.sp.lockFutureOnFault) {
      return;
    }
    long grown = 0;
    for (RegionChange ch : c.changes) {
      Region a = ch.after();
      if (a != null && "[heap]".equals(a.path())) {
        Region b = ch.before();
        long from = b != null && b.start() == a.start() ? b.end() : a.start();
        grown += Math.max(0, a.end() - from);
      }
    }
    if (grown == 0) {
      return;
    }
    p.why.add(
        new Explanation(
            "locked-populate",
            "Locked (the mlockall(MCL_FUTURE) of line "
                + c.sp.lockFutureLine
                + " is in force): brk faults the "
                + grown
                + " bytes it adds in now (mm_populate) and they stay in RAM until they are"
                + " unlocked",
            Basis.ARITHMETIC,
            List.of("mlockall(MCL_FUTURE) at line " + c.sp.lockFutureLine)));
  }

  /**
   * A private area made locked while an mlockall(MCL_FUTURE) without MCL_ONFAULT was in force, not
   * writable, that an mprotect makes writable: mprotect_fixup faults the range in there and then
   * (populate_vma_page_range, to break copy-on-write before the accesses), so a thread stack
   * pthread_create maps PROT_NONE and then makes RW is in RAM whole from that mprotect on.
   */
  private static void lockedMadeWritable(Ctx c, Pending p) {
    if (!c.ok()
        || !c.prot().contains("PROT_WRITE")
        || c.changes.isEmpty()
        || c.sp.lockFutureLine <= 0
        || c.sp.lockFutureOnFault
        || c.sp.lockOnFaultSeen) {
      return;
    }
    AddressSpaceView v = c.ex.view(c.ev.pid());
    Region r = v == null ? null : v.regionAt(c.addr());
    if (r == null
        || r.perms() == null
        || !r.perms().endsWith("p")
        || r.originLine() <= c.sp.lockFutureLine
        || v.locked().stream().noneMatch(l -> l.start() <= c.addr() && c.addr() < l.end())) {
      return;
    }
    long bytes = Glibc.alignUp(c.length(), Glibc.PAGE);
    p.why.add(
        new Explanation(
            "locked-populate",
            "The range is locked (made at line "
                + r.originLine()
                + " while the mlockall(MCL_FUTURE) of line "
                + c.sp.lockFutureLine
                + " was in force) and becomes writable: mprotect_fixup faults all "
                + bytes
                + " bytes in now (populate_vma_page_range, to break copy-on-write before the"
                + " accesses), and they stay in RAM until they are unlocked",
            Basis.ARITHMETIC,
            List.of(
                "mlockall(MCL_FUTURE) at line " + c.sp.lockFutureLine,
                "made at line " + r.originLine())));
  }

  /**
   * What the parent has locked (VM_LOCKED) and the child gets as a copy: dup_mmap clears VM_LOCKED
   * in the child's areas, and mm_init keeps nothing of the parent's mm->def_flags but
   * VM_NOHUGEPAGE, so an mlockall(MCL_FUTURE) in force does not lock the child's later mappings
   * either (mlockall(2): memory locks are not inherited by a child created via fork). "" when the
   * model holds no locked area and no MCL_FUTURE is in force.
   */
  private static String lockedInParent(
      Space sp, List<Region> locked, List<Region> dropped, List<String> evidence) {
    List<String> named = new ArrayList<>();
    long bytes = 0;
    for (Region r : locked) {
      if (dropped.stream().anyMatch(d -> d.start() <= r.start() && r.end() <= d.end())) {
        continue; // the child has no mapping there at all
      }
      bytes += r.end() - r.start();
      TagMap.Span s = sp.tags.at(r.start());
      String one =
          s == null
              ? hex(r.start()) + "-" + hex(r.end())
              : MallocRules.the(s.tag().what()) + " made at line " + s.tag().line();
      if (!named.contains(one)) {
        named.add(one);
      }
    }
    String out = "";
    if (!named.isEmpty()) {
      evidence.add(Human.bytes(bytes) + " locked in the parent");
      out =
          ". What the parent has locked ("
              + Human.bytes(bytes)
              + ": "
              + String.join(", ", named.subList(0, Math.min(4, named.size())))
              + (named.size() > 4 ? ", …" : "")
              + ") is not locked in the child's copy (dup_mmap clears VM_LOCKED; memory locks are"
              + " not inherited, mlockall(2)): the child's pages there may be swapped out until"
              + " it locks them itself";
    }
    if (sp.lockFutureLine > 0) {
      evidence.add("mlockall(MCL_FUTURE) at line " + sp.lockFutureLine);
      out +=
          (out.isEmpty() ? ". " : "; ")
              + "the mlockall(MCL_FUTURE) of line "
              + sp.lockFutureLine
              + " stays the parent's: mm_init gives the child's mm->def_flags no VM_LOCKED, so"
              + " the child's later mappings are not locked";
    }
    return out;
  }

  /**
   * The MADV_WIPEONFORK ranges the trace showed marked, which dup_mmap gives a child empty (its
   * reads see zeros), not a copy: said only where such a madvise came, with its lines.
   */
  private static String wipedInChild(Space sp) {
    if (sp.wipeOnFork.isEmpty()) {
      return "";
    }
    List<Integer> lines = sp.wipeOnFork;
    return "; what was marked MADV_WIPEONFORK at line"
        + (lines.size() > 1 ? "s " : " ")
        + String.join(
            ", ",
            lines.subList(0, Math.min(4, lines.size())).stream().map(String::valueOf).toList())
        + (lines.size() > 4 ? ", …" : "")
        + ", if still mapped, the child gets zero-filled instead";
  }

  private static void tls(Ctx c, Pending p) {
    if (!(c.call instanceof ArchPrctl a) || !a.setsFs()) {
      return;
    }
    Space sp = c.sp;
    if (!sp.tlsInstalled && sp.exe != null && sp.startBrk < 0 && !sp.midway) {
      sp.tpBeforeBrk = true;
    }
    sp.tlsInstalled = true;
    if (a.addr().isEmpty()) {
      return; // nothing to place
    }
    long fs = a.addr().getAsLong();
    TagMap.Span s = sp.tags.at(fs);
    if (s == null) {
      p.why.add(untaggedTls(c, fs));
      return;
    }
    long off = fs - s.start();
    Tag t = s.tag();
    if (t.cls() == RegionClass.HEAP) {
      // A static binary: __libc_setup_tls took the block from the break, at the start of [heap]
      // (glibc 2.36's _dl_early_allocate calls brk itself while sbrk's __curbrk is unset; __sbrk
      // before 2.36).
      sp.staticTls = true;
      String text =
          "The main thread's TLS block and TCB sit at the start of [heap]: a static "
              + "binary's startup (__libc_setup_tls) takes them from the break (brk(0), then brk "
              + "by the block's size: _dl_early_allocate since glibc 2.36, __sbrk before), the brk "
              + "made at line "
              + t.line()
              + "; FS points "
              + hex(off)
              + " into the heap, at struct pthread";
      p.why.add(
          new Explanation(
              "tls",
              "TLS_INIT_TP: sets the main thread's FS base to " + hex(fs) + ". " + text,
              Basis.ARITHMETIC,
              List.of(hex(fs) + " - " + hex(s.start()) + " = " + hex(off))));
      c.ex.retell(
          t,
          MallocRules.BRK_DIRECT,
          new Explanation(
              "tls-in-heap",
              text,
              Basis.ARITHMETIC,
              List.of("ARCH_SET_FS at line " + c.line() + " points inside")));
      return;
    }
    t.refine(RegionClass.TLS, "main thread's TLS block");
    String text =
        "holds the main thread's static TLS block and TCB: FS points "
            + hex(off)
            + " into these "
            + s.size()
            + " bytes (arch_prctl at line "
            + c.line()
            + "). ld.so's "
            + "minimal malloc (elf/dl-minimal-malloc.c) mapped them, ALIGN_UP(n, 4096) plus one "
            + "extra page, while init_tls (elf/rtld.c) allocated through it: the dtv slotinfo "
            + "list (calloc), then _dl_allocate_tls_storage's malloc(dl_tls_static_size + "
            + "dl_tls_static_align + 8) and the dtv (calloc); what fitted went into the rest of "
            + "ld.so's own data page, and the trace does not show which request needed this "
            + "mapping. On x86-64 the TCB (struct pthread) follows the TLS blocks (TLS_TCB_AT_TP), "
            + "so "
            + hex(off)
            + " = the block's start in this mapping, rounded up to "
            + "dl_tls_static_align, + dl_tls_static_size - TLS_TCB_SIZE";
    c.ex.retell(
        t,
        LoaderRules.MINIMAL_MALLOC,
        new Explanation(
            "tls-block",
            text,
            Basis.ARITHMETIC,
            List.of(hex(fs) + " - " + hex(s.start()) + " = " + hex(off))));
    p.why.add(
        new Explanation(
            "tls",
            "TLS_INIT_TP: sets the main thread's FS base to its struct pthread, "
                + hex(off)
                + " bytes into the block made at line "
                + t.line()
                + " (the TLS block); "
                + "%fs-relative accesses now reach thread-local variables",
            Basis.ARITHMETIC,
            List.of(hex(fs) + " - " + hex(s.start()) + " = " + hex(off))));
  }

  /**
   * personality(2) sets the persona the process keeps across fork and execve: with
   * ADDR_COMPAT_LAYOUT (setarch -L) the next execve lays the address space out bottom-up; another
   * persona drops it; 0xffffffff only asks.
   */
  private static void personality(Ctx c) {
    String arg = c.text(0);
    if (!c.ok() || arg == null || arg.startsWith("0xffffffff")) {
      return;
    }
    c.sp.legacyLayoutLine = arg.contains("ADDR_COMPAT_LAYOUT") ? c.line() : 0;
    c.sp.noRandomizeLine = arg.contains("ADDR_NO_RANDOMIZE") ? c.line() : 0;
  }

  private static void rlimit(Ctx c, Pending p) {
    if (c.call instanceof Rlimit a && a.isAddressSpace() && c.ok()) {
      OptionalLong cur = a.current();
      if (cur.isPresent()) {
        c.sp.rlimitAs = cur.getAsLong(); // GHC's RTS sizes its heap reservation by it
        c.sp.rlimitAsLine = c.line();
      }
      return;
    }
    if (!(c.call instanceof Rlimit r) || !r.isStack() || !c.ok()) {
      return;
    }
    OptionalLong cur = r.current(); // RLIM64_INFINITY is -1, as a name or as the number
    if (cur.isEmpty()) {
      return;
    }
    long v = cur.getAsLong();
    c.sp.rlimitStack = v;
    if (c.sp.withoutGlibc()) {
      // No brk since execve: glibc's startup (and so __pthread_early_init) did not run here, and
      // no default pthread stack size follows from the limit (valgrind's tool, a Go binary).
      c.sp.threadStack = 0;
      p.why.add(
          new Explanation(
              "thread-stack-size",
              c.sp.runs()
                  + " reads RLIMIT_STACK ("
                  + v
                  + ") for itself"
                  + (c.sp.exe != null && c.sp.exe.contains("/valgrind/")
                      ? " (valgrind's valgrind_main, coregrind/m_main.c, keeps it as the "
                          + "client's stack limit)"
                      : "")
                  + ", not as glibc's start-up does: this process has made no brk since its "
                  + "execve, which glibc's startup always makes first, so no __pthread_early_init "
                  + "runs here and no default pthread stack size follows from the limit",
              Basis.PATTERN,
              List.of("no brk since the execve")));
      return;
    }
    Calc s = Glibc.threadStackSize(v);
    c.sp.threadStack = s.value();
    if (c.sp.mallocStarted) {
      return;
    }
    p.why.add(
        new Explanation(
            "thread-stack-size",
            "libc start-up reads RLIMIT_STACK to set the default pthread stack size "
                + "(__pthread_early_init): "
                + s.steps()
                + "; threads made later without a stack "
                + "size of their own (pthread_attr_setstacksize) get "
                + s.value()
                + " bytes + a "
                + "4096-byte guard. The main stack is not sized here: it grows on demand up to this "
                + "limit",
            Basis.ARITHMETIC,
            List.of(s.steps())));
  }

  private static void specialRegions(Ctx c, Pending p) {
    // After execve the task has a fresh space (c.sp is the one the call was made in): the
    // kernel's regions are noted once, in the space they belong to.
    Space sp = c.ex.now(c);
    for (RegionChange ch : p.in.changes()) {
      Region r = ch.after();
      if (r != null && ch.op() == RegionChange.Op.ADDED) {
        note(sp, r, p, sp.rlimitStack);
      }
    }
    if (!sp.specialsSeen) {
      AddressSpaceView v = c.ex.view(c.ev.pid());
      List<Region> known = v == null ? List.of() : fromTraceOrSnapshot(v.regions());
      if (!known.isEmpty()) {
        sp.specialsSeen = true;
        for (Region r : known) {
          note(sp, r, p, sp.rlimitStack);
        }
        executable(sp, known, p);
      }
    }
  }

  /**
   * The regions but those laid out from this machine's ELF headers: the timeline's sentences rest
   * on the trace and its snapshots, whichever machine reads it (the picture shows the others).
   */
  static List<Region> fromTraceOrSnapshot(List<Region> regions) {
    List<Region> out = new ArrayList<>(regions.size());
    for (Region r : regions) {
      if (r.learnt() != Region.Learnt.ELF_HEADER) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The executable's segments as the kernel mapped them at execve (no syscall shows them): what
   * each is for, with its size, and the anonymous .bss beyond the last data page.
   */
  private static void executable(Space sp, List<Region> regions, Pending p) {
    List<String> parts = new ArrayList<>();
    List<String> evidence = new ArrayList<>();
    String path = null;
    Region prev = null;
    // a read-only piece can be RELRO only once an mprotect has run: not in a snapshot of a space
    // whose execve the trace shows, before any (live runs snapshot right after execve)
    boolean dynamic = sharedObjects(regions) && (!sp.execSeen || sp.protectSeen);
    for (int i = 0; i < regions.size(); i++) {
      Region r = regions.get(i);
      String what = null;
      if (path != null
          && !Classifier.isExecutable(r.path(), sp.exe)
          && !Tally.kernelBss(prev, r, sp.exe)) {
        // past the image's span: a later mapping of the file (node maps part of its text
        // elsewhere) is not what the kernel mapped at execve
        break;
      }
      if (Classifier.isExecutable(r.path(), sp.exe)) {
        path = r.path();
        what =
            switch (Classifier.classify(r, null, sp.exe)) {
              case IMAGE_HEADERS ->
                  "first segment (ELF and program headers, .dynsym/.dynstr, "
                      + "relocations: what ld.so reads, no code)";
              case IMAGE_TEXT -> "text (code)";
              case IMAGE_RODATA ->
                  dynamic && relroPiece(r, i + 1 < regions.size() ? regions.get(i + 1) : null)
                      ? "fits RELRO (the start of the data segment, .data.rel.ro and .got, which"
                          + " ld.so's _dl_protect_relro makes read-only once it has relocated"
                          + " them: it adjoins the data and continues its file pages)"
                      : "rodata (constants, string literals)";
              case IMAGE_DATA ->
                  "data (initialised globals and statics, from the file, " + "copy-on-write)";
              default -> null;
            };
      } else if (Tally.kernelBss(prev, r, sp.exe)) {
        what =
            "bss beyond the last data page (zero-initialised globals and statics: anonymous "
                + "zero pages, no bytes in the file)";
      }
      if (what != null) {
        parts.add(r.perms() + " " + Human.bytes(r.size()) + " " + what);
        evidence.add(hex(r.start()) + "-" + hex(r.end()) + " " + r.perms());
      }
      prev = r;
    }
    if (path != null) {
      p.why.add(
          new Explanation(
              "executable",
              "the executable "
                  + path
                  + " as the kernel mapped "
                  + "it at execve: "
                  + String.join("; ", parts),
              Basis.SNAPSHOT,
              evidence));
    }
  }

  /**
   * Whether a read-only piece of an image is the RELRO start of its data segment: the rw-p data
   * follows it at the next address and the next file page, one mapping that mprotect split. The
   * kernel maps each PT_LOAD on its own, and GNU ld places the data segment a page past where its
   * file offset would put it, so its rodata and data do not so adjoin. Only asked of a program with
   * shared objects mapped: ld.so relocates only a dynamically linked one, and a static Go binary
   * puts its rodata and data segments so.
   */
  private static boolean relroPiece(Region r, Region next) {
    return next != null
        && next.start() == r.end()
        && next.perms().startsWith("rw")
        && Objects.equals(next.path(), r.path())
        && next.offset() == r.offset() + r.size();
  }

  /** Whether a shared object is mapped among the regions: the program was dynamically linked. */
  private static boolean sharedObjects(List<Region> regions) {
    for (Region r : regions) {
      if (r.path() != null && LoaderRules.shortName(r.path()).contains(".so")) {
        return true;
      }
    }
    return false;
  }

  private static void note(Space sp, Region r, Pending p, long rlimit) {
    String name = r.path();
    if (name == null || !name.startsWith("[") || !sp.specialsNoted.add(name)) {
      return;
    }
    String text = SPECIAL.get(name);
    if ("[stack]".equals(name)) {
      text =
          "[stack]: the main thread's stack, "
              + r.size()
              + " bytes now (argv, envp, "
              + "auxv and 128 KiB more at execve); it grows down on demand by page faults, no "
              + "syscall, up to RLIMIT_STACK"
              + (rlimit > 0 ? " (" + rlimit + " bytes)" : rlimit == -1 ? " (unlimited)" : "")
              + " and never shrinks; threads' stacks are separate mappings";
    }
    if ("[heap]".equals(name) && AllocatorRules.foreign(sp)) {
      text =
          "[heap]: only the brk area; glibc malloc's main arena is not what grows it here, since "
              + AllocatorRules.notGlibcMalloc(sp)
              + "; mmapped memory is not part of it";
    }
    if (text != null) {
      // the region is known from a snapshot, or from the trace's own calls ([heap] from a brk)
      p.why.add(
          new Explanation(
              "special-region",
              text,
              RegionOrigin.basis(r),
              List.of(hex(r.start()) + "-" + hex(r.end()) + " " + name)));
    }
  }
}
