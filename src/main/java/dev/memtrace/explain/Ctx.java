package dev.memtrace.explain;

import dev.memtrace.decode.Brk;
import dev.memtrace.decode.Call;
import dev.memtrace.decode.Madvise;
import dev.memtrace.decode.Mmap;
import dev.memtrace.decode.Mprotect;
import dev.memtrace.decode.Mremap;
import dev.memtrace.decode.Range;
import dev.memtrace.decode.Shmat;
import dev.memtrace.decode.Shmdt;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.OpenFile;
import dev.memtrace.model.RegionChange;
import dev.memtrace.model.Who;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.StackFrame;
import dev.memtrace.trace.SyscallEvent;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a rule sees of one system call: its arguments read as numbers, flags and paths, the address
 * space's remembered state before the call, and the stack when {@code -k} printed one.
 */
final class Ctx {
  final SyscallEvent ev;

  final Space sp;
  final Explainer ex;

  /** What the model says the call changed (before and after each region). */
  final List<RegionChange> changes;

  /** Whose call it is, and what it made (a clone's child, an execve's space), as the model says. */
  final Who who;

  /** The typed call: rules read its fields rather than its text. */
  final Call call;

  /**
   * @param call the call as the model decoded it; null to decode it here (a call the model does not
   *     read, or no model)
   */
  Ctx(SyscallEvent ev, Call call, Space sp, Explainer ex, List<RegionChange> changes, Who who) {
    this.ev = ev;
    this.call = call != null ? call : Call.of(ev);
    this.sp = sp;
    this.ex = ex;
    this.changes = changes;
    this.who = who;
  }

  /** What the call made, as the model says (null: nothing, or not a clone, fork or execve). */
  Who.Made made() {
    return who == null ? null : who.made();
  }

  String name() {
    return ev.name();
  }

  /** The calling thread's pid in the trace, or 0 when the trace names none. */
  int tid() {
    Integer pid = ev.pid();
    return pid == null ? 0 : pid;
  }

  /** The call's line as sentences cite it: its reference ({@link dev.memtrace.trace.SetLines}). */
  int line() {
    return ev.source() == null ? 0 : ev.source().ref();
  }

  /** Argument i as printed, or null. */
  String text(int i) {
    return call.text(i);
  }

  boolean ok() {
    return ev.succeeded();
  }

  private Boolean known;

  /**
   * Whether the numbers the rows of the rule table read of this call are numbers: a range call's
   * address and length (and an mmap's offset), mremap's sizes, brk's break, shmat's segment,
   * shmdt's address, the result of a call that succeeded, and for these calls a result at all. A
   * row matches no call where one is missing (its arithmetic would be about nothing), and the stage
   * keeps no region for it.
   */
  boolean known() {
    if (known == null) {
      boolean args;
      if (call instanceof Mmap m) {
        args = present(m.addr(), m.length(), m.offset());
      } else if (call instanceof Mremap m) {
        args = present(m.addr(), m.length(), m.newLength());
      } else if (call instanceof Range r) {
        args = present(r.addr(), r.length());
      } else if (call instanceof Shmat s) {
        args = s.id().isPresent();
      } else {
        args = call instanceof Brk || call instanceof Shmdt ? address().isPresent() : true;
      }
      // a call that never returned in the log (an unfinished half, a last line cut short) has
      // no result to read, whatever its arguments: no row matches it
      boolean memory =
          call instanceof Mmap
              || call instanceof Mremap
              || call instanceof Range
              || call instanceof Shmat
              || call instanceof Brk
              || call instanceof Shmdt;
      known = args && !(memory && ev.result() == null) && (!ok() || call.ret().isPresent());
    }
    return known;
  }

  private static boolean present(OptionalLong... values) {
    for (OptionalLong v : values) {
      if (v.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** The call's address: a range's start, mremap's old address, brk's break, shmdt's address. */
  OptionalLong address() {
    if (call instanceof Range r) {
      return r.addr();
    } else if (call instanceof Brk b) {
      return b.addr();
    } else if (call instanceof Shmdt s) {
      return s.addr();
    }
    return OptionalLong.empty();
  }

  /** {@link #address}, for a row that matched ({@link #known}). */
  long addr() {
    return need(address(), "address");
  }

  /** A range's length, mremap's old length, for a row that matched. */
  long length() {
    return need(call instanceof Range r ? r.length() : OptionalLong.empty(), "length");
  }

  /** mremap's new length, for a row that matched. */
  long newLength() {
    return need(call instanceof Mremap m ? m.newLength() : OptionalLong.empty(), "new length");
  }

  /** An mmap's file offset, for a row that matched. */
  long offset() {
    return need(call instanceof Mmap m ? m.offset() : OptionalLong.empty(), "offset");
  }

  /** shmat's segment id, for a row that matched. */
  long shmId() {
    return need(call instanceof Shmat s ? s.id() : OptionalLong.empty(), "segment id");
  }

  /** shmat's SHM_* flags, 0 when strace printed none. */
  long shmFlags() {
    return call instanceof Shmat s ? s.flags().orElse(0) : 0;
  }

  /** An mmap's fd (-1 for an anonymous mapping); empty when strace printed no number. */
  OptionalLong fd() {
    return call instanceof Mmap m ? m.fd() : OptionalLong.empty();
  }

  /** The result of a call that succeeded, for a row that matched. */
  long result() {
    return need(call.ret(), "result");
  }

  /**
   * A field a row reads; a row that reads one the call does not have, or that {@link #known} did
   * not check, is a bug, which fails the run here.
   */
  private long need(OptionalLong v, String field) {
    if (v.isEmpty()) {
      throw new IllegalStateException(
          "a rule read the " + field + " of " + name() + " at line " + line() + ": it has none");
    }
    return v.getAsLong();
  }

  /** The PROT_* names of an mmap or mprotect. */
  Set<String> prot() {
    if (call instanceof Mmap m) {
      return m.protNames();
    } else if (call instanceof Mprotect m) {
      return m.protNames();
    }
    throw new IllegalStateException(name() + " has no protection to read");
  }

  /** The MAP_* names of an mmap. */
  Set<String> mapFlags() {
    if (call instanceof Mmap m) {
      return m.flagNames();
    }
    throw new IllegalStateException(name() + " has no MAP_* flags to read");
  }

  /** The MADV_* name of a madvise. */
  Set<String> advice() {
    if (call instanceof Madvise m) {
      return m.adviceNames();
    }
    throw new IllegalStateException(name() + " has no advice to read");
  }

  /**
   * The file an mmap maps: the -y decoration, else what the model's fd table says the trace opened
   * its fd as.
   */
  String filePath() {
    return call instanceof Mmap m ? fdPath(m.fd(), m.fdPath()) : null;
  }

  /**
   * The object an mmap maps, as -y or the model's fd table names it, even one whose inode the trace
   * did not print ({@code socket:[inode not in the trace]}); null when neither knows the fd.
   */
  String fileObject() {
    if (!(call instanceof Mmap m)) {
      return null;
    }
    if (m.fdPath() != null) {
      return m.fdPath();
    }
    OpenFile f = mappedFd();
    return f == null ? null : f.path();
  }

  /** The model's entry for the fd an mmap maps, or null. */
  OpenFile mappedFd() {
    return call instanceof Mmap m && m.fd().isPresent()
        ? ex.openFile(ev.pid(), (int) m.fd().getAsLong())
        : null;
  }

  /** {@link #filePath} as a sentence names it ({@link #fileName(OptionalLong, String)}). */
  String fileName() {
    return call instanceof Mmap m
        ? fileName(m.fd(), m.fdPath())
        : fileName(OptionalLong.empty(), null);
  }

  /** The file behind an fd: its -y decoration, else the model's fd table's path; or null. */
  String fdPath(OptionalLong fd, String decoration) {
    if (decoration != null) {
      return decoration;
    }
    return fd.isPresent() ? ex.fdPath(ev.pid(), (int) fd.getAsLong()) : null;
  }

  /**
   * The file behind an fd as a sentence names it: its path; a relative path the trace could not
   * anchor, said so; a descriptor alias (/proc/self/fd/N) whose file the model does not know, said
   * so; or "a file the trace does not name (fd N)". Never null.
   */
  String fileName(OptionalLong fd, String decoration) {
    String p = fdPath(fd, decoration);
    String which = fd.isPresent() ? " (fd " + fd.getAsLong() + ")" : "";
    if (p == null || p.isEmpty()) {
      return "a file the trace does not name" + which;
    }
    String alias = FileRules.aliasName(p);
    if (alias != null) {
      return alias;
    }
    if (!p.startsWith("/") && !p.contains(":")) {
      return "the file \""
          + RawText.name(p)
          + "\""
          + " (a path relative to a directory the trace does not "
          + "show"
          + (which.isEmpty() ? ")" : ", fd " + fd.getAsLong() + ")");
    }
    return RawText.name(p);
  }

  boolean anon() {
    return mapFlags().contains("MAP_ANONYMOUS");
  }

  String protText() {
    Set<String> p = prot();
    return p.isEmpty() ? "PROT_NONE" : String.join("|", p);
  }

  /**
   * The outermost -k frame whose symbol is one of the names (the entry the program called, say
   * malloc, rather than an internal helper whose dynsym name may mislead), or null.
   */
  StackFrame frame(Set<String> symbols) {
    StackFrame hit = null;
    for (StackFrame f : ev.stack()) {
      if (f.symbol() != null && symbols.contains(name(f.symbol()))) {
        hit = f;
      }
    }
    return hit;
  }

  /**
   * A symbol without its C++ parameter list: "os::malloc(unsigned long, …)" → "os::malloc". A Go
   * method's receiver, "runtime.(*mheap).sysAlloc", is part of its name: a parenthesis right after
   * a dot does not start a parameter list.
   */
  static String name(String symbol) {
    int paren = symbol.indexOf('(');
    while (paren > 0 && symbol.charAt(paren - 1) == '.') {
      int close = symbol.indexOf(')', paren);
      paren = close < 0 ? -1 : symbol.indexOf('(', close + 1);
    }
    return paren > 0 ? symbol.substring(0, paren) : symbol;
  }

  /**
   * The program's ELF headers were read and name no loader (no PT_INTERP): a statically linked
   * program, in which no ld.so runs. False when they name one or were not read.
   */
  boolean staticProgram() {
    AddressSpaceView v = ex.view(ev.pid());
    return v != null && Boolean.FALSE.equals(v.programInterp());
  }

  /** A -k stack shows ld.so's own code making the call: its innermost frame is in ld.so. */
  boolean byLdso() {
    List<StackFrame> st = ev.stack();
    return !st.isEmpty() && st.get(0).object() != null && st.get(0).object().contains("/ld-linux");
  }

  /** Whether a -k frame of the call lies in an object whose path contains part. */
  boolean stackIn(String part) {
    for (StackFrame f : ev.stack()) {
      if (f.object() != null && f.object().contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether -k shows a runtime (the JVM, node, Go's) calling the kernel itself, with no allocator
   * frame between: glibc malloc's rules do not apply to the call, whatever its shape.
   */
  boolean runtimeCaller(Set<String> allocatorFrames) {
    StackFrame caller = caller();
    if (caller == null || caller.object() == null) {
      return false;
    }
    return (runtime(caller) || calledWrapperItself(caller)) && frame(allocatorFrames) == null;
  }

  private boolean runtime(StackFrame caller) {
    String o = caller.object();
    return o.contains("libjvm.so") || o.endsWith("/node") || o.contains("libnode") || goRuntime();
  }

  /**
   * The frame that called libc's mmap (munmap...) wrapper itself, with no allocator frame on the
   * stack, when -k shows one and it is not a runtime's (whose own rows tell its mappings); else
   * null.
   */
  StackFrame wrapperCaller() {
    StackFrame caller = caller();
    return caller != null
            && caller.object() != null
            && !runtime(caller)
            && calledWrapperItself(caller)
            && frame(MallocRules.ALLOCATOR) == null
        ? caller
        : null;
  }

  /** libc's wrappers of the memory calls, as -k names them: what a program calls to map itself. */
  private static final Set<String> WRAPPERS =
      Set.of(
          "mmap",
          "__mmap",
          "mmap64",
          "__mmap64",
          "munmap",
          "__munmap",
          "mremap",
          "__mremap",
          "mprotect",
          "__mprotect",
          "madvise",
          "__madvise");

  /**
   * Whether the frames inside libc are only its syscall wrapper, called straight from the program
   * or a library (GCC's cc1 maps its garbage-collected pages so: ggc_internal_alloc calls mmap):
   * malloc would show between them (malloc, or the exported symbol -k names its static functions
   * by), so the call is not malloc's.
   */
  private boolean calledWrapperItself(StackFrame caller) {
    List<StackFrame> st = ev.stack();
    int at = st.indexOf(caller);
    if (at <= 0) {
      return false;
    }
    for (StackFrame f : st.subList(0, at)) {
      if (f.symbol() == null || !WRAPPERS.contains(f.symbol())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a -k frame is Go's runtime package ("runtime.sysAlloc", "runtime.sysMmap.abi0"): Go
   * maps its heap, stacks and metadata itself (runtime/mem_linux.go), through libc's mmap only to
   * let a cgo program's C side see the call (x_cgo_mmap).
   */
  private boolean goRuntime() {
    for (StackFrame f : ev.stack()) {
      if (f.symbol() != null && f.symbol().startsWith("runtime.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Who called the function of frame {@code hit}: the first frame outside libc and ld.so, when it
   * lies further out than hit (the program that called malloc); else the frame right after hit (in
   * a runtime that calls the kernel itself, as Go does, every frame is the program's), or null.
   */
  StackFrame callerOf(StackFrame hit) {
    List<StackFrame> stack = ev.stack();
    int at = stack.indexOf(hit);
    StackFrame caller = caller();
    if (caller == null || stack.indexOf(caller) > at) {
      return caller;
    }
    return at + 1 < stack.size() ? stack.get(at + 1) : null;
  }

  /** The first frame outside libc and ld.so: who called the allocator. */
  StackFrame caller() {
    for (StackFrame f : ev.stack()) {
      String o = f.object() == null ? "" : f.object().toLowerCase(Locale.ROOT);
      if (!o.contains("libc.so") && !o.contains("ld-linux") && !o.contains("libc-")) {
        return f;
      }
    }
    return null;
  }

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
