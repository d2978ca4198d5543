package dev.memtrace.explain;

import dev.memtrace.timeline.RegionClass;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The conditions rules are written with: argument flags, sizes, paths, and what the remembered
 * state says about neighbouring calls. Each is a small predicate so a rule row reads as data.
 */
final class When {
  private When() {}

  static Predicate<Ctx> ok() {
    return Ctx::ok;
  }

  static Predicate<Ctx> flag(int arg, String name) {
    return c -> c.mapFlags(arg).contains(name);
  }

  static Predicate<Ctx> noFlag(int arg, String name) {
    return c -> !c.mapFlags(arg).contains(name);
  }

  static Predicate<Ctx> anon() {
    return Ctx::anon;
  }

  static Predicate<Ctx> file() {
    return c -> !c.anon() && c.arg(4) >= 0;
  }

  /** The protection argument is exactly these names (none = PROT_NONE). */
  static Predicate<Ctx> prot(int arg, String... names) {
    Set<String> want = Set.of(names);
    return c -> c.prot(arg).equals(want);
  }

  static Predicate<Ctx> addrNull() {
    return c -> c.arg(0) == 0;
  }

  static Predicate<Ctx> size(int arg, long value) {
    return c -> c.arg(arg) == value;
  }

  static Predicate<Ctx> sizeAtLeast(int arg, long value) {
    return c -> c.has(arg) && c.arg(arg) >= value;
  }

  static Predicate<Ctx> sizeBelow(int arg, long value) {
    return c -> c.has(arg) && c.arg(arg) < value;
  }

  static Predicate<Ctx> pathContains(int arg, String part) {
    return c -> {
      String p = c.fdPath(arg);
      return p != null && p.contains(part);
    };
  }

  static Predicate<Ctx> advice(int arg, String name) {
    return c -> c.advice(arg).contains(name);
  }

  /** ld.so has not yet installed the main thread's TLS: still in startup. */
  static Predicate<Ctx> startup() {
    return c -> !c.sp.tlsInstalled && !c.sp.mallocStarted;
  }

  static Predicate<Ctx> afterStartup() {
    return c -> c.sp.tlsInstalled || c.sp.mallocStarted;
  }

  /** ld.so is mapping an object and the address lies in its reserved span. */
  static Predicate<Ctx> inLoadingSpan() {
    return c -> {
      Space.Loading l = c.sp.loading;
      long a = c.arg(0);
      return l != null && a >= l.base() && a < l.end();
    };
  }

  /** The range at argument 0 lies in a range tagged with one of these classes. */
  static Predicate<Ctx> taggedAs(RegionClass... classes) {
    Set<RegionClass> want = Set.of(classes);
    return c -> {
      TagMap.Span s = c.sp.tags.at(c.arg(0));
      return s != null && want.contains(s.tag().cls());
    };
  }

  static Predicate<Ctx> tagged() {
    return c -> c.sp.tags.at(c.arg(0)) != null;
  }

  static Predicate<Ctx> program(String part) {
    return c -> c.sp.program().contains(part);
  }
}
