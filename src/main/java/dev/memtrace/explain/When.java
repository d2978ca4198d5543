package dev.memtrace.explain;

import dev.memtrace.timeline.RegionClass;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The conditions rules are written with: argument flags, sizes, paths, and what the remembered
 * state says about neighbouring calls. Each is a small predicate so a rule row reads as data.
 */
final class When {
  private When() {}

  static Predicate<Ctx> ok() {
    return Ctx::ok;
  }

  /** An mmap's MAP_* flags include this one. */
  static Predicate<Ctx> flag(String name) {
    return c -> c.mapFlags().contains(name);
  }

  /** An mmap's MAP_* flags are exactly these. */
  static Predicate<Ctx> flags(String... names) {
    Set<String> want = Set.of(names);
    return c -> c.mapFlags().equals(want);
  }

  static Predicate<Ctx> noFlag(String name) {
    return c -> !c.mapFlags().contains(name);
  }

  static Predicate<Ctx> anon() {
    return Ctx::anon;
  }

  /** An mmap of a file: not anonymous, and its fd a number at or above 0. */
  static Predicate<Ctx> file() {
    return c -> !c.anon() && c.fd().orElse(-1) >= 0;
  }

  /** The protection of an mmap or mprotect is exactly these names (none = PROT_NONE). */
  static Predicate<Ctx> prot(String... names) {
    Set<String> want = Set.of(names);
    return c -> c.prot().equals(want);
  }

  static Predicate<Ctx> addrNull() {
    return addrIs(0);
  }

  /**
   * An mmap of PROT_READ|PROT_WRITE anonymous memory at NULL with MAP_PRIVATE|MAP_ANONYMOUS alone:
   * the shape of sysmalloc's own mappings, and of other code that maps as it does.
   */
  static Predicate<Ctx> privateAnonRwAtNull() {
    return anon()
        .and(addrNull())
        .and(prot("PROT_READ", "PROT_WRITE"))
        .and(c -> c.mapFlags().equals(Set.of("MAP_PRIVATE", "MAP_ANONYMOUS")));
  }

  static Predicate<Ctx> addrIs(long value) {
    return c -> c.addr() == value;
  }

  static Predicate<Ctx> lengthIs(long value) {
    return c -> c.length() == value;
  }

  static Predicate<Ctx> lengthBelow(long value) {
    return c -> c.length() < value;
  }

  /** The path of the file an mmap maps contains part. */
  static Predicate<Ctx> pathContains(String part) {
    return c -> {
      String p = c.filePath();
      return p != null && p.contains(part);
    };
  }

  /** The path of the file an mmap maps is, whole, one of this shape. */
  static Predicate<Ctx> pathMatches(Pattern shape) {
    return c -> {
      String p = c.filePath();
      return p != null && shape.matcher(p).matches();
    };
  }

  static Predicate<Ctx> advice(String name) {
    return c -> c.advice().contains(name);
  }

  /**
   * The program is still starting: ld.so or libc's startup runs. A space met later in its life
   * (strace -p, or a pid whose start the trace leaves out) counts as starting only once its first
   * brk was brk(0), as ld.so's is ({@link Space#midway}), or when a -k stack shows ld.so's own code
   * making the call.
   */
  static Predicate<Ctx> startup() {
    return c -> !c.sp.tlsInstalled && !c.sp.mallocStarted && !midwayUnknown(c);
  }

  static Predicate<Ctx> afterStartup() {
    return c -> c.sp.tlsInstalled || c.sp.mallocStarted || midwayUnknown(c);
  }

  /** A space met midway whose startup the trace does not show. */
  static boolean midwayUnknown(Ctx c) {
    return c.sp.midway && c.sp.startBrk < 0 && !c.byLdso();
  }

  /** ld.so is mapping an object and the address lies in its reserved span. */
  static Predicate<Ctx> inLoadingSpan() {
    return c -> {
      Space.Loading l = c.sp.loading;
      long a = c.addr();
      return l != null && a >= l.base() && a < l.end();
    };
  }

  /** The range at argument 0 lies in a range tagged with one of these classes. */
  static Predicate<Ctx> taggedAs(RegionClass... classes) {
    Set<RegionClass> want = Set.of(classes);
    return c -> {
      TagMap.Span s = c.sp.tags.at(c.addr());
      return s != null && want.contains(s.tag().cls());
    };
  }

  static Predicate<Ctx> tagged() {
    return c -> c.sp.tags.at(c.addr()) != null;
  }

  static Predicate<Ctx> program(String part) {
    return c -> c.sp.runs().contains(part);
  }
}
