package dev.memtrace.explain;

import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One row of the rule table: the syscalls it is keyed on, the conditions on arguments, flags, sizes
 * and remembered neighbours that must all hold, the {@code -k} frames that would confirm it, what
 * it says (with its basis), and what it teaches the explain stage's memory of the space beyond the
 * tag of the range (its effect). The table is read top to bottom; the first row that says something
 * wins.
 *
 * @param frames symbols whose presence in the call's stack turns a pattern into an observation
 * @param effect run once the call's range is tagged, only for the row that spoke
 * @param byAllocator whether the row tells glibc malloc's doing: it does not apply where -k shows a
 *     runtime (the JVM, node) asking the kernel itself, nor in a process without glibc ({@link
 *     Space#withoutGlibc}), nor where another allocator took malloc's place ({@link
 *     Space#allocator}), nor in a 32-bit process, whose glibc has other sizes ({@link
 *     Space#bits32})
 */
record Rule(
    String id,
    Set<String> on,
    List<Predicate<Ctx>> when,
    Set<String> frames,
    Say say,
    Effect effect,
    boolean byAllocator) {

  /**
   * What a row teaches the space once the call's range is tagged: {@code before} is the tagged span
   * that held the call's address before the call (null for none).
   */
  @FunctionalInterface
  interface Effect {
    Effect NONE = (c, before) -> {};

    void apply(Ctx c, TagMap.Span before);
  }

  /** Produces the sentence, or null when a closer look shows the rule does not apply. */
  @FunctionalInterface
  interface Say {
    Said say(Ctx c);
  }

  /**
   * What a rule says: the text, what it rests on, the evidence, and (for calls that make a region)
   * the class and short description the new region is tagged with; {@code within} is the tag of the
   * range the call works inside (a reservation it commits part of), whose origin line and start the
   * new tag keeps, or null for a range of its own.
   */
  record Said(
      String text,
      Basis basis,
      List<String> evidence,
      RegionClass cls,
      String what,
      String object,
      Tag within) {
    Said {
      evidence = List.copyOf(evidence);
    }

    static Said of(String text, Basis basis, String... evidence) {
      return new Said(text, basis, Arrays.asList(evidence), null, null, null, null);
    }

    Said tag(RegionClass c, String w) {
      return new Said(text, basis, evidence, c, w, object, within);
    }

    Said tag(RegionClass c, String w, String obj) {
      return new Said(text, basis, evidence, c, w, obj, within);
    }

    /** The new tag is a part of this one: same origin line and start. */
    Said within(Tag parent) {
      return new Said(text, basis, evidence, cls, what, object, parent);
    }
  }

  static Builder on(String id, String... syscalls) {
    return new Builder(id, Set.of(syscalls));
  }

  /** Builds a row: {@code on("id", "mmap").when(...).frames(...).says(...)}. */
  static final class Builder {
    private final String id;
    private final Set<String> on;
    private List<Predicate<Ctx>> when = List.of();
    private Set<String> frames = Set.of();
    private Effect effect = Effect.NONE;
    private boolean byAllocator;

    Builder(String id, Set<String> on) {
      this.id = id;
      this.on = on;
    }

    @SafeVarargs
    final Builder when(Predicate<Ctx>... conds) {
      this.when = List.of(conds);
      return this;
    }

    Builder frames(String... symbols) {
      this.frames = Set.of(symbols);
      return this;
    }

    /** What the row teaches the space when it speaks (see {@link Effect}). */
    Builder effect(Effect e) {
      this.effect = e;
      return this;
    }

    /** The row tells what glibc's allocator does (see {@link Rule#byAllocator}). */
    Builder byAllocator() {
      this.byAllocator = true;
      return this;
    }

    Rule says(Say say) {
      return new Rule(id, on, when, frames, say, effect, byAllocator);
    }
  }

  boolean matches(Ctx c) {
    if (!on.contains(c.name()) || !c.known()) {
      return false; // a row reads numbers: none applies to a call that printed none
    }
    if (byAllocator && c.runtimeCaller(MallocRules.ALLOCATOR)) {
      return false; // -k shows the runtime itself asking the kernel: no malloc rule applies
    }
    if (byAllocator && c.sp.withoutGlibc()) {
      return false; // no brk since execve: glibc, and so its malloc, is not in this process
    }
    if (byAllocator && c.sp.allocator != null) {
      return false; // jemalloc or tcmalloc, loaded before libc.so.6, is the process's malloc
    }
    if (byAllocator && c.sp.bits32) {
      return false; // a 32-bit process: glibc's i386 malloc has other sizes than the x86-64 rules
    }
    for (Predicate<Ctx> p : when) {
      if (!p.test(c)) {
        return false;
      }
    }
    return true;
  }
}
