package dev.memtrace.explain;

import dev.memtrace.decode.Call;
import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.model.RegionChange;
import dev.memtrace.model.Who;
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

  int line() {
    return ev.source() == null ? 0 : ev.source().line();
  }

  /** Argument i as printed, or null. */
  String text(int i) {
    return call.text(i);
  }

  /** Whether argument i is a number. */
  boolean has(int i) {
    return call.num(i).isPresent();
  }

  /**
   * Argument i as a number, for the arithmetic of a sentence; {@link Long#MIN_VALUE} when it is
   * none, which no test of a rule matches by accident ({@link #has} tells it).
   */
  long arg(int i) {
    return call.num(i).orElse(Long.MIN_VALUE);
  }

  boolean ok() {
    return ev.succeeded();
  }

  /** The return value as {@link #arg} gives an argument. */
  long ret() {
    return call.ret().orElse(Long.MIN_VALUE);
  }

  Set<String> prot(int i) {
    return call.names(i, LinuxFlags.PROT, true);
  }

  Set<String> mapFlags(int i) {
    return call.names(i, LinuxFlags.MAP, true);
  }

  Set<String> advice(int i) {
    return call.names(i, LinuxFlags.MADVISE, false);
  }

  /**
   * The file behind fd argument i: the -y decoration, else what the model's fd table says the trace
   * opened it as.
   */
  String fdPath(int i) {
    String d = call.fdPath(i);
    if (d != null) {
      return d;
    }
    return has(i) ? ex.fdPath(ev.pid(), (int) arg(i)) : null;
  }

  /**
   * The file behind fd argument i as a sentence names it: its path; a relative path the trace could
   * not anchor, said so; or "a file the trace does not name (fd N)". Never null.
   */
  String fileName(int i) {
    String p = fdPath(i);
    long fd = arg(i);
    String which = has(i) ? " (fd " + fd + ")" : "";
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
