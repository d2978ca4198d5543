package dev.memtrace.explain;

import dev.memtrace.model.RegionChange;
import dev.memtrace.model.Who;
import dev.memtrace.model.abi.LinuxFlags;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.StackFrame;
import dev.memtrace.trace.SyscallEvent;
import java.util.List;
import java.util.Locale;
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

  Ctx(SyscallEvent ev, Space sp, Explainer ex, List<RegionChange> changes, Who who) {
    this.ev = ev;
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

  int line() {
    return ev.source() == null ? 0 : ev.source().line();
  }

  String text(int i) {
    List<String> t = ev.args() == null ? List.of() : ev.args().texts();
    return i < t.size() ? t.get(i) : null;
  }

  long arg(int i) {
    if (i >= argCache.length) {
      return Num.parse(text(i));
    }
    if ((argKnown & (1 << i)) == 0) {
      argCache[i] = Num.parse(text(i));
      argKnown |= 1 << i;
    }
    return argCache[i];
  }

  boolean ok() {
    return ev.succeeded();
  }

  long ret() {
    if (ev.result() == null) {
      return Num.NONE;
    }
    Long v = ev.result().value();
    return v != null ? v : Num.parse(ev.result().text());
  }

  // Rules ask for the same flags many times per call: decode each argument once.
  private final Set<?>[] protCache = new Set<?>[8];
  private final Set<?>[] flagCache = new Set<?>[8];
  private final long[] argCache = new long[8];
  private int argKnown;

  @SuppressWarnings("unchecked")
  Set<String> prot(int i) {
    if (i >= protCache.length) {
      return Constants.names(text(i), LinuxFlags.PROT, true);
    }
    if (protCache[i] == null) {
      protCache[i] = Constants.names(text(i), LinuxFlags.PROT, true);
    }
    return (Set<String>) protCache[i];
  }

  @SuppressWarnings("unchecked")
  Set<String> mapFlags(int i) {
    if (i >= flagCache.length) {
      return Constants.names(text(i), LinuxFlags.MAP, true);
    }
    if (flagCache[i] == null) {
      flagCache[i] = Constants.names(text(i), LinuxFlags.MAP, true);
    }
    return (Set<String>) flagCache[i];
  }

  Set<String> advice(int i) {
    return Constants.names(text(i), LinuxFlags.MADVISE, false);
  }

  /**
   * The file behind fd argument i: the -y decoration, else what the model's fd table says the trace
   * opened it as.
   */
  String fdPath(int i) {
    String d = Num.decoration(text(i));
    if (d != null) {
      return d;
    }
    long fd = arg(i);
    return fd == Num.NONE ? null : ex.fdPath(ev.pid(), (int) fd);
  }

  /**
   * The file behind fd argument i as a sentence names it: its path; a relative path the trace could
   * not anchor, said so; or "a file the trace does not name (fd N)". Never null.
   */
  String fileName(int i) {
    String p = fdPath(i);
    long fd = arg(i);
    String which = fd == Num.NONE ? "" : " (fd " + fd + ")";
    if (p == null || p.isEmpty()) {
      return "a file the trace does not name" + which;
    }
    if (!p.startsWith("/") && !p.contains(":")) {
      return "the file \""
          + RawText.name(p)
          + "\""
          + " (a path relative to a directory the trace does not "
          + "show"
          + (which.isEmpty() ? ")" : ", fd " + fd + ")");
    }
    return RawText.name(p);
  }

  /** mmap's argument positions: addr, length, prot, flags, fd, offset. */
  long len() {
    return arg(1);
  }

  boolean anon() {
    return mapFlags(3).contains("MAP_ANONYMOUS");
  }

  String protText(int i) {
    Set<String> p = prot(i);
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

  /** A symbol without its C++ parameter list: "os::malloc(unsigned long, …)" → "os::malloc". */
  static String name(String symbol) {
    int paren = symbol.indexOf('(');
    return paren > 0 ? symbol.substring(0, paren) : symbol;
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
   * Whether -k shows a runtime (the JVM, node) calling the kernel itself, with no allocator frame
   * between: glibc malloc's rules do not apply to the call, whatever its shape.
   */
  boolean runtimeCaller(Set<String> allocatorFrames) {
    StackFrame caller = caller();
    if (caller == null || caller.object() == null) {
      return false;
    }
    String o = caller.object();
    boolean runtime = o.contains("libjvm.so") || o.endsWith("/node") || o.contains("libnode");
    return runtime && frame(allocatorFrames) == null;
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
