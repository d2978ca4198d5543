package dev.memtrace.explain;

/**
 * The arithmetic of glibc 2.36 malloc, ld.so and nptl on x86_64, as functions of the numbers a
 * trace shows. Each returns a {@link Calc} whose steps repeat the computation with the actual
 * numbers, so an explanation never pastes a figure it did not compute. Sources: malloc/malloc.c,
 * malloc/arena.c, elf/dl-minimal-malloc.c, nptl/allocatestack.c.
 */
public final class Glibc {

  public static final long PAGE = 4096;
  public static final long SIZE_SZ = 8;
  public static final long MALLOC_ALIGN_MASK = 15;
  public static final long MINSIZE = 32;

  /** DEFAULT_MMAP_THRESHOLD_MIN: the initial mmap threshold. */
  public static final long MMAP_THRESHOLD = 128 * 1024;

  /** DEFAULT_MMAP_THRESHOLD_MAX on 64-bit: the dynamic threshold never rises above it. */
  public static final long MMAP_THRESHOLD_MAX = 32L * 1024 * 1024;

  /** DEFAULT_TOP_PAD (malloc-machine.h): extra room asked of brk on each growth. */
  public static final long TOP_PAD = 128 * 1024;

  /** HEAP_MAX_SIZE: the size of one non-main arena heap. */
  public static final long HEAP_MAX = 64L * 1024 * 1024;

  /** ARCH_STACK_DEFAULT_SIZE: thread stack size when RLIMIT_STACK is unlimited. */
  public static final long STACK_DEFAULT_UNLIMITED = 2L * 1024 * 1024;

  /** sizeof(struct pthread) in glibc 2.36 x86_64. */
  public static final long STRUCT_PTHREAD = 2368;

  private Glibc() {}

  public static long alignUp(long x, long to) {
    return (x + to - 1) / to * to;
  }

  public static long alignDown(long x, long to) {
    return x / to * to;
  }

  /** request2size(n): the chunk size malloc uses for an n-byte request. */
  public static Calc request2size(long n) {
    long nb = Math.max(MINSIZE, (n + SIZE_SZ + MALLOC_ALIGN_MASK) & ~MALLOC_ALIGN_MASK);
    String s =
        nb == MINSIZE && n + SIZE_SZ + MALLOC_ALIGN_MASK < 2 * MINSIZE
            ? "request2size(" + n + ") = MINSIZE = 32"
            : "request2size(" + n + ") = (" + n + " + 8 + 15) & ~15 = " + nb;
    return new Calc(nb, s);
  }

  /** sysmalloc_mmap: the mapping size for a chunk of nb bytes = ALIGN_UP(nb + 8, 4096). */
  public static Calc mmapForChunk(long nb) {
    long size = alignUp(nb + SIZE_SZ, PAGE);
    return new Calc(
        size,
        "ALIGN_UP("
            + nb
            + " + 8, 4096) = ALIGN_UP("
            + (nb + SIZE_SZ)
            + ", 4096) = "
            + size
            + " ("
            + size / PAGE
            + " pages)");
  }

  /** malloc(n) served by sysmalloc_mmap: the length passed to mmap. */
  public static Calc mallocMmap(long n) {
    Calc nb = request2size(n);
    return nb.then(mmapForChunk(nb.value()));
  }

  /**
   * aligned_alloc(alignment, n) (also memalign, posix_memalign) with alignment above 16:
   * _int_memalign asks _int_malloc for nb + alignment + MINSIZE, and that request is mmapped.
   */
  public static Calc alignedAllocMmap(long alignment, long n) {
    Calc nb = request2size(n);
    long ask = nb.value() + alignment + MINSIZE;
    Calc ask2 = request2size(ask);
    Calc map = mmapForChunk(ask2.value());
    return new Calc(
        map.value(),
        nb.steps()
            + "; _int_memalign asks "
            + nb.value()
            + " + "
            + alignment
            + " + 32 = "
            + ask
            + "; "
            + ask2.steps()
            + "; "
            + map.steps());
  }

  /**
   * First brk growth of the main arena for a first chunk of nb bytes: nb + top_pad + MINSIZE, at
   * the top_pad the process runs with ({@link #TOP_PAD} unless the environment sets another).
   */
  public static Calc brkGrowth(long nb, long oldTop, long topPad) {
    long raw = nb + topPad + MINSIZE - oldTop;
    long inc = alignUp(raw, PAGE);
    String top = oldTop == 0 ? "" : " - " + oldTop;
    return new Calc(
        inc,
        "ALIGN_UP("
            + nb
            + " + top_pad "
            + topPad
            + " + MINSIZE 32"
            + top
            + ", 4096) = ALIGN_UP("
            + raw
            + ", 4096) = "
            + inc
            + " = 0x"
            + Long.toHexString(inc));
  }

  /**
   * The smallest malloc(n) whose chunk gets a mapping of its own of {@code len} bytes:
   * sysmalloc_mmap maps ALIGN_UP(nb + 8, 4096), so nb > len - 4096, and request2size(n) = (n + 23)
   * & ~15.
   */
  public static long smallestMmappedRequest(long len) {
    return len - PAGE - SIZE_SZ - MALLOC_ALIGN_MASK;
  }

  /** The largest malloc(n) whose chunk's own mapping is {@code len} bytes: nb = len - 16. */
  public static long largestMmappedRequest(long len) {
    return len - 16 - SIZE_SZ;
  }

  /**
   * The largest chunk (nb) whose first brk growth is still {@code inc}: nb + top_pad + MINSIZE fits
   * (nb + 131104 at the default top_pad).
   */
  public static long largestChunkForGrowth(long inc, long topPad) {
    return inc - topPad - MINSIZE;
  }

  /** ld.so's __minimal_malloc: ALIGN_UP(n, 4096) plus one extra page. */
  public static Calc minimalMallocMmap(long n) {
    long size = alignUp(n, PAGE) + PAGE;
    return new Calc(size, "ALIGN_UP(" + n + ", 4096) + 4096 = " + size);
  }

  /** Default pthread stack size from the soft RLIMIT_STACK (bytes; negative = unlimited). */
  public static Calc threadStackSize(long rlimitStack) {
    if (rlimitStack < 0) {
      return new Calc(
          STACK_DEFAULT_UNLIMITED, "RLIMIT_STACK unlimited → ARCH_STACK_DEFAULT_SIZE 2097152");
    }
    long s = alignUp(rlimitStack, PAGE);
    return new Calc(s, "RLIMIT_STACK " + rlimitStack + " rounded to a page = " + s);
  }

  /** A thread stack block: stack size + guard (one page by default). */
  public static Calc threadStackMapping(long stackSize, long guard) {
    long total = stackSize + guard;
    return new Calc(total, stackSize + " stack + " + guard + " guard = " + total);
  }

  /**
   * The dynamic mmap threshold after freeing an mmapped chunk of chunkSize bytes (the mapping minus
   * the lead offset of an aligned chunk): raised to it when above the current threshold and not
   * above 32 MiB.
   */
  public static Calc thresholdAfterFree(long current, long chunkSize) {
    if (chunkSize > current && chunkSize <= MMAP_THRESHOLD_MAX) {
      return new Calc(
          chunkSize,
          "free of a "
              + chunkSize
              + "-byte mmapped chunk > threshold "
              + current
              + " → mmap_threshold = "
              + chunkSize
              + ", trim_threshold = "
              + 2 * chunkSize);
    }
    return new Calc(current, "threshold stays " + current);
  }
}
