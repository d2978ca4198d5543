package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;

import dev.memtrace.decode.Fault;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.SignalEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SIGSEGV and SIGBUS placed against the address space: which region si_addr is in, or how far it is
 * from the nearest one, and what si_code says about the access (sigaction(2), the si_code values of
 * siginfo). In a JVM a SIGSEGV is HotSpot's to handle, and is said so.
 */
final class Faults {
  static final Map<String, String> CODES =
      Map.of(
          "SEGV_MAPERR", "SEGV_MAPERR: no mapping at all at the address",
          "SEGV_ACCERR",
              "SEGV_ACCERR: a mapping exists there, but its permissions forbid this " + "access",
          "SEGV_PKUERR", "SEGV_PKUERR: a memory protection key forbids the access",
          "BUS_ADRERR",
              "BUS_ADRERR: the address is mapped, but the page lies beyond the end of "
                  + "the file it maps",
          "BUS_OBJERR", "BUS_OBJERR: the object behind the mapping reported a hardware error",
          "BUS_ADRALN", "BUS_ADRALN: misaligned access",
          "SI_KERNEL",
              "SI_KERNEL: sent by the kernel (e.g. a general protection fault on a "
                  + "non-canonical address)");

  /**
   * How far past the break a fault is still told as past the heap's end: an overrun of the last
   * chunk or a pointer just beyond it, not the mmap area terabytes above.
   */
  static final long HEAP_NEAR = 1L << 20;

  /** Below this nothing can be mapped (vm.mmap_min_addr on the reference box). */
  static final long MMAP_MIN_ADDR = 65536;

  private Faults() {}

  /**
   * What the place of the address rests on: how the model learnt the region that holds it, or, in
   * unmapped space, the one below it; the trace's numbers when the model holds neither.
   */
  private static Basis basis(long addr, AddressSpaceView view) {
    Region r = view == null ? null : view.regionAtOrBelow(addr);
    return r == null ? Basis.ARITHMETIC : RegionOrigin.basis(r);
  }

  static boolean isFault(SignalEvent sig) {
    return "SIGSEGV".equals(sig.signal()) || "SIGBUS".equals(sig.signal());
  }

  static Explanation explain(SignalEvent sig, Space sp, AddressSpaceView view) {
    Fault f = sig.siginfoText() == null ? null : Fault.of(sig);
    if (f == null || f.addr().isEmpty()) {
      return null;
    }
    String code = f.code();
    long addr = f.addr().getAsLong();
    List<String> evidence = new ArrayList<>();
    String where = locate(addr, sp, view, evidence);
    String meaning = code == null ? "" : " " + CODES.getOrDefault(code, code) + ".";
    if (sp != null && sp.jvm && "SIGSEGV".equals(sig.signal())) {
      return jvm(sig, addr, code, where, meaning, evidence);
    }
    return new Explanation(
        "fault",
        sig.signal()
            + " at "
            + hex(addr)
            + ": "
            + where
            + "."
            + meaning
            + " si_addr is the address the access faulted on (the data address, or the code"
            + " address itself when an instruction fetch faulted), not which instruction made it",
        basis(addr, view),
        evidence);
  }

  /**
   * A SIGSEGV in a JVM: HotSpot installs its own handler (JVM_handle_linux_signal) and uses faults
   * on purpose, so the signal alone is no crash. One at address 0 fits the x86 CPU feature probe of
   * VM_Version::get_processor_features.
   */
  private static Explanation jvm(
      SignalEvent sig, long addr, String code, String where, String meaning, List<String> ev) {
    ev.add("libjvm.so is loaded in this process");
    if (addr >= 0 && addr < MMAP_MIN_ADDR && "SEGV_MAPERR".equals(code)) {
      return new Explanation(
          "jvm-probe-segv",
          "SIGSEGV at "
              + hex(addr)
              + " in a JVM: fits HotSpot's deliberate CPU-feature probe, "
              + "not a crash. On x86 VM_Version::get_processor_features runs a stub that reads "
              + "address 0 to check that the kernel saves and restores the AVX registers across "
              + "a signal; HotSpot's SIGSEGV handler recognises the faulting pc "
              + "(VM_Version::is_cpuinfo_segv_addr) and resumes at cpuinfo_cont_addr, so an "
              + "rt_sigreturn follows and the process goes on."
              + meaning,
          Basis.PATTERN,
          ev);
    }
    return new Explanation(
        "jvm-segv",
        "SIGSEGV at "
            + hex(addr)
            + " in a JVM: "
            + where
            + "."
            + meaning
            + " HotSpot handles "
            + "SIGSEGV itself (implicit null checks, safepoint polls, stack overflow checks), "
            + "so this is a crash only if the process dies of it",
        Basis.PATTERN,
        ev);
  }

  private static String locate(long a, Space sp, AddressSpaceView view, List<String> ev) {
    if (a >= 0 && a < MMAP_MIN_ADDR) {
      ev.add(hex(a) + " < vm.mmap_min_addr " + MMAP_MIN_ADDR);
      return "in the NULL page area (a null pointer, or a small offset from one): nothing can "
          + "be mapped below vm.mmap_min_addr";
    }
    if (a == 0xffffffffff600000L || (a >= 0xffffffffff600000L && a < 0xffffffffff601000L)) {
      return "in [vsyscall], which is execute-only: reading it faults";
    }
    Region r = view == null ? null : view.regionAt(a);
    TagMap.Span s = sp == null ? null : sp.tags.at(a);
    if (r != null || s != null) {
      String name = describe(r, s);
      long start = r != null ? r.start() : s.start();
      ev.add(hex(a) + " - " + hex(start) + " = " + (a - start));
      String perms = r != null ? " (" + r.perms() + ")" : "";
      RegionClass cls =
          r != null
              ? Classifier.classify(r, s == null ? null : s.tag(), sp == null ? null : sp.exe)
              : s.tag().cls();
      String hint =
          switch (cls) {
            case GUARD -> ": the guard page of a thread stack — the thread overflowed its stack";
            case RESERVED, IMAGE_RESERVED -> ": reserved PROT_NONE address space, not yet usable";
            case IMAGE_TEXT, IMAGE_RODATA, IMAGE_RELRO, IMAGE_HEADERS ->
                ": a read-only segment (a write to a string literal, code or relocated data)";
            default -> "";
          };
      return (a - start) + " bytes into " + name + perms + hint;
    }
    Space.NotCopied n = sp == null ? null : sp.notCopiedAt(a);
    if (n != null) {
      ev.add(
          hex(a)
              + " lies in "
              + hex(n.start())
              + "-"
              + hex(n.end())
              + ", marked VM_DONTCOPY in the parent at the fork");
      return "in unmapped space in this fork's child: "
          + (a - n.start())
          + " bytes into what the parent had there, "
          + n.what()
          + ", which "
          + (n.adviceLine() > 0
              ? "madvise(MADV_DONTFORK) marked at line " + n.adviceLine()
              : "was marked MADV_DONTFORK")
          + ", so fork did not copy it into the child (dup_mmap skips VM_DONTCOPY areas)";
    }
    Space.Unmapped u = sp == null ? null : sp.unmappedAt(a);
    if (u != null) {
      ev.add(
          hex(a)
              + " lies in "
              + hex(u.start())
              + "-"
              + hex(u.end())
              + ", unmapped at line "
              + u.line());
      boolean chunk = u.cls() == RegionClass.MALLOC_MMAP;
      return "in unmapped space, "
          + u.told(a)
          + ": an access to memory already unmapped"
          + (chunk ? " (that munmap fits free() of the chunk, so this fits a use after free)" : "");
    }
    Region below = view == null ? null : view.regionAtOrBelow(a);
    TagMap.Span sb = sp == null ? null : sp.tags.below(a);
    long belowEnd =
        Math.max(
            below == null ? Long.MIN_VALUE : below.end(), sb == null ? Long.MIN_VALUE : sb.end());
    Region above = view == null ? null : view.regionAbove(a);
    TagMap.Span sa = sp == null ? null : sp.tags.above(a);
    StringBuilder b = new StringBuilder("in unmapped space");
    if (belowEnd != Long.MIN_VALUE) {
      boolean fromView = below != null && below.end() == belowEnd;
      String name =
          fromView
              ? describe(below, sp == null ? null : sp.tags.at(below.start()))
              : describe(null, sb);
      b.append(", ")
          .append(a - belowEnd)
          .append(" bytes (")
          .append(Human.bytes(a - belowEnd))
          .append(") beyond the end of ")
          .append(name);
      ev.add(hex(a) + " - end " + hex(belowEnd) + " = " + (a - belowEnd));
      if (name.contains("[heap]") && a - belowEnd <= HEAP_NEAR) {
        b.append(" (past the program break: the heap ends there)");
      }
    }
    long aboveStart =
        Math.min(
            above == null ? Long.MAX_VALUE : above.start(),
            sa == null ? Long.MAX_VALUE : sa.start());
    if (aboveStart != Long.MAX_VALUE
        && (aboveStart - a <= (1L << 20)
            || belowEnd == Long.MIN_VALUE
            || aboveStart - a < a - belowEnd)) {
      boolean fromView = above != null && above.start() == aboveStart;
      String name = fromView ? describe(above, null) : describe(null, sa);
      b.append(", ")
          .append(aboveStart - a)
          .append(" bytes (")
          .append(Human.bytes(aboveStart - a))
          .append(") below ")
          .append(name);
      if (name.contains("[stack]")) {
        b.append(
            " (the main stack could not grow this far: RLIMIT_STACK or the 1 MiB guard "
                + "gap to the next mapping — a stack overflow)");
      }
    }
    if (aboveStart == Long.MAX_VALUE
        && belowEnd != Long.MIN_VALUE
        && stackAreaUnseen(a, sp, view)) {
      ev.add("no region the trace shows lies above " + hex(a));
      b.append(
          "; no mapping the trace shows lies above it, and in the default (top-down) layout only"
              + " the main thread's stack sits above the mmap area: the kernel maps [stack] at"
              + " execve, which no syscall shows (a maps snapshot places it), so this likely is"
              + " the main stack overflowing, its growth stopped by RLIMIT_STACK"
              + (sp.rlimitStack > 0 ? " (" + sp.rlimitStack + " bytes)" : "")
              + " or by the guard gap to the next mapping (a stack overflow)");
    }
    return b.toString();
  }

  /**
   * Whether an address above every region the model knows may lie where the main stack grows: a
   * 64-bit process in the default top-down layout (not legacy: a personality or an unlimited
   * RLIMIT_STACK, mmap_is_legacy, puts the mmap area at the bottom), below the end of user space,
   * and no [stack] known (a snapshot would place it; with one, the distance to it is told).
   */
  private static boolean stackAreaUnseen(long a, Space sp, AddressSpaceView view) {
    if (sp == null || sp.jvm || sp.bits32 || sp.legacyLayoutLine != 0 || sp.rlimitStack == -1) {
      return false;
    }
    if (a <= 0 || a >= 1L << 47) {
      return false;
    }
    if (view != null) {
      for (Region r : view.regions()) {
        if ("[stack]".equals(r.path())) {
          return false;
        }
      }
    }
    return true;
  }

  private static String describe(Region r, TagMap.Span s) {
    if (s != null) {
      return MallocRules.the(s.tag().what()) + " made at line " + s.tag().line();
    }
    if (r.path().isEmpty()) {
      return "an anonymous region " + hex(r.start()) + "-" + hex(r.end());
    }
    return r.path().startsWith("[")
        ? r.path()
        : RawText.name(r.path()) + " " + hex(r.start()) + "-" + hex(r.end());
  }
}
