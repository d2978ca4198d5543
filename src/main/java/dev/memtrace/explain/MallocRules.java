package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.decode.Mremap;
import dev.memtrace.explain.Rule.Said;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.StackFrame;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * glibc 2.36 malloc as the trace shows it: the main arena growing and trimming [heap] with brk,
 * chunks at or above the mmap threshold getting their own mapping, free giving them back and
 * raising the threshold, realloc moving them with mremap, and per-thread arenas reserving 128 MiB
 * (malloc/malloc.c, malloc/arena.c).
 */
final class MallocRules {
  private MallocRules() {}

  /** The frames of glibc's allocator, as -k prints them (the dynamic symbols libc exports). */
  static final String[] ALLOC_FRAMES = {
    "malloc",
    "calloc",
    "realloc",
    "free",
    "aligned_alloc",
    "memalign",
    "posix_memalign",
    "valloc",
    "pvalloc",
    "__libc_malloc",
    "__libc_calloc",
    "__libc_realloc",
    "__libc_free",
    "_int_malloc",
    "sysmalloc",
    "sysmalloc_mmap",
    "_int_memalign",
    "_mid_memalign",
    "__default_morecore",
    "sbrk",
    "__sbrk",
    "munmap_chunk",
    "mremap_chunk",
    "tcache_init",
    "ptmalloc_init"
  };

  /** The frames that show realloc made an mremap. */
  private static final Set<String> REALLOC_FRAMES =
      Set.of("realloc", "__libc_realloc", "mremap_chunk");

  /** The same frames as a set, to ask a -k stack whether the allocator is on it. */
  static final Set<String> ALLOCATOR = Set.of(ALLOC_FRAMES);

  /**
   * The frames that show malloc growing its heap, not the program calling sbrk itself (whose stack
   * holds brk and sbrk too) nor free.
   */
  private static final Set<String> GROWS = grows();

  private static Set<String> grows() {
    Set<String> frames = new HashSet<>(ALLOCATOR);
    frames.removeAll(
        Set.of(
            "free",
            "__libc_free",
            "sysmalloc_mmap",
            "sbrk",
            "__sbrk",
            "munmap_chunk",
            "mremap_chunk"));
    return Set.copyOf(frames);
  }

  /**
   * The smallest brk growth malloc makes: sysmalloc runs when the top chunk holds less than the
   * request plus MINSIZE (_int_malloc's use_top), chunk sizes are multiples of 16, so it asks for
   * nb + top_pad + MINSIZE - old top, at least top_pad + 16, in whole pages.
   */
  static final long MIN_MALLOC_GROWTH = Glibc.alignUp(Glibc.TOP_PAD + 16, Glibc.PAGE);

  /** {@link #MIN_MALLOC_GROWTH} at the process's top_pad (the environment's, where it sets one). */
  static long minGrowth(Space sp) {
    return Glibc.alignUp(sp.topPad + 16, Glibc.PAGE);
  }

  /**
   * A small brk growth: the program, not malloc, moved the break (retold when the TLS is found in
   * it).
   */
  static final Rule BRK_DIRECT =
      Rule.on("brk-direct", "brk")
          .when(
              ok(),
              // i386's sysmalloc follows its first growth of the break with a second sbrk that
              // aligns the first chunk (chunk2mem is 8 bytes off MALLOC_ALIGNMENT 16) and ends
              // the heap on a page: a small growth there is malloc's own
              c -> !c.sp.bits32,
              c -> c.sp.brk > 0 && c.addr() > c.sp.brk && c.addr() - c.sp.brk < minGrowth(c.sp))
          .effect(
              (c, before) -> {
                if (c.sp.topPadLowered == 0 && lowersTopPad(c) != null) {
                  c.sp.topPadLowered = c.line();
                }
              })
          .says(MallocRules::brkDirect);

  /**
   * The break moving down: malloc's systrim after a free (free, _int_free: the top chunk passed the
   * trim threshold), malloc_trim (keeping only its pad), or the program's own sbrk; a -k frame of
   * free or malloc_trim tells which of the first two, and rules out the third.
   */
  private static Said brkTrim(Ctx c) {
    String pad =
        "(keeping top_pad "
            + (c.sp.topPadLowered > 0
                ? "spare, lowered in this process: line " + c.sp.topPadLowered
                : c.sp.topPad + " spare" + (c.sp.envTopPad ? ", as the environment sets" : ""))
            + ")";
    String by = "the break moves down by " + (c.sp.brk - c.addr()) + " bytes: ";
    String evidence = "brk moves down by " + (c.sp.brk - c.addr());
    if (c.frame(Set.of("malloc_trim")) != null) {
      return Said.of(
          by
              + "the program called malloc_trim, and its systrim gives back the top of [heap],"
              + " keeping only the pad malloc_trim was given",
          Basis.PATTERN,
          evidence);
    }
    if (c.frame(Set.of("free", "__libc_free", "_int_free")) != null) {
      return Said.of(
          by
              + "a free left at least the trim threshold free at the top of [heap], and malloc's"
              + " systrim gives it back "
              + pad,
          Basis.PATTERN,
          evidence);
    }
    return Said.of(
        by
            + "malloc's systrim gives back the top of [heap] when a free left at least the trim"
            + " threshold free there "
            + pad
            + " or when the program called malloc_trim (keeping only its pad argument), or the"
            + " program called sbrk with a negative increment",
        Basis.PATTERN,
        evidence);
  }

  /**
   * What shows that malloc itself made a brk growth smaller than its default top_pad allows: a -k
   * frame of the allocator, or the BEAM, which lowers top_pad as it starts; null when nothing does.
   */
  private static String lowersTopPad(Ctx c) {
    if (!c.sp.mallocStarted || c.sp.withoutGlibc() || c.sp.allocator != null || c.sp.bits32) {
      return null;
    }
    StackFrame f = c.frame(GROWS);
    if (f != null) {
      return "stack";
    }
    return c.sp.beam() && !c.sp.staticTls ? "beam" : null;
  }

  /** What lowers top_pad (do_set_top_pad), or the environment that does, for a sentence. */
  private static String topPadSetBy(Space sp) {
    return MallocEnv.setBy(sp, "M_TOP_PAD", "MALLOC_TOP_PAD_", "glibc.malloc.top_pad");
  }

  /**
   * A brk growth under top_pad 131072 + MINSIZE: malloc asked for it only with top_pad lowered
   * (mallopt(M_TOP_PAD), MALLOC_TOP_PAD_ or its tunable, do_set_top_pad); else the program moved
   * the break.
   */
  private static Said brkDirect(Ctx c) {
    long inc = c.addr() - c.sp.brk;
    String least =
        " (at least "
            + minGrowth(c.sp)
            + " = ALIGN_UP("
            + "top_pad "
            + c.sp.topPad
            + " + 16, 4096): sysmalloc runs only when the top chunk holds less than the request"
            + " plus MINSIZE 32, and chunk sizes are multiples of 16)";
    String by = lowersTopPad(c);
    String heap = c.sp.brk == c.sp.startBrk ? "; [heap] appears" : "";
    String below =
        "the break moves up by "
            + inc
            + " bytes, less than glibc malloc grows it with "
            + (c.sp.envTopPad ? "the " + MallocEnv.topPadText(c.sp) : "its default top_pad 131072")
            + least;
    Said said;
    if ("stack".equals(by)) {
      said =
          Said.of(
              "malloc moves the break up by "
                  + inc
                  + " bytes ("
                  + c.frame(GROWS).symbol()
                  + " is on the stack), less than it grows it with its default top_pad 131072"
                  + least
                  + ": top_pad is lowered ("
                  + topPadSetBy(c.sp)
                  + "), so sysmalloc asks for little more than the request, rounded to pages"
                  + heap,
              Basis.STACK,
              inc + " < " + MIN_MALLOC_GROWTH);
    } else if ("beam".equals(by)) {
      said =
          Said.of(
              "the break moves up by "
                  + inc
                  + " bytes: fits glibc malloc with top_pad 0, which the Erlang runtime sets "
                  + "as it starts (erts_alloc_init calls sys_alloc_opt(SYS_ALLOC_OPT_TOP_PAD, "
                  + "ERTS_DEFAULT_TOP_PAD), that is mallopt(M_TOP_PAD, 0), unless erl's +MYtp "
                  + "says otherwise), so sysmalloc asks for the request plus MINSIZE 32, less what "
                  + "the old top still had, rounded to pages; with the default top_pad 131072 it "
                  + "never grows the break by less than "
                  + MIN_MALLOC_GROWTH
                  + heap,
              Basis.PATTERN,
              inc + " < " + MIN_MALLOC_GROWTH,
              "the executable is " + c.sp.runs());
    } else if (c.sp.envTopPad) {
      said =
          Said.of(
              below
                  + ": the program moved it itself with brk/sbrk, or lowered top_pad further with"
                  + " mallopt(M_TOP_PAD), which the trace does not show"
                  + heap,
              Basis.ARITHMETIC,
              inc + " < " + minGrowth(c.sp));
    } else if (MallocEnv.setting(c.sp, "MALLOC_TOP_PAD_", "glibc.malloc.top_pad") != null) {
      said =
          Said.of(
              below
                  + ", but "
                  + topPadSetBy(c.sp)
                  + ": if that lowers top_pad, this fits malloc growing the break as well as the"
                  + " program moving it itself with brk/sbrk"
                  + heap,
              Basis.PATTERN,
              inc + " < " + MIN_MALLOC_GROWTH,
              "environment at line " + c.sp.envLine);
    } else {
      said =
          Said.of(
              below
                  + ": the program moved it itself with brk/sbrk, or lowered malloc's top_pad "
                  + "("
                  + topPadSetBy(c.sp)
                  + ")"
                  + heap,
              Basis.ARITHMETIC,
              inc + " < " + MIN_MALLOC_GROWTH);
    }
    return said.tag(RegionClass.HEAP, "[heap]");
  }

  /**
   * A chunk from malloc's mmap path (retold when the reads that follow show it is an I/O buffer).
   */
  static final Rule MALLOC_MMAP =
      Rule.on("malloc-mmap", "mmap")
          .byAllocator()
          .when(
              ok(),
              privateAnonRwAtNull(),
              c -> c.length() % Glibc.PAGE == 0 && c.length() - 16 >= c.sp.mmapThreshold,
              c -> !c.sp.noMmapChunks,
              c -> c.sp.goHeapLine == 0 || c.frame(ALLOCATOR) != null)
          .frames(ALLOC_FRAMES)
          .effect(
              (c, before) -> {
                c.ex.buffersCandidate(c.sp, c.result());
                if (c.frame(ALLOCATOR) != null) {
                  c.sp.chunksSeenInStack.add(c.line());
                }
              })
          .says(MallocRules::mmapChunk);

  /**
   * free() of a whole mmapped chunk: raises the dynamic threshold (retold, and the threshold put
   * back, when the next mapping shows the chunk was an aligned allocation's first try).
   */
  static final Rule FREE_MMAPPED =
      Rule.on("malloc-free-mmapped", "munmap")
          .byAllocator()
          .when(
              ok(),
              c -> {
                TagMap.Span s = c.sp.tags.at(c.addr());
                return s != null && s.tag().cls() == RegionClass.MALLOC_MMAP && whole(c, s);
              })
          .frames("free", "__libc_free", "munmap_chunk", "_IO_setb", "fclose")
          .effect(
              (c, before) -> {
                if (c.sp.topPadLowered == 0 && MallocEnv.dynamicOff(c.sp) == null && !mayBeOwn(c)) {
                  long lead = c.ex.leadOf(before.tag());
                  long was = c.sp.mmapThreshold;
                  c.sp.mmapThreshold =
                      Glibc.thresholdAfterFree(c.sp.mmapThreshold, c.length() - lead).value();
                  if (c.sp.mmapThreshold != was) {
                    c.sp.thresholdFreedLine = lead == 0 ? c.line() : 0;
                    c.sp.thresholdFreedLen = lead == 0 ? c.length() : 0;
                  }
                }
              })
          .says(MallocRules::freeMmapped);

  static List<Rule> rules() {
    return List.of(
        Rule.on("malloc-brk-query", "brk")
            .byAllocator()
            .when(addrIs(0))
            .frames(ALLOC_FRAMES)
            .says(
                c ->
                    Said.of(
                        c.sp.staticTls
                            ? "glibc's sbrk first asks for the current break (brk(0)): its copy of "
                                + "the break (__curbrk) is still unset, since the static binary's "
                                + "startup took its TLS block with brk calls of its own "
                                + "(_dl_early_allocate, glibc 2.36 and later); there is no ld.so here"
                            : "glibc's sbrk first asks for the current break (brk(0)): libc keeps "
                                + "its own copy of the break, separate from the one ld.so learnt",
                        Basis.PATTERN,
                        "brk(NULL) after startup, before a brk that moves the break")),
        Rule.on("malloc-brk-align", "brk")
            .byAllocator()
            .when(
                ok(),
                c ->
                    c.sp.brk > 0
                        && c.sp.brk % Glibc.PAGE != 0
                        && c.addr() % Glibc.PAGE == 0
                        && c.addr() > c.sp.brk
                        && c.addr() - c.sp.brk < Glibc.PAGE)
            .frames(ALLOC_FRAMES)
            .says(
                c ->
                    Said.of(
                            "the break moves up by "
                                + (c.addr() - c.sp.brk)
                                + " bytes to the next page "
                                + "boundary: the break was not page-aligned (a static binary's startup took "
                                + "its TLS block from the break), so malloc's sysmalloc corrects it to keep "
                                + "the heap's top on a page boundary",
                            Basis.ARITHMETIC,
                            hex(c.sp.brk)
                                + " + "
                                + (c.addr() - c.sp.brk)
                                + " = "
                                + hex(c.addr())
                                + ", a multiple of 4096")
                        .tag(RegionClass.HEAP, "[heap]")),
        BRK_DIRECT,
        Rule.on("malloc-brk-first", "brk")
            .byAllocator()
            .when(
                ok(),
                c -> c.sp.startBrk >= 0 && c.sp.brk == c.sp.startBrk && c.addr() > c.sp.startBrk)
            .frames(ALLOC_FRAMES)
            .says(MallocRules::firstGrowth),
        Rule.on("malloc-brk-grow", "brk")
            .byAllocator()
            .when(ok(), c -> c.sp.brk > 0 && c.addr() > c.sp.brk)
            .frames(ALLOC_FRAMES)
            .says(MallocRules::grow),
        Rule.on("malloc-brk-trim", "brk")
            .byAllocator()
            .when(ok(), c -> c.sp.brk > 0 && c.addr() > 0 && c.addr() < c.sp.brk)
            .frames("free", "__libc_free", "_int_free", "systrim", "malloc_trim")
            .says(MallocRules::brkTrim),
        Rule.on("malloc-arena-reserve", "mmap")
            .byAllocator()
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_NORESERVE"),
                addrNull(),
                lengthIs(2 * Glibc.HEAP_MAX))
            .frames("new_heap", "alloc_new_heap", "_int_new_arena", "arena_get2")
            .effect(
                (c, before) -> {
                  if (c.result() % Glibc.HEAP_MAX == 0) {
                    c.sp.arenaHint = c.result() + Glibc.HEAP_MAX;
                    c.sp.arenaHintLine = c.line();
                  }
                })
            .says(
                c ->
                    Said.of(
                            "a new per-thread malloc arena: glibc reserves 2 × HEAP_MAX = "
                                + 2 * Glibc.HEAP_MAX
                                + " bytes PROT_NONE (address space only, nothing "
                                + "committed) so it can cut out a 64 MiB heap aligned to 64 MiB; "
                                + (c.result() % Glibc.HEAP_MAX == 0
                                    ? "this one came back aligned, so only the upper half is "
                                        + "unmapped, and glibc remembers where that upper half "
                                        + "began, right above this heap (aligned_heap_area = "
                                        + Ctx.hex(c.result() + Glibc.HEAP_MAX)
                                        + "), to try first for the next arena's heap"
                                    : "the munmaps that follow trim the head and tail"),
                            Basis.ARITHMETIC,
                            "134217728 = 2 × 67108864 (HEAP_MAX_SIZE)")
                        .tag(RegionClass.RESERVED, "arena reservation")),
        Rule.on("malloc-arena-reserve-hint", "mmap")
            .byAllocator()
            .when(
                ok(),
                anon(),
                prot(),
                flag("MAP_NORESERVE"),
                lengthIs(Glibc.HEAP_MAX),
                c -> c.addr() == c.sp.arenaHint)
            .frames("new_heap", "alloc_new_heap", "_int_new_arena", "arena_get2")
            .effect((c, before) -> c.sp.arenaHint = -1)
            .says(MallocRules::hintedArena),
        Rule.on("malloc-arena-trim", "munmap")
            .byAllocator()
            .when(ok(), MallocRules::inArenaReservation)
            .frames("new_heap", "alloc_new_heap")
            .effect(MallocRules::trimmed)
            .says(MallocRules::arenaTrim),
        Rule.on("malloc-arena-commit", "mprotect")
            .byAllocator()
            .when(
                ok(),
                prot("PROT_READ", "PROT_WRITE"),
                MallocRules::arenaHeap,
                c -> c.addr() % Glibc.HEAP_MAX == 0)
            .frames("new_heap", "alloc_new_heap", "_int_new_arena")
            .effect(
                (c, before) -> {
                  long end = c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE);
                  if (before.end() > end) {
                    c.sp.tags.put(
                        end,
                        before.end(),
                        before
                            .tag()
                            .withClass(
                                RegionClass.MALLOC_ARENA, "malloc arena heap (not yet usable)"));
                  }
                })
            .says(
                c ->
                    Said.of(
                            "the new arena's first "
                                + c.length()
                                + " bytes become usable (RW): room for "
                                + "the heap header, the arena state and the first request plus top_pad "
                                + (c.sp.topPadLowered > 0
                                    ? "(lowered in this process: line " + c.sp.topPadLowered + ")"
                                    : String.valueOf(c.sp.topPad))
                                + "; the rest of the 64 MiB stays PROT_NONE until it is needed",
                            Basis.PATTERN,
                            "mprotect RW at the 64 MiB-aligned start of an arena heap")
                        .tag(RegionClass.MALLOC_ARENA, "malloc arena heap")),
        Rule.on("malloc-arena-grow", "mprotect")
            .byAllocator()
            .when(ok(), prot("PROT_READ", "PROT_WRITE"), taggedAs(RegionClass.MALLOC_ARENA))
            .frames("grow_heap", "sysmalloc", "_int_malloc")
            .effect((c, before) -> c.sp.arenaTops.remove(c.addr() & -Glibc.HEAP_MAX))
            .says(
                c ->
                    Said.of(
                            "a thread's malloc arena grows (grow_heap): "
                                + c.length()
                                + " more bytes of "
                                + "its 64 MiB heap become usable",
                            Basis.PATTERN,
                            "mprotect RW inside an arena heap")
                        .tag(RegionClass.MALLOC_ARENA, "malloc arena heap")),
        Rule.on("malloc-arena-shrink", "madvise")
            .byAllocator()
            .when(ok(), advice("MADV_DONTNEED"), taggedAs(RegionClass.MALLOC_ARENA))
            .frames("shrink_heap", "heap_trim", "_int_free", "mtrim", "malloc_trim")
            .effect(MallocRules::arenaShrunk)
            .says(MallocRules::arenaShrink),
        FREE_MMAPPED,
        Rule.on("unmap-not-malloc", "munmap")
            .when(
                ok(),
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  return s != null
                      && (s.tag().cls() == RegionClass.MALLOC_MMAP
                          || MappingRules.mallocOrSgen(s.tag()))
                      && !whole(c, s);
                })
            .effect(MallocRules::notAChunk)
            .says(MallocRules::partOfAChunk),
        // a file's mapping (or a memfd's) resized: the program's own doing, whatever its allocator
        Rule.on("mremap-file", "mremap")
            .when(ok(), c -> c.call instanceof Mremap m && m.mayMove(), MallocRules::ofAFile)
            .says(MallocRules::realloc),
        Rule.on("malloc-realloc-mremap", "mremap")
            .byAllocator()
            .when(ok(), c -> c.call instanceof Mremap m && m.mayMove())
            .frames(REALLOC_FRAMES.toArray(String[]::new))
            .says(MallocRules::realloc),
        MALLOC_MMAP);
  }

  /**
   * Whether the munmap cuts the head or the tail off a 128 MiB arena reservation: found by its tag,
   * so the reservations of threads making arenas at the same time are told apart.
   */
  /**
   * Whether the address lies in a heap glibc cut for an arena, or in a reservation it made for one:
   * not merely in some PROT_NONE reservation, which a runtime (V8's cage, HotSpot's heap) makes
   * too.
   */
  static boolean arenaHeap(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    return s != null
        && (s.tag().cls() == RegionClass.MALLOC_ARENA
            || s.tag().cls() == RegionClass.RESERVED
                && s.tag().what().startsWith("arena reservation"));
  }

  /**
   * An arena heap asked for at glibc's aligned_heap_area (alloc_new_heap): the kernel may place it
   * elsewhere, and glibc keeps it only where it is 64 MiB-aligned.
   */
  private static Said hintedArena(Ctx c) {
    String asked =
        "64 MiB PROT_NONE "
            + (c.result() == c.addr() ? "at" : "asked for at")
            + " the address glibc remembered (aligned_heap_area): the "
            + "upper half of the 128 MiB reservation made at line "
            + c.sp.arenaHintLine
            + ", which came back 64 MiB-aligned and was not needed then";
    String evidence = hex(c.addr()) + " = " + hex(c.addr() - Glibc.HEAP_MAX) + " + 64 MiB";
    if (c.result() == c.addr()) {
      return Said.of("another malloc arena heap: " + asked, Basis.ARITHMETIC, evidence)
          .tag(RegionClass.MALLOC_ARENA, "malloc arena heap");
    }
    if (c.result() % Glibc.HEAP_MAX == 0) {
      return Said.of(
              "another malloc arena heap: "
                  + asked
                  + ". That address was taken again since, so the kernel placed it at "
                  + hex(c.result())
                  + "; 64 MiB-aligned as well, so glibc keeps it",
              Basis.ARITHMETIC,
              evidence,
              hex(c.result()) + " % 64 MiB = 0")
          .tag(RegionClass.MALLOC_ARENA, "malloc arena heap");
    }
    return Said.of(
            asked
                + ". That address was taken again since, so the kernel placed it at "
                + hex(c.result())
                + ", not 64 MiB-aligned: glibc unmaps it and reserves 128 MiB instead",
            Basis.ARITHMETIC,
            evidence,
            hex(c.result()) + " % 64 MiB = " + hex(c.result() % Glibc.HEAP_MAX))
        .tag(RegionClass.RESERVED, "unaligned arena heap, given back");
  }

  static boolean inArenaReservation(Ctx c) {
    long a = c.addr();
    TagMap.Span s = c.sp.tags.at(a);
    if (s == null || !s.tag().what().startsWith("arena reservation") || s.tag().base() < 0) {
      return false;
    }
    long r = s.tag().base();
    return a == r || a + c.length() == r + 2 * Glibc.HEAP_MAX;
  }

  /**
   * The most one sysmalloc growth of the main arena asks of brk at the trace's mmap threshold: a
   * chunk below it (a larger one gets its own mapping, sysmalloc_mmap) plus top_pad and MINSIZE,
   * page-rounded; -1 when the threshold is only a floor (a space met midway), a -k stack shows the
   * call, or malloc maps no chunk (the environment sets MALLOC_MMAP_MAX_ to 0).
   */
  static long maxGrowth(Ctx c) {
    // with no mmapped chunks (MALLOC_MMAP_MAX_=0) every request the top cannot hold grows the heap
    if (c.sp.thresholdFloor() || !c.ev.stack().isEmpty() || c.sp.noMmapChunks) {
      return -1;
    }
    return Glibc.alignUp(c.sp.mmapThreshold - 16 + c.sp.topPad + Glibc.MINSIZE, Glibc.PAGE);
  }

  /**
   * A move up larger than any glibc malloc growth at the trace's threshold: tcmalloc's sbrk, say,
   * in a trace that does not name its library (-e trace=memory shows no openat).
   */
  private static Said beyondGrowth(Ctx c, long from, long inc, boolean first) {
    long max = maxGrowth(c);
    if (max < 0 || inc <= max) {
      return null;
    }
    String moves =
        "the break moves up by "
            + inc
            + " = "
            + hex(inc)
            + " bytes"
            + (first ? "; [heap] appears" : "");
    // glibc.malloc.hugetlb=1 rounds the first growth to a huge page, later ones to a break on one
    boolean hugeFits = first ? inc % MallocEnv.THP == 0 : c.addr() % MallocEnv.THP == 0;
    String thp = MallocEnv.thpRounding(c.sp);
    if (thp != null && hugeFits) {
      return Said.of(
              moves
                  + ": more than one glibc malloc growth asks for at its mmap threshold "
                  + c.sp.mmapThreshold
                  + " (at most "
                  + max
                  + " bytes), but "
                  + thp
                  + ", so this fits malloc's "
                  + (first ? "first growth of [heap]" : "main arena growing [heap]"),
              Basis.PATTERN,
              hex(from) + " + " + inc + " = " + hex(c.addr()),
              (first ? inc : hex(c.addr())) + " % " + MallocEnv.THP + " = 0",
              "environment at line " + c.sp.envLine)
          .tag(RegionClass.HEAP, "[heap]");
    }
    return Said.of(
            moves
                + ": more than one glibc malloc growth asks for while its mmap threshold is "
                + c.sp.mmapThreshold
                + (c.sp.envThreshold ? MallocEnv.thresholdSetBy(c.sp) : "")
                + " (sysmalloc grows the heap for a chunk below the threshold, a larger one gets "
                + "its own mapping): at most ALIGN_UP("
                + c.sp.mmapThreshold
                + " − 16 + "
                + MallocEnv.topPadText(c.sp)
                + " + MINSIZE 32, 4096) = "
                + max
                + ". Either malloc was tuned "
                + MallocEnv.tunedBy(c.sp, hugeFits)
                + " or an mmap failed, or not glibc's "
                + "malloc moved the break: another allocator that grows its heap with sbrk "
                + "(tcmalloc does), whose library this trace does not name, or the program with "
                + "brk/sbrk",
            Basis.GUESS,
            hex(from) + " + " + inc + " = " + hex(c.addr()),
            "ALIGN_UP(" + c.sp.mmapThreshold + " - 16 + " + c.sp.topPad + " + 32, 4096) = " + max)
        .tag(RegionClass.HEAP, "[heap]");
  }

  private static Said firstGrowth(Ctx c) {
    long inc = c.addr() - c.sp.startBrk;
    Said beyond = beyondGrowth(c, c.sp.startBrk, inc, true);
    if (beyond != null) {
      return beyond;
    }
    Calc tc = Glibc.brkGrowth(0x290, 0, c.sp.topPad);
    long maxNb = Glibc.largestChunkForGrowth(inc, c.sp.topPad);
    boolean classic = inc == tc.value();
    String why =
        classic
            ? "The first malloc (usually tcache_init's, of its 640-byte"
                + " tcache_perthread_struct: a "
                + 0x290
                + "-byte chunk; any "
                + "first chunk up to "
                + maxNb
                + " bytes gives the same) needs a chunk plus "
                + (c.sp.envTopPad ? MallocEnv.topPadText(c.sp) : "top_pad")
                + ": "
                + tc.steps()
            : "The first request needed more than the usual "
                + hex(tc.value())
                + ": the first chunk was up to "
                + maxNb
                + " bytes (growth − "
                + MallocEnv.topPadText(c.sp)
                + " − MINSIZE 32)";
    if (c.sp.breakMetMidway) {
      // strace -p, or -e trace= without execve: the brk(0) before was the first the trace shows,
      // not necessarily the process's first (see ldso-brk-query), so [heap] may be older
      return Said.of(
              "the break moves up by "
                  + inc
                  + " = "
                  + hex(inc)
                  + " bytes from "
                  + hex(c.sp.startBrk)
                  + ", where the first brk(0) the trace shows found it: this fits [heap] appearing"
                  + " as malloc's main arena first grows. "
                  + why
                  + ". The trace does not show this process start, so [heap] may already have"
                  + " held memory below "
                  + hex(c.sp.startBrk)
                  + ", and this may be a later growth",
              Basis.PATTERN,
              hex(c.addr()) + " - " + hex(c.sp.startBrk) + " = " + hex(inc),
              tc.steps())
          .tag(RegionClass.HEAP, "[heap]");
    }
    return Said.of(
            "[heap] appears: malloc's main arena moves the break up by "
                + inc
                + " = "
                + hex(inc)
                + " bytes from "
                + hex(c.sp.startBrk)
                + ". "
                + why,
            classic ? Basis.ARITHMETIC : Basis.PATTERN,
            hex(c.addr()) + " - " + hex(c.sp.startBrk) + " = " + hex(inc),
            tc.steps())
        .tag(RegionClass.HEAP, "[heap]");
  }

  /**
   * How sysmalloc rounded a growth of the break: to pages, or, where the new break is a multiple of
   * the huge page size, maybe up to it (glibc.malloc.hugetlb=1, {@link MallocEnv#thpRounding}).
   */
  private static String hugeRounded(Ctx c) {
    if (c.addr() % MallocEnv.THP != 0) {
      return "rounded to pages";
    }
    String thp = MallocEnv.thpRounding(c.sp, false);
    if (thp != null) {
      return "rounded up so the break ends on a huge page boundary, as it does here (" + thp + ")";
    }
    if (c.sp.envLine == 0) {
      return "rounded to pages, or, if GLIBC_TUNABLES sets glibc.malloc.hugetlb=1 (which the trace"
          + " does not show), up so the break ends on a huge page boundary, as it does here";
    }
    return "rounded to pages";
  }

  private static Said grow(Ctx c) {
    long inc = c.addr() - c.sp.brk;
    Said beyond = beyondGrowth(c, c.sp.brk, inc, false);
    if (beyond != null) {
      return beyond;
    }
    long maxNb = Glibc.largestChunkForGrowth(inc, c.sp.topPad);
    String raised =
        c.sp.mmapThreshold > Glibc.MMAP_THRESHOLD && !c.sp.envThreshold
            ? ". The mmap threshold is "
                + (c.sp.thresholdFloor() ? "at least " : "")
                + c.sp.mmapThreshold
                + " since a free raised it, so "
                + "requests below that now grow [heap] instead of getting their own mapping"
            : "";
    return Said.of(
            "the main arena's top chunk ran out: malloc moves the break up by "
                + inc
                + " = "
                + hex(inc)
                + (c.sp.topPadLowered > 0
                    ? " bytes; sysmalloc asks for the request plus top_pad minus what the old top "
                        + "still had, rounded to pages, and top_pad is lowered in this process "
                        + "(line "
                        + c.sp.topPadLowered
                        + "), so the request was about that much more than the old top"
                    : " bytes; sysmalloc asks for the request plus "
                        + MallocEnv.topPadText(c.sp)
                        + " "
                        + "minus what the old top still had, "
                        + hugeRounded(c)
                        + " (so this request was at most "
                        + maxNb
                        + " bytes more than the old top)")
                + raised,
            Basis.PATTERN,
            hex(c.addr()) + " - " + hex(c.sp.brk) + " = " + inc,
            inc + " - " + c.sp.topPad + " - 32 = " + maxNb)
        .tag(RegionClass.HEAP, "[heap]");
  }

  /**
   * shrink_heap advises away the top of an arena's heap, up to the end of its RW part;
   * malloc_trim's mtrim the whole pages inside free chunks, which the top chunk always follows.
   */
  private static Said arenaShrink(Ctx c) {
    Region r = MappingRules.modelRegion(c);
    long end = c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE);
    long heap = c.addr() & -Glibc.HEAP_MAX; // heaps are HEAP_MAX-aligned
    Space.ArenaTop last = c.sp.arenaTops.get(heap);
    long top = last == null ? -1 : last.top();
    if (last != null && end == top) {
      return Said.of(
          "a thread's malloc arena shrinks again (shrink_heap): the "
              + c.length()
              + " bytes right below those the MADV_DONTNEED at line "
              + last.line()
              + " dropped, the heap's new top (h->size goes down; its RW part stays as it was), "
              + "stay mapped rw-p but their pages are dropped (Rss falls)",
          Basis.PATTERN,
          "range ends at " + hex(end) + ", where line " + last.line() + "'s began");
    }
    if (last != null && r != null && end > top && end < r.end()) {
      return Said.of(
          "MADV_DONTNEED on "
              + c.length()
              + " bytes inside a thread's malloc arena, ending above the heap's top after line "
              + last.line()
              + " ("
              + hex(top)
              + ") and below the end of its RW part: fits shrink_heap once the heap grew back "
              + "inside its RW part (grow_heap makes no call there), or malloc_trim, whose mtrim "
              + "drops the whole pages inside each arena's free chunks; the trace does not tell "
              + "which. The bytes stay mapped rw-p but their pages are dropped (Rss falls)",
          Basis.PATTERN,
          "range ends at " + hex(end) + ", between " + hex(top) + " and " + hex(r.end()));
    }
    if (r != null && r.end() > end && end != heap + Glibc.HEAP_MAX) {
      return Said.of(
          "MADV_DONTNEED on "
              + c.length()
              + " bytes inside a thread's malloc arena, ending below the top of its heap: fits "
              + "malloc_trim, whose mtrim drops the whole pages inside each arena's free chunks "
              + "(shrink_heap drops the top of the heap instead); the bytes stay mapped rw-p but "
              + "their pages are dropped (Rss falls)",
          Basis.PATTERN,
          "range ends at " + hex(end) + ", below the arena's RW end " + hex(r.end()));
    }
    return Said.of(
        "a thread's malloc arena shrinks (shrink_heap): the "
            + c.length()
            + " bytes "
            + "stay mapped rw-p but their pages are dropped (Rss falls)",
        Basis.PATTERN,
        "madvise DONTNEED inside an arena heap");
  }

  /** A shrink from the top (the RW end, or where the last one left it, or above) lowers h->size. */
  private static void arenaShrunk(Ctx c, TagMap.Span before) {
    Region r = MappingRules.modelRegion(c);
    long end = c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE);
    long heap = c.addr() & -Glibc.HEAP_MAX;
    Space.ArenaTop last = c.sp.arenaTops.get(heap);
    if (last != null && end >= last.top()
        || r == null
        || end >= r.end()
        || end == heap + Glibc.HEAP_MAX) {
      c.sp.arenaTops.put(heap, new Space.ArenaTop(c.addr(), c.line()));
    }
  }

  /** Once trimmed to 64 MiB, what is left of the reservation is the arena's heap. */
  private static void trimmed(Ctx c, TagMap.Span before) {
    long arena = before.tag().base();
    for (TagMap.Span left : c.sp.tags.overlapping(arena, arena + 2 * Glibc.HEAP_MAX)) {
      if (left.tag().what().startsWith("arena reservation") && left.size() == Glibc.HEAP_MAX) {
        c.sp.tags.put(
            left.start(),
            left.end(),
            left.tag().withClass(RegionClass.MALLOC_ARENA, "malloc arena heap"));
      }
    }
  }

  private static Said arenaTrim(Ctx c) {
    Tag t = c.sp.tags.at(c.addr()).tag();
    long r = t.base();
    long a = c.addr();
    long len = c.length();
    boolean head = a == r;
    return Said.of(
        "trims the "
            + (head ? "head" : "tail")
            + " of the 128 MiB arena reservation made at "
            + "line "
            + t.line()
            + " ("
            + len
            + " bytes) so that what is left is a "
            + "64 MiB heap aligned to 64 MiB: heap_for_ptr() finds an arena's header by masking "
            + "a pointer. Head + tail together are 64 MiB",
        Basis.ARITHMETIC,
        head
            ? "head = aligned start - " + hex(r) + " = " + len
            : "tail starts at " + hex(a) + " = aligned start + 64 MiB");
  }

  /** What a threshold known only as a lower bound adds ({@link Space#thresholdFloor()}). */
  private static final String FLOOR =
      " or more: the trace does not show the process start, and earlier frees may have raised"
          + " it";

  /** The sentence's end when the environment the trace shows turned the dynamic threshold off. */
  private static String envDynamicOff(Space sp, String off) {
    return "glibc's dynamic mmap threshold is off in this process: the environment execve passed at"
        + " line "
        + sp.envLine
        + " (strace -v shows it) sets "
        + off
        + ", and once glibc takes such a setting (do_set_mmap_threshold, do_set_top_pad,"
        + " do_set_trim_threshold, do_set_mmaps_max) it sets mp_.no_dyn_threshold, so free() does"
        + " not move the threshold";
  }

  /**
   * A munmap of a whole mapping of a round size with no -k stack through free(): it fits free() of
   * a chunk mmapChunk hedged, or the program unmapping what it mapped itself ({@link #roundSize}),
   * so free()'s raise of the threshold is not taken as fact.
   */
  private static boolean mayBeOwn(Ctx c) {
    return c.length() % MIB == 0 && c.frame(ALLOCATOR) == null || ertsAlike(c);
  }

  /**
   * A mapping of malloc's shape in the Erlang runtime with no -k stack through the allocator:
   * erts_mmap (erts/emulator/sys/common/erl_mmap.c) maps its allocators' carriers outside a super
   * carrier with os_mmap(NULL, size rounded to pages), read-write and private, and erts_munmap
   * unmaps each whole, so either may have made it (-k shows erts_mmap from erts_mseg_alloc_opt).
   */
  private static boolean ertsAlike(Ctx c) {
    return c.sp.beam() && c.frame(ALLOCATOR) == null;
  }

  /** The Erlang runtime's carriers, for {@link #ertsAlike} mappings. */
  private static final String ERTS_CARRIERS =
      "the Erlang runtime (beam.smp) maps memory of this shape itself: erts_mmap"
          + " (erts/emulator/sys/common/erl_mmap.c) maps each carrier of its allocators (and a"
          + " single-block carrier for each large block, such as a growing process heap) with"
          + " os_mmap(NULL, size rounded up to pages), read-write and private, and erts_munmap"
          + " unmaps it whole";

  private static Said freeMmapped(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    long len = c.length();
    long lead = c.ex.leadOf(s.tag());
    long chunk = len - lead;
    Calc t = Glibc.thresholdAfterFree(c.sp.mmapThreshold, chunk);
    String leadText =
        lead == 0
            ? " (less any lead bytes, had it been an aligned chunk)"
            : " (" + len + " − " + lead + " lead bytes before the aligned chunk = " + chunk + ")";
    String off = MallocEnv.dynamicOff(c.sp);
    if (mayBeOwn(c)) {
      boolean rises = c.sp.topPadLowered == 0 && off == null && t.value() != c.sp.mmapThreshold;
      boolean erts = ertsAlike(c);
      return Said.of(
          "fits free() giving "
              + the(s.tag().what())
              + " made at line "
              + s.tag().line()
              + " back to the kernel (munmap_chunk unmaps a chunk's whole mapping), or the"
              + (erts
                  ? " Erlang runtime's erts_munmap unmapping one of its carriers"
                      + " (erts/emulator/sys/common/erl_mmap.c: erts_mmap maps each with"
                      + " os_mmap(NULL, size rounded up to pages), read-write and private, malloc's"
                      + " shape, and erts_munmap unmaps it whole); the trace does not tell them"
                      + " apart (with -k, the stack does). "
                  : " program unmapping a mapping of its own: it is exactly "
                      + len / MIB
                      + " MiB, a round size, and the trace does not tell them apart. ")
              + (rises
                  ? "Had malloc made it, glibc's dynamic mmap threshold would rise to the freed"
                      + " chunk's size "
                      + chunk
                      + leadText
                      + (erts ? "; had the runtime, it stays " : "; had the program, it stays ")
                      + c.sp.mmapThreshold
                      + (c.sp.thresholdFloor() ? FLOOR : "")
                      + ", and the lines below take it so"
                  : off != null
                      ? envDynamicOff(c.sp, off) + " either way"
                      : c.sp.topPadLowered > 0
                          ? "glibc's mmap threshold does not move either way: top_pad is lowered in"
                              + " this process (line "
                              + c.sp.topPadLowered
                              + "), and what lowered it ("
                              + topPadSetBy(c.sp)
                              + ") also turned the dynamic threshold off (do_set_top_pad sets"
                              + " mp_.no_dyn_threshold): the threshold stays "
                              + (c.sp.thresholdFloor()
                                  ? "where it was"
                                  : String.valueOf(c.sp.mmapThreshold))
                          : "glibc's mmap threshold does not move either way"),
          Basis.PATTERN,
          t.steps());
    }
    return Said.of(
        "free() gives "
            + the(s.tag().what())
            + " made at line "
            + s.tag().line()
            + " back to the kernel (munmap_chunk unmaps the whole "
            + len
            + "-byte mapping). "
            + (off != null
                ? envDynamicOff(c.sp, off)
                : c.sp.topPadLowered > 0
                    ? "top_pad is lowered in this process (line "
                        + c.sp.topPadLowered
                        + "), and what lowered it ("
                        + topPadSetBy(c.sp)
                        + ") also turned glibc's dynamic mmap threshold off (do_set_top_pad sets "
                        + "mp_.no_dyn_threshold): the threshold stays "
                        + (c.sp.thresholdFloor()
                            ? "where it was"
                            : String.valueOf(c.sp.mmapThreshold))
                    : c.sp.thresholdFloor()
                        ? "glibc's dynamic mmap threshold is now at least "
                            + t.value()
                            + ": a free raises it to the freed chunk's size "
                            + chunk
                            + leadText
                            + " when that is larger, and the trace does not show the process start, so "
                            + "earlier frees may have raised it further"
                            + MallocEnv.unlessTuned(c.sp)
                        : t.value() != c.sp.mmapThreshold
                            ? "glibc's dynamic mmap threshold rises to the freed chunk's size "
                                + chunk
                                + leadText
                                + " and the trim threshold to "
                                + 2 * chunk
                                + ": requests whose chunk is smaller than "
                                + chunk
                                + " now come from the heap, larger ones get their own"
                                + " mapping when no free chunk and not the heap's top can hold"
                                + " them"
                                + MallocEnv.unlessTuned(c.sp)
                            : "The mmap threshold stays "
                                + c.sp.mmapThreshold
                                + MallocEnv.unlessTuned(c.sp)),
        Basis.PATTERN,
        t.steps());
  }

  /** Whether the munmap takes the whole mapping the span is part of, as munmap_chunk does. */
  private static boolean whole(Ctx c, TagMap.Span s) {
    return s.start() == c.addr() && Glibc.alignUp(c.length(), Glibc.PAGE) >= s.size();
  }

  /**
   * A munmap of part of a mapping whose size fitted malloc's mmap path: free() never does that
   * (munmap_chunk unmaps a chunk's whole mapping), so the mapping was not a malloc chunk.
   */
  private static Said partOfAChunk(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    return Said.of(
        "unmaps "
            + c.length()
            + " bytes of the "
            + s.size()
            + "-byte mapping made at line "
            + s.tag().line()
            + " and keeps the rest: glibc's free() unmaps a malloc chunk's whole mapping "
            + "(munmap_chunk), so that mapping is not a malloc chunk, though its size fitted one: "
            + "the program or a library asked the kernel for it and unmaps parts of it itself",
        Basis.ARITHMETIC,
        "munmap("
            + hex(c.addr())
            + ", "
            + c.length()
            + ") inside the "
            + s.size()
            + " bytes at "
            + hex(s.start()));
  }

  /**
   * An mbind on a mapping taken for a malloc chunk from its size alone: glibc's malloc calls no
   * mbind, so the mapping is the program's or a library's own, retold so where it waits. OpenBLAS
   * maps its buffers so (alloc_mmap in driver/others/memory.c: mmap of BUFFER_SIZE, 128 MiB on
   * x86-64 in 0.3.21, then my_mbind MPOL_PREFERRED). A chunk a -k stack showed malloc mapping stays
   * one: the program set a policy on memory it got from malloc.
   */
  static void mbindChunk(Ctx c, TagMap.Span before) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    if (s == null || s.tag().cls() != RegionClass.MALLOC_MMAP || chunkSeenInStack(c, s)) {
      return;
    }
    boolean openblas = FileRules.loaded(c.sp, "libopenblas");
    MappingRules.retellAsDirect(
        c,
        s.tag(),
        s.size(),
        MALLOC_MMAP,
        ": its size fits glibc malloc's mmap path, but the mbind at line "
            + c.line()
            + " sets a memory policy on it, which glibc's malloc never does (it calls no"
            + " mbind), so the program or a library asked the kernel for it itself"
            + (openblas
                ? "; OpenBLAS, which this process loaded, maps its buffers so (alloc_mmap in"
                    + " driver/others/memory.c: BUFFER_SIZE bytes, 128 MiB on x86-64 by"
                    + " default, then mbind MPOL_PREFERRED)"
                : ""),
        Basis.ARITHMETIC,
        c.name() + "(" + hex(c.addr()) + ", " + c.length() + ") at line " + c.line());
  }

  /**
   * An mprotect on a mapping taken for a malloc chunk from its size alone: glibc's malloc changes
   * protections only in a thread arena's heap (grow_heap, new_heap), never in a chunk it mapped, so
   * the mapping is likely the program's or a library's own, retold so where it waits. procps' ps
   * maps its output buffer so, one page past it made PROT_NONE as a guard (init_output in
   * src/ps/output.c). Hedged: a program may change the protection of memory malloc gave it; a chunk
   * a -k stack showed malloc mapping stays one.
   */
  static void protectedChunk(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    if (!protectsAChunk(c, s)) {
      return;
    }
    boolean guard = c.prot().isEmpty() && c.addr() + c.length() == s.end();
    MappingRules.retellAsDirect(
        c,
        s.tag(),
        s.size(),
        MALLOC_MMAP,
        ": its size fits glibc malloc's mmap path, but the mprotect at line "
            + c.line()
            + " changes the protection of "
            + (guard ? "its last " + c.length() + " bytes to PROT_NONE" : "part of it")
            + ", which glibc's malloc never does to a chunk it mapped (it changes protections"
            + " only in a thread arena's heap), so likely the program or a library asked the"
            + " kernel for it itself"
            + (guard ? ", keeping a guard page at its end so that an overrun faults" : "")
            + " (or it changed the protection of memory malloc gave it)",
        Basis.PATTERN,
        "mprotect(" + hex(c.addr()) + ", " + c.length() + ") at line " + c.line());
    if (guard) {
      c.sp.tags.put(
          c.addr(),
          s.end(),
          s.tag().withClass(RegionClass.GUARD, "guard page at the end of the mapping"));
    }
  }

  /** Whether the mprotect changes a mapping taken for a malloc chunk by its size alone. */
  static boolean protectsAChunk(Ctx c, TagMap.Span s) {
    return s != null && s.tag().cls() == RegionClass.MALLOC_MMAP && !chunkSeenInStack(c, s);
  }

  /**
   * The mapping partOfAChunk cut is anonymous memory of the program's: retold so where it waits.
   */
  private static void notAChunk(Ctx c, TagMap.Span before) {
    Tag t = before.tag();
    long size = before.size();
    boolean sgen = MappingRules.mallocOrSgen(t);
    Space.Freed f = sgen ? null : alignedRetry(c, t, size);
    MappingRules.retellAsDirect(
        c,
        t,
        size,
        sgen ? MappingRules.MALLOC_OR_MONO : MALLOC_MMAP,
        ": its size fits glibc malloc's mmap path, but the munmap at line "
            + c.line()
            + " unmaps only part of it, which free() never does, so the program or a library "
            + "asked the kernel for it itself"
            + (sgen
                ? "; in this Mono process it fits SGen's sgen_alloc_os_memory_aligned, whose"
                    + " mono_valloc_aligned (mono/utils/mono-mmap.c) maps the size it wants plus"
                    + " the alignment and unmaps the unaligned head and tail (SGen's nursery and"
                    + " major-heap blocks are mapped so)"
                : "")
            + (f == null
                ? ""
                : "; "
                    + size
                    + " = the "
                    + f.size
                    + " bytes it unmapped whole at line "
                    + f.line
                    + " + "
                    + (size - f.size)
                    + ", room to cut a "
                    + f.size
                    + "-byte piece out of it on a boundary coarser than a page"),
        Basis.ARITHMETIC,
        "munmap(" + hex(c.addr()) + ", " + c.length() + ") at line " + c.line());
    if (f == null) {
      return;
    }
    c.sp.lastFree.remove(c.tid());
    c.sp.mmapThreshold = f.thresholdBefore; // what that munmap raised it to, free() never set
    String retry =
        " maps "
            + size
            + " = "
            + f.size
            + " + "
            + (size - f.size)
            + " bytes at line "
            + t.line()
            + " and trims that at line "
            + c.line()
            + ", as an allocator that wants its memory aligned beyond a page does when the "
            + "kernel's address is not (PHP's zend_mm_chunk_alloc_int, Zend/zend_alloc.c)";
    List<String> sum = List.of(f.size + " + " + (size - f.size) + " = " + size);
    c.ex.retell(
        f.chunk,
        MALLOC_MMAP,
        new Explanation(
            "aligned-try",
            "a direct anonymous mmap of "
                + f.size
                + " bytes: fits the first try of an aligned allocation, not a malloc chunk: the "
                + "program unmaps it whole at line "
                + f.line
                + ", then"
                + retry,
            Basis.PATTERN,
            sum));
    c.ex.retell(
        f.unmap,
        FREE_MMAPPED,
        new Explanation(
            "aligned-try",
            "gives back the whole "
                + f.size
                + "-byte mapping made at line "
                + f.chunk.line()
                + ": fits an aligned allocation whose first try came back misaligned, not "
                + "free(): the program then"
                + retry
                + "; glibc's mmap threshold does not move",
            Basis.PATTERN,
            sum));
  }

  /**
   * The free the trim of {@code t} shows to be an aligned allocation's first try: the thread's
   * latest free() unmapped a whole mapping, its next mmap made {@code t}, and {@code t} is that
   * size plus a power of two (or a power of two less a page), the slack an aligned piece needs;
   * else null.
   */
  private static Space.Freed alignedRetry(Ctx c, Tag t, long size) {
    Space.Freed f = c.sp.lastFree.get(c.tid());
    if (f == null || f.nextMmap != t.line() || size <= f.size) {
      return null;
    }
    long extra = size - f.size;
    boolean slack =
        Long.bitCount(extra) == 1 || Long.bitCount(extra + Glibc.PAGE) == 1 && extra >= Glibc.PAGE;
    return slack && extra <= f.size ? f : null;
  }

  private static Said realloc(Ctx c) {
    long oldLen = c.length();
    long newLen = c.newLength();
    TagMap.Span s = c.sp.tags.at(c.addr());
    String what =
        s == null
            ? "a mapping the trace did not show being made"
            : the(s.tag().what()) + " made at line " + s.tag().line();
    boolean malloc = s != null && s.tag().cls() == RegionClass.MALLOC_MMAP;
    boolean moved = c.result() != c.addr();
    boolean fixed = c.call instanceof Mremap m && m.fixed();
    String change =
        oldLen == newLen
            ? "moves "
                + what
                + " ("
                + newLen
                + " bytes, the same size) to "
                + hex(c.result())
                + (fixed ? " (MREMAP_FIXED: the address given as the fifth argument)" : "")
            : (newLen > oldLen ? "grows " : "shrinks ")
                + what
                + " from "
                + oldLen
                + " to "
                + newLen
                + " bytes"
                + (moved ? ", moving it to " + hex(c.result()) : " in place");
    long nMin = Glibc.smallestMmappedRequest(newLen);
    long nMax = Glibc.largestMmappedRequest(newLen);
    boolean round =
        malloc
            && oldLen % MIB == 0
            && newLen % MIB == 0
            && oldLen != newLen
            && c.frame(REALLOC_FRAMES) == null;
    return Said.of(
            (round
                    ? "fits realloc of an mmapped malloc chunk (mremap_chunk), or the program"
                        + " resizing a mapping of its own: "
                    : malloc ? "fits realloc of an mmapped malloc chunk (mremap_chunk): " : "")
                + change
                + (moved ? "; the kernel moves the page table entries, no data is copied" : "")
                + (s != null
                        && s.tag().cls() == RegionClass.FILE_SHARED
                        && newLen > oldLen
                        && FileRules.sqliteLoaded(c.sp)
                    ? ". In a process that loaded libsqlite3 it fits SQLite's unixRemapfile"
                        + " (os_unix.c) growing its view of a database file (PRAGMA mmap_size)"
                        + " with mremap(MREMAP_MAYMOVE) as the file grows"
                    : "")
                + (malloc && oldLen != newLen
                    ? ". New size = ALIGN_UP(nb + 8, 4096): it fits "
                        + "realloc(p, n) for n from "
                        + nMin
                        + " to "
                        + nMax
                    : "")
                + (round
                    ? ". Both sizes are whole MiB ("
                        + oldLen / MIB
                        + " MiB to "
                        + newLen / MIB
                        + " MiB): realloc maps such a size only for a request just below it,"
                        + " while code that resizes a mapping of its own asks for round sizes"
                        + " and resizes it by a round step, so this may well be the program's own"
                        + " mapping; the trace does not tell them apart"
                    : malloc && c.frame(REALLOC_FRAMES) == null
                        ? ". A program that mapped the memory itself, a cache or an arena of its"
                            + " own, resizes it with the same mremap, which the trace does not"
                            + " tell apart"
                        : ""),
            malloc ? Basis.PATTERN : Basis.ARITHMETIC,
            "mremap("
                + hex(c.addr())
                + ", "
                + oldLen
                + ", "
                + newLen
                + ", "
                + c.text(3)
                + ") = "
                + hex(c.result()))
        .tag(
            malloc ? RegionClass.MALLOC_MMAP : null,
            !malloc
                ? null
                : newLen % MIB == 0 && c.frame(REALLOC_FRAMES) == null
                    ? newLen + "-byte mapping"
                    : "realloc'd malloc chunk (" + newLen + " bytes)");
  }

  /** Whether the call's address lies in a mapping of a file (shared memory is a file too). */
  private static boolean ofAFile(Ctx c) {
    TagMap.Span s = c.sp.tags.at(c.addr());
    return s != null
        && switch (s.tag().cls()) {
          case FILE_PRIVATE, FILE_SHARED, SHARED_MEMORY -> true;
          default -> false;
        };
  }

  /** "the 200704-byte chunk", but "cat's buffer" without an article. */
  static String the(String what) {
    return what.contains("'s ") || what.startsWith("the ") ? what : "the " + what;
  }

  /**
   * A hedge for a mapping of a whole number of MiB with no stack to show malloc: malloc(n) maps
   * ALIGN_UP(n + 8 + 16, 4096), so a round size needs n just below it, while code that calls mmap
   * itself asks for round sizes (apt's DynamicMMap maps APT::Cache-Start, 24 MiB, so); empty
   * otherwise.
   */
  private static String roundSize(Ctx c, long len) {
    if (len % MIB != 0 || c.frame(ALLOCATOR) != null) {
      return "";
    }
    return ". It is exactly "
        + len / MIB
        + " MiB, a round size: code that calls mmap itself asks for such sizes, while malloc"
        + " maps one only for a request just below it, so this may be the program's own"
        + " mapping; the trace does not tell them apart";
  }

  private static final long MIB = 1L << 20;

  /**
   * The requests a chunk's size fits, as the entry a -k stack shows was called: calloc multiplies
   * its two arguments, and realloc of a heap chunk asks _int_malloc for the same nb; without a
   * stack, malloc or a memalign. A memalign with an alignment above 16 maps a larger chunk than
   * malloc of the same n (_int_memalign asks _int_malloc for nb + alignment + MINSIZE, glibc 2.36
   * malloc.c), so its requests lie alignment + 48 below malloc's; the alignment is an argument the
   * trace does not show, except valloc's and pvalloc's page (FFmpeg's av_malloc passes 64, 32 or 16
   * as it was built, libavutil/mem.c).
   */
  private static String request(Ctx c, long nMin, long nMax) {
    StackFrame f = c.frame(ALLOCATOR);
    String entry = f == null ? "" : Ctx.name(f.symbol()).replaceFirst("^__libc_", "");
    // nb = (n + 23) & ~15 reaches the threshold only from n = ALIGN_UP(threshold, 16) - 23 on: a
    // threshold the environment set within the mapping's last page leaves the smaller n out
    long plainMin =
        Math.max(
            nMin, Glibc.alignUp(c.sp.mmapThreshold, 16) - Glibc.SIZE_SZ - Glibc.MALLOC_ALIGN_MASK);
    return switch (entry) {
      case "calloc" -> "calloc(nmemb, size) for nmemb × size from " + plainMin + " to " + nMax;
      case "realloc" -> "realloc(p, n) for n from " + plainMin + " to " + nMax;
      case "posix_memalign", "memalign", "aligned_alloc", "_mid_memalign", "_int_memalign" ->
          memaligned(entry, nMin, nMax);
      case "valloc", "pvalloc" -> pageAligned(entry, nMin, nMax);
      default ->
          "malloc(n) for n from "
              + plainMin
              + " to "
              + nMax
              + " (or a memalign that needed the slack)";
    };
  }

  /** nb + alignment + MINSIZE 32, asked of _int_malloc, adds alignment + 48 to the mapping. */
  private static final long MEMALIGN_SLACK = 48;

  private static String memaligned(String entry, long nMin, long nMax) {
    String call =
        switch (entry) {
          case "posix_memalign" -> "posix_memalign(&p, alignment, n)";
          case "aligned_alloc" -> "aligned_alloc(alignment, n)";
          default -> "memalign(alignment, n)";
        };
    return call
        + " for n from "
        + (nMin - MEMALIGN_SLACK)
        + " − alignment to "
        + (nMax - MEMALIGN_SLACK)
        + " − alignment when the alignment is above 16 (32: "
        + (nMin - MEMALIGN_SLACK - 32)
        + " to "
        + (nMax - MEMALIGN_SLACK - 32)
        + "; 64: "
        + (nMin - MEMALIGN_SLACK - 64)
        + " to "
        + (nMax - MEMALIGN_SLACK - 64)
        + "): _int_memalign asks _int_malloc for nb + alignment + MINSIZE 32 to align inside the"
        + " chunk; with an alignment of 16 or less _mid_memalign hands the call to malloc, for n"
        + " from "
        + nMin
        + " to "
        + nMax
        + ". The trace does not show the alignment";
  }

  private static String pageAligned(String entry, long nMin, long nMax) {
    long lo = nMin - MEMALIGN_SLACK - Glibc.PAGE;
    long hi = nMax - MEMALIGN_SLACK - Glibc.PAGE;
    return entry.equals("valloc")
        ? "valloc(n) for n from "
            + lo
            + " to "
            + hi
            + " (it aligns to the page: _int_memalign asks _int_malloc for nb + 4096 + MINSIZE 32)"
        : "pvalloc(n) for n that rounds up to whole pages from "
            + lo
            + " to "
            + hi
            + " (it aligns to the page: _int_memalign asks _int_malloc for nb + 4096 + MINSIZE 32)";
  }

  /**
   * A MADV_DONTNEED or MADV_FREE on a mapping tagged as a malloc chunk. glibc's malloc never
   * advises a chunk it mapped: free() unmaps it whole (munmap_chunk), and its own MADV_DONTNEED
   * drops the top of a thread arena's heap (shrink_heap) and whole pages inside free chunks (mtrim,
   * from malloc_trim), never an mmapped chunk's. So the program or a library made the call: on
   * memory it got from malloc, when a -k stack showed malloc mapping it; else the mapping was taken
   * for a chunk from its size alone and may be the program's own (GCC's cc1 maps its
   * garbage-collected pages of such sizes and drops the free ones so, release_pages in
   * ggc-page.cc). Whether the mmap was seen in a stack decides which.
   */
  static boolean chunkSeenInStack(Ctx c, TagMap.Span s) {
    return c.sp.chunksSeenInStack.contains(s.tag().line());
  }

  static String advisedChunk(Ctx c, TagMap.Span s, String advice) {
    String never =
        "; glibc's malloc never calls "
            + advice
            + " on a chunk it mapped (free() unmaps one whole, munmap_chunk; its own"
            + " MADV_DONTNEED drops the top of a thread arena's heap, shrink_heap, and whole pages"
            + " inside free chunks, mtrim from malloc_trim)";
    if (chunkSeenInStack(c, s)) {
      return never
          + ", so the program or a library drops pages of memory it got from malloc at line "
          + s.tag().line()
          + ", which stays allocated";
    }
    return never
        + ": the mapping made at line "
        + s.tag().line()
        + " was taken for one from its size alone, so it may be the program's or a library's"
        + " own, which keeps the range and drops its pages, or the program advises memory it got"
        + " from malloc; the trace does not tell which (with -k, the stack of the mmap does)";
  }

  static Said mmapChunk(Ctx c) {
    long len = c.length();
    long nbMin = len - Glibc.PAGE;
    long nbMax = len - 16;
    long threshold = c.sp.mmapThreshold;
    long nMin = Glibc.smallestMmappedRequest(len);
    long nMax = Glibc.largestMmappedRequest(len);
    String heap =
        c.sp.startBrk >= 0
            ? " It is not part of [heap], which is only the brk area ("
                + hex(c.sp.startBrk)
                + "…); this mapping sits in the mmap area and goes back with munmap on free()"
            : " It is not part of [heap] (the brk area): it goes back with munmap on free()";
    String round = roundSize(c, len);
    String erts =
        ertsAlike(c)
            ? ". But "
                + ERTS_CARRIERS
                + ": which of the two asked for this one the trace does not tell (with -k, the"
                + " stack does)"
            : "";
    return Said.of(
            // a size fits the path; only a -k stack through the allocator shows malloc made it
            (c.frame(ALLOCATOR) != null ? "" : "fits ")
                + "glibc malloc's mmap path: when no free chunk and not the arena's top can hold"
                + " a chunk of nb ≥ the mmap threshold ("
                + threshold
                + (c.sp.thresholdFloor() ? FLOOR : "")
                + MallocEnv.thresholdSetBy(c.sp)
                + "), sysmalloc gives it its own mapping of ALIGN_UP(nb + 8, 4096); "
                + len
                + " bytes fits "
                + request(c, nMin, nMax)
                + "."
                + heap
                + round
                + erts,
            Basis.PATTERN,
            "ALIGN_UP(nb + 8, 4096) = " + len + " ⇔ " + nbMin + " ≤ nb ≤ " + nbMax,
            "request2size(n) = (n + 23) & ~15 ⇒ " + nMin + " ≤ n ≤ " + nMax)
        .tag(
            RegionClass.MALLOC_MMAP,
            len + (round.isEmpty() && erts.isEmpty() ? "-byte malloc chunk" : "-byte mapping"));
  }
}
