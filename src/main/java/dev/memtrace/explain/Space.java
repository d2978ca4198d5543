package dev.memtrace.explain;

import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.Handle;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.RawText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the explain stage remembers about one address space (one mm, shared by its threads): the
 * tags of its ranges, the brk area, glibc malloc's state as far as the trace reveals it, the
 * objects ld.so is loading, and the last few calls (the neighbours rules look back at). Fork copies
 * it; execve starts a fresh one. Open files are the model's ({@link Explainer#fdPath}).
 */
final class Space {

  /**
   * An object ld.so is mapping: its path (null when the trace does not name it) and its span [base,
   * end), mapped at {@code line} with the first segment's protection ({@code textFirst}: the first
   * PT_LOAD holds code, as in objects linked before binutils 2.31's separate code segment); and
   * when the span was placed at an alignment larger than a page, the line and range [reservedStart,
   * reservedEnd) of the PROT_NONE reservation it was placed in ({@code reservedAt} 0 for none).
   */
  record Loading(
      String path,
      long base,
      long end,
      int line,
      long fd,
      boolean textFirst,
      int reservedAt,
      long reservedStart,
      long reservedEnd) {
    /** The path, or what the sentences call an object the trace does not name. */
    String name() {
      return path != null
          ? RawText.name(path)
          : "a shared object the trace does not name (fd " + fd + ")";
    }

    /** The short name tags use: the file name, or "unnamed object". */
    String shortName() {
      return path != null ? LoaderRules.shortName(RawText.name(path)) : "unnamed object";
    }
  }

  final TagMap tags;

  String exe;

  /**
   * {@link #exe} is {@code /proc/self/exe} (or /proc/PID/exe) of a process whose own execve the
   * trace does not show: the program it names is not known.
   */
  boolean exeHidden;

  /**
   * The interpreter execve mapped in place of {@link #exe}, a {@code #!} script, as the model read
   * it; else null.
   */
  String interpreter;

  /**
   * The trace showed the execve that made this space: its startup is in the trace (the first brk,
   * the thread pointer), not only its {@link #exe}, which run -p's attach tells too.
   */
  boolean execSeen;

  /** The line of the execve that made this space, when {@link #execSeen}; else 0. */
  int execLine;

  long startBrk = -1;

  /**
   * The space was met in the middle of its task's life: the trace shows neither the execve nor the
   * clone that began it (strace -p attached to a running process, or -e trace= without them).
   */
  boolean midway;

  /**
   * The space is a fork's copy of another (no execve since): ld.so relocated its objects in the
   * process it was copied from, so its own startup (RELRO of the executable and ld.so) is over.
   */
  boolean forked;

  long brk = -1;

  /**
   * glibc's aligned_heap_area: where the next arena heap is tried first, the upper half of an arena
   * reservation that came back 64 MiB-aligned; -1 none. Used once, as glibc uses it.
   */
  long arenaHint = -1;

  int arenaHintLine;

  /**
   * An arena heap's size (glibc's h->size) where shrink_heap left it, below the end of its RW part:
   * the start of its last MADV_DONTNEED from the top (or of one that fits either shrink_heap or
   * mtrim: mtrim's ranges of one pass never abut), keyed by the heap's 64 MiB-aligned start.
   * shrink_heap lowers h->size but leaves mprotect_size, so the heap grows back within its RW part
   * without a call; grow_heap's mprotect past it puts the top at the RW end again (no entry).
   */
  final Map<Long, ArenaTop> arenaTops = new HashMap<>();

  /** Where the MADV_DONTNEED at line {@code line} began: an arena heap's top once it shrank. */
  record ArenaTop(long top, int line) {}

  /**
   * The line from which the trace shows glibc malloc's top_pad lowered, or 0: a brk growth smaller
   * than the default top_pad allows, made by malloc (a -k frame shows it, or the Erlang runtime,
   * whose erts_alloc_init calls mallopt(M_TOP_PAD, 0)). Whatever lowered it (mallopt,
   * MALLOC_TOP_PAD_ or its tunable) also turned the dynamic mmap threshold off: do_set_top_pad sets
   * mp_.no_dyn_threshold, so frees no longer raise it.
   */
  int topPadLowered;

  /**
   * The entries of the environment execve passed that tune glibc malloc's sizes, as strace -v
   * printed them ({@link MallocEnv}); null when the trace does not show them: no -v, no execve, or
   * none set.
   */
  List<String> mallocEnv;

  /**
   * The OMP_STACKSIZE or GOMP_STACKSIZE entry of the environment execve passed, as strace -v
   * printed it ({@link MallocEnv#ompStackEntry}); null when the trace does not show one.
   */
  String ompStack;

  /**
   * The line of the execve whose environment strace -v printed ({@link MallocEnv#printed}), whether
   * or not it tunes malloc (so the line of {@link #mallocEnv} too); 0 when the trace does not show
   * the environment.
   */
  int envLine;

  /**
   * The latest munmap told as free() of a whole malloc chunk: the chunk's tag, a tag whose origin
   * is the munmap (to retell it), the mapping's size, the threshold before that free, and the line
   * of the first mmap after it (0 before one). An allocator that wants memory aligned beyond a page
   * maps, finds the start misaligned, unmaps it whole and maps again larger to trim (PHP's
   * zend_mm_chunk_alloc_int): the trim shows that the first mapping was no malloc chunk.
   */
  static final class Freed {
    final Tag chunk;
    final Tag unmap;
    final long size;
    final int line;
    final long thresholdBefore;
    int nextMmap;

    Freed(Tag chunk, Tag unmap, long size, int line, long thresholdBefore) {
      this.chunk = chunk;
      this.unmap = unmap;
      this.size = size;
      this.line = line;
      this.thresholdBefore = thresholdBefore;
    }
  }

  /**
   * Each thread's latest {@link Freed}, by its pid in the trace (0 when the trace names none): an
   * aligned allocation's first try, its unmap and its retry come from one thread, and the threads
   * of a process (the Erlang runtime's schedulers) interleave theirs.
   */
  final Map<Integer, Freed> lastFree = new HashMap<>();

  /**
   * The latest write or writev to fd 2 that succeeded: its task, line, byte count, the data strace
   * printed ({@link dev.memtrace.decode.Transfer#pieces}), and {@link #memoryEvents} then ({@link
   * FatalRules}).
   */
  record StderrWrite(Integer pid, int line, long bytes, List<String> pieces, int memoryEvents) {}

  StderrWrite stderrWrite;

  /**
   * A range a munmap gave back: what the model had told of it (a tag's class and words, and the
   * line that made it; null words when it knew nothing), and the munmap's line. A fault there later
   * is an access to memory already unmapped.
   */
  record Unmapped(long start, long end, RegionClass cls, String what, int made, int line) {

    /** Where address a lay, for a sentence: "116 bytes into where the ... lay until ...". */
    String told(long a) {
      return (a - start)
          + " bytes into where "
          + (what == null
              ? "a mapping lay"
              : MallocRules.the(what) + " made at line " + made + " lay")
          + " until the munmap at line "
          + line
          + " gave it back";
    }
  }

  /** The latest {@link #UNMAPPED_KEPT} munmaps, newest first. */
  final ArrayDeque<Unmapped> unmapped = new ArrayDeque<>();

  static final int UNMAPPED_KEPT = 16;

  /**
   * A munmap gave [start, end) back: each part the model had a tag for is kept with it, the rest as
   * a range it knew nothing of; the oldest fall out beyond {@link #UNMAPPED_KEPT} ranges.
   */
  void unmapped(long start, long end, List<TagMap.Span> tagged, int line) {
    long at = start;
    for (TagMap.Span s : tagged) {
      long from = Math.max(s.start(), start);
      if (from > at) {
        keep(new Unmapped(at, from, null, null, 0, line));
      }
      long to = Math.min(s.end(), end);
      keep(new Unmapped(from, to, s.tag().cls(), s.tag().what(), s.tag().line(), line));
      at = to;
    }
    if (at < end) {
      keep(new Unmapped(at, end, null, null, 0, line));
    }
  }

  private void keep(Unmapped u) {
    if (unmapped.size() == UNMAPPED_KEPT) {
      unmapped.removeLast();
    }
    unmapped.addFirst(u);
  }

  /** The latest munmap that gave back the page of a, or null. */
  Unmapped unmappedAt(long a) {
    for (Unmapped u : unmapped) {
      if (a >= u.start() && a < u.end()) {
        return u;
      }
    }
    return null;
  }

  /** glibc's mmap threshold as the frees in the trace moved it, or as the environment set it. */
  long mmapThreshold = Glibc.MMAP_THRESHOLD;

  /**
   * The free() that set {@link #mmapThreshold} to the whole size of the mapping it unmapped, not
   * knowing whether that chunk was an aligned allocation's: had it been, its lead bytes made the
   * threshold that much lower (free() takes chunksize, the mapping less the lead). Its line and the
   * mapping's size; 0 when the threshold came otherwise.
   */
  int thresholdFreedLine;

  long thresholdFreedLen;

  /** {@link #mmapThreshold} is the one the environment strace -v shows sets (MallocEnv). */
  boolean envThreshold;

  /** glibc malloc's top_pad: its default, or what the environment strace -v shows sets. */
  long topPad = Glibc.TOP_PAD;

  /** {@link #topPad} is the one the environment strace -v shows sets (MallocEnv). */
  boolean envTopPad;

  /** The environment strace -v shows sets MALLOC_MMAP_MAX_ to 0: malloc maps no chunk itself. */
  boolean noMmapChunks;

  /** Seen getrandom(8, GRND_NONBLOCK) or a brk growth: malloc is initialised. */
  boolean mallocStarted;

  /**
   * ld.so's startup asked for /etc/ld.so.preload (dl_main), and no ld.so.cache mapping has come
   * since: the next one is startup's, not a dlopen's.
   */
  boolean preloadAsked;

  /** Set once the main thread's TLS was installed (ARCH_SET_FS): ld.so is done with startup. */
  boolean tlsInstalled;

  /**
   * The lines of successful madvise(MADV_WIPEONFORK) calls in this space, for the fork sentence: a
   * child gets those ranges zero-filled (dup_mmap), not copy-on-write. Cleared by MADV_KEEPONFORK,
   * which may have undone them.
   */
  final List<Integer> wipeOnFork = new ArrayList<>();

  /**
   * Successful madvise(MADV_DONTFORK) calls in this space, {start, end, line}, to cite when a fork
   * leaves their ranges out of the child; which ranges a fork leaves out is the model's to say
   * (VM_DONTCOPY, {@code AddressSpaceView#notCopiedOnFork}).
   */
  final List<long[]> dontForkCalls = new ArrayList<>();

  /**
   * The line of the mlockall(MCL_FUTURE) in force in this space (mm->def_flags holds VM_LOCKED:
   * every new mapping is locked), 0 when none is; a fork child starts without it (mm_init keeps
   * only VM_INIT_DEF_MASK of def_flags), and munlockall or an mlockall without MCL_FUTURE ends it.
   */
  int lockFutureLine;

  /** That mlockall also asked MCL_ONFAULT: later mappings are locked page by page as touched. */
  boolean lockFutureOnFault;

  /**
   * An mlock2(MLOCK_ONFAULT) succeeded here: some area may be VM_LOCKONFAULT, which the model does
   * not tell apart, and mprotect does not fault such an area in.
   */
  boolean lockOnFaultSeen;

  /** The protection keys pkey_alloc gave this space and pkey_free has not taken back. */
  final Set<Long> pkeys = new HashSet<>();

  /** The line of the last pkey_alloc that failed with EINVAL or ENOSPC, 0 when none did. */
  int pkeyRefusedLine;

  /**
   * In a fork's child: what the parent had marked MADV_DONTFORK, which dup_mmap did not copy, so
   * the child has no mapping there; what it was ({@code what}, "the X made at line N") and the
   * madvise line that marked it (0 when the trace did not show it).
   */
  record NotCopied(long start, long end, String what, int adviceLine) {}

  final List<NotCopied> notCopied = new ArrayList<>();

  /**
   * The main thread's TLS block was found at the start of [heap]: a static glibc binary, whose
   * startup (__libc_setup_tls) took it from the break, with no ld.so in the process.
   */
  boolean staticTls;

  /**
   * The last mprotect RW that made all of a PROT_NONE reservation but its low end usable (musl's
   * pthread_create makes a thread's stack so): the reservation's tag, the mprotect's pid and line,
   * and where the usable part starts; null when none waits for a clone to run on it.
   */
  GuardedCommit guardedCommit;

  record GuardedCommit(Tag reservation, long start, long end, long usable, Integer pid, int line) {}

  /** The default pthread stack size, once prlimit64(RLIMIT_STACK) was seen; -1 unknown. */
  long threadStack = -1;

  /** RLIMIT_STACK soft limit as the trace showed it; -2 unknown, -1 unlimited. */
  long rlimitStack = -2;

  /**
   * RLIMIT_AS soft limit as the last prlimit64 or getrlimit of it showed it, and that line; -2
   * unknown, -1 unlimited.
   */
  long rlimitAs = -2;

  int rlimitAsLine;

  /** The path of ld.so.cache's mapping, to recognise its munmap. */
  long cacheAddress = -1;

  /**
   * ld.so mapped /etc/ld.so.cache at startup (before the thread pointer and malloc) and has not
   * unmapped it yet: dl_main unmaps it (_dl_unload_cache) only once it has relocated the objects,
   * which it does with its minimal malloc still in place after TLS_INIT_TP.
   */
  boolean startupCache;

  Loading loading;

  /** Start of the latest malloc mmap chunk nothing has identified yet; -1 none. */
  long candidate = -1;

  /** The break when that chunk was mapped: a later growth of [heap] may hold the buffer instead. */
  long candidateBrk = -1;

  /**
   * The read that named a malloc mapping the buffer of its length, asking for a multiple of a block
   * stdio uses, until the next read: that one may show it was stdio's fread (Buffers).
   */
  Buffers.WholeBlocks wholeBlocks;

  /** The identified I/O buffer: the mapping's start and the block size; -1 none. */
  long ioBuffer = -1;

  long ioBlock;

  /** The fds the I/O buffer was seen used with (calls of exactly its block size). */
  final Set<Long> ioFds = new HashSet<>();

  /**
   * The lines of the mmaps a -k stack showed glibc malloc making (malloc-mmap seen in the stack): a
   * later call on such a mapping is on a malloc chunk, not on a mapping whose size only fitted one.
   */
  final Set<Integer> chunksSeenInStack = new HashSet<>();

  /** What the last read tied to the I/O buffer returned: the write that follows passes it on. */
  long ioLastRead = -1;

  /**
   * The last plain read (not pread) in this space: its fd, the length it asked for and got (-1 when
   * it got less), and its line; a stdio block read before a longer one on the same fd. A seek of
   * that fd forgets it.
   */
  long lastReadFd = -1;

  long lastReadBlock = -1;

  /** The fd an lseek moved since the last plain read: fseek's refill reads part of a block. */
  long seekFd = -1;

  int lastReadLine;

  int memoryEvents;

  /**
   * Whether a call of this space changed a protection (mprotect, pkey_mprotect): until one does
   * after an execve the trace shows, no RELRO has been made read-only.
   */
  boolean protectSeen;

  /**
   * The private anonymous PROT_NONE mmaps of this space that no memory call has reached since (the
   * latest {@link #UNTOUCHED_KEPT}, newest last): an madvise inside one finds no page there, since
   * no access can fault one in and no call made any of it accessible. A call on any part of one (an
   * mprotect, munmap or madvise of it, an mmap or mremap over it) ends it; another thread's calls
   * elsewhere do not: GHC's threaded RTS advises its heap reservation while a worker's malloc
   * reserves an arena.
   */
  final ArrayDeque<Untouched> untouchedNone = new ArrayDeque<>();

  static final int UNTOUCHED_KEPT = 16;

  /** A PROT_NONE mapping made at {@code line} over [start, end) that no call has reached since. */
  record Untouched(int line, long start, long end) {}

  /** The untouched PROT_NONE mapping that holds all of [start, end), or null. */
  Untouched untouchedNone(long start, long end) {
    for (Untouched u : untouchedNone) {
      if (Long.compareUnsigned(start, u.start()) >= 0 && Long.compareUnsigned(end, u.end()) <= 0) {
        return u;
      }
    }
    return null;
  }

  /** A memory call reached [start, end): the untouched mappings it overlaps are no longer so. */
  void reached(long start, long end) {
    untouchedNone.removeIf(
        u -> Long.compareUnsigned(start, u.end()) < 0 && Long.compareUnsigned(u.start(), end) < 0);
  }

  /** {@link #memoryEvents} once the latest locale file was mapped, and that call's line. */
  int localeFileEvent;

  int localeFileLine;

  /**
   * The last setsockopt(SOL_PACKET, PACKET_RX_RING or PACKET_TX_RING) that succeeded on a socket,
   * by the model's key for that socket (the key stays with it across dup and fork).
   */
  final Map<Long, PacketRing> packetRings = new HashMap<>();

  /** The line of the io_setup that made each AIO context, by its id (its ring's address). */
  final Map<Long, Integer> aioRings = new HashMap<>();

  /** The bpf(BPF_MAP_CREATE) that made a map: its line and map_type, by the model's key. */
  final Map<Long, BpfMap> bpfMaps = new HashMap<>();

  /** A BPF map as its BPF_MAP_CREATE showed it. */
  record BpfMap(int line, String type) {}

  /** The family socket() gave a socket (AF_PACKET, AF_INET, ...), by the model's key for it. */
  final Map<Long, String> socketFamilies = new HashMap<>();

  /** A packet socket's ring setsockopt: its line and option (PACKET_RX_RING, PACKET_TX_RING). */
  record PacketRing(int line, String option) {}

  /**
   * The process runs the 32-bit x86 ABI: the trace named a call by its i386 name (mmap2,
   * set_thread_area), which strace does only for a 32-bit process. glibc's malloc arithmetic this
   * stage knows is x86-64's (SIZE_SZ 8, MINSIZE 32, HEAP_MAX_SIZE 64 MiB, a 640-byte tcache struct
   * in a 656-byte chunk); i386's differs (SIZE_SZ 4, MINSIZE 16, HEAP_MAX_SIZE 1 MiB), so those
   * rules do not apply.
   */
  boolean bits32;

  /**
   * The line of a personality call with ADDR_COMPAT_LAYOUT (setarch -L) in this process, kept
   * across execve and fork as the kernel keeps the persona; 0 when the trace showed none. The
   * kernel then lays out a new address space bottom-up from TASK_UNMAPPED_BASE (mmap_is_legacy,
   * arch/x86/mm/mmap.c).
   */
  int legacyLayoutLine;

  /**
   * The line of a personality call with ADDR_NO_RANDOMIZE (setarch -R) in this process, kept as
   * {@link #legacyLayoutLine} is; 0 when the trace showed none. An execve after it leaves
   * PF_RANDOMIZE off (load_elf_binary), so the mmap base gets no random offset (mmap_rnd).
   */
  int noRandomizeLine;

  /** The line of a reservation that is or fits Go's heap (GoRules), or 0 before one is seen. */
  int goHeapLine;

  /** The line of the first mapping told as GCC's garbage collector's (GccRules), or 0. */
  int ggcLine;

  /**
   * The line of the first sigaltstack that installed a guarded alternate signal stack (a MAP_STACK
   * mapping whose lowest page was made PROT_NONE), as Rust's std does for the main thread at
   * start-up (stack_overflow::init), or 0.
   */
  int guardedSignalStackLine;

  /**
   * The last mprotect(PROT_NONE) that failed with ENOMEM (nothing mapped there): its address,
   * length and line, or a line of 0. A program that wants a guard there maps it instead.
   */
  long failedGuardAddr;

  long failedGuardLen;
  int failedGuardLine;

  /**
   * The last anonymous mmap with MAP_HUGETLB that failed: its line (0 when none), length, huge page
   * size, whether it was shared, thread, and {@link #memoryEvents} at the time, so that the next
   * mapping of the same thread reads as the same request in ordinary pages.
   */
  int failedHugeLine;

  long failedHugeLen;
  long failedHugePage;
  boolean failedHugeNamed;
  boolean failedHugeShared;
  int failedHugeTid;
  long failedHugeEvents;

  /** libjvm.so was loaded: the JVM's rules apply. */
  boolean jvm;

  /**
   * libmonosgen-2.0.so was loaded (Mono embedded in a program; the mono executable links SGen in
   * itself): SGen maps memory of malloc's shape itself.
   */
  boolean monoLoaded;

  /**
   * The allocator that takes glibc malloc's place, as the trace shows it: "jemalloc", "tcmalloc" or
   * "mimalloc" when ld.so mapped its library before libc.so.6 at startup (LD_PRELOAD, or a program
   * linked with it), so that its malloc comes first in the global lookup scope (_dl_lookup_symbol_x
   * searches the objects in load order); null when none. glibc malloc's rules do not apply then.
   */
  String allocator;

  /** The line of the mmap that mapped {@link #allocator}'s library. */
  int allocatorLine;

  /**
   * {@link #allocator} is jemalloc linked into the program (no library of its): the trace showed
   * its malloc_conf_init reading /etc/malloc.conf at {@link #allocatorLine}, before glibc malloc
   * started. rustc links jemalloc so and exports malloc from its executable.
   */
  boolean allocatorLinked;

  /** ld.so mapped glibc's libc.so.6 in this space. */
  boolean libcLoaded;

  /**
   * The thread pointer was set (ARCH_SET_FS) before any brk since execve: glibc's startup asks for
   * the break first (ld.so's _dl_sysdep_start, a static binary's __libc_setup_tls), so this process
   * did not start as glibc's does (musl's __init_tp, or a runtime like Go's), and glibc's rules do
   * not apply to it even once it calls brk.
   */
  boolean tpBeforeBrk;

  /** The Java heap's reserved size and the line of its reservation; 0 before it is seen. */
  long javaHeap;

  int javaHeapLine;

  /** Where that reservation starts. */
  long javaHeapBase;

  /** How many heap / 512 side tables (G1 has three) and mark bitmaps (two) were told so far. */
  int g1CardTables;

  int g1MarkBitmaps;

  /** ZGC's first heap view (marked0): its address, size and line; the line 0 before it is seen. */
  long zgcView;

  long zgcViewSize;
  int zgcViewLine;

  /**
   * A second view of ZGC's heap was reserved (marked1, at twice the first's address): this ZGC
   * multi-maps its heap (JDK 17 to 22, or JDK 23 with -XX:-ZGenerational). Generational ZGC
   * reserves one range and maps each page once.
   */
  boolean zgcMultiMapped;

  /**
   * The first brk(0) was met midway (strace -p, or -e trace= without execve) with no -k stack in
   * ld.so: the break it found need not be where [heap] starts.
   */
  boolean breakMetMidway;

  /** The JVM options the trace showed this space's program given (read only when it is a JVM). */
  final JvmOptions jvmOptions;

  /** The model's view of this space as last seen (it outlives the task's exit). */
  AddressSpaceView view;

  long peak;
  int peakLine;
  int peakTallyLine;
  Tally peakTally;
  boolean specialsSeen;
  final Set<String> specialsNoted = new HashSet<>();

  /**
   * The processes that used this space and did not move to another (execve): the summary's pids, as
   * the model's handles (read at the end: a thread met before its clone returned is then known to
   * be part of its process).
   */
  private final List<Handle> processes = new ArrayList<>(1);

  private Handle lastJoined;

  Space() {
    this.tags = new TagMap();
    this.jvmOptions = new JvmOptions();
  }

  private Space(Space from) {
    this.tags = from.tags.copy();
    this.exe = from.exe;
    this.jvmOptions = new JvmOptions(from.jvmOptions);
    this.exeHidden = from.exeHidden;
    this.interpreter = from.interpreter;
    this.execSeen = from.execSeen;
    this.startBrk = from.startBrk;
    this.midway = from.midway;
    this.breakMetMidway = from.breakMetMidway;
    this.brk = from.brk;
    this.mmapThreshold = from.mmapThreshold;
    this.envThreshold = from.envThreshold;
    this.topPad = from.topPad;
    this.envTopPad = from.envTopPad;
    this.noMmapChunks = from.noMmapChunks;
    this.topPadLowered = from.topPadLowered;
    this.mallocEnv = from.mallocEnv;
    this.ompStack = from.ompStack;
    this.envLine = from.envLine;
    this.mallocStarted = from.mallocStarted;
    this.tlsInstalled = from.tlsInstalled;
    this.staticTls = from.staticTls;
    this.threadStack = from.threadStack;
    this.rlimitStack = from.rlimitStack;
    this.rlimitAs = from.rlimitAs;
    this.rlimitAsLine = from.rlimitAsLine;
    this.guardedSignalStackLine = from.guardedSignalStackLine;
    this.allocator = from.allocator;
    this.allocatorLine = from.allocatorLine;
    this.allocatorLinked = from.allocatorLinked;
    this.libcLoaded = from.libcLoaded;
    this.tpBeforeBrk = from.tpBeforeBrk;
    this.bits32 = from.bits32;
    this.legacyLayoutLine = from.legacyLayoutLine;
    this.noRandomizeLine = from.noRandomizeLine;
    this.arenaTops.putAll(from.arenaTops);
    this.packetRings.putAll(from.packetRings);
    this.socketFamilies.putAll(from.socketFamilies);
    this.bpfMaps.putAll(from.bpfMaps);
    this.chunksSeenInStack.addAll(from.chunksSeenInStack);
    this.wipeOnFork.addAll(from.wipeOnFork);
    // the child's [heap], [stack] and executable are the parent's, told where the parent met them
    this.specialsSeen = from.specialsSeen;
    this.specialsNoted.addAll(from.specialsNoted);
    this.forked = true;
  }

  /** A process used this space. */
  void joined(Handle process) {
    if (process != lastJoined) {
      lastJoined = process;
      if (!processes.contains(process)) {
        processes.add(process);
      }
    }
  }

  /** A process moved to another space (execve). */
  void left(Handle process) {
    Handle p = process.resolve();
    processes.removeIf(h -> h.resolve() == p);
    lastJoined = null;
  }

  /**
   * The pids of the processes, sorted; those a log without pids never named are left out, or said
   * as -1 when no other is known.
   */
  List<Integer> processes() {
    SortedSet<Integer> pids = new TreeSet<>();
    for (Handle h : processes) {
      if (h.number() > 0) {
        pids.add(h.number());
      }
    }
    return pids.isEmpty() && !processes.isEmpty() ? List.of(-1) : new ArrayList<>(pids);
  }

  boolean used() {
    return !processes.isEmpty();
  }

  /**
   * The child's space as a fork makes it from this one: the ranges the parent's model marks
   * VM_DONTCOPY ({@code parent}, null when unknown) are not in it, so their tags are dropped and
   * kept aside as {@link #notCopied}, for what the child then meets there.
   */
  Space forkCopy(AddressSpaceView parent) {
    Space child = new Space(this);
    if (parent == null) {
      return child;
    }
    for (Region r : parent.notCopiedOnFork()) {
      List<TagMap.Span> spans = tags.overlapping(r.start(), r.end());
      String what =
          spans.isEmpty()
              ? "the memory at " + Ctx.hex(r.start()) + "-" + Ctx.hex(r.end())
              : MallocRules.the(spans.get(0).tag().what())
                  + " made at line "
                  + spans.get(0).tag().line();
      int advice = 0;
      for (long[] d : dontForkCalls) {
        if (d[0] < r.end() && d[1] > r.start()) {
          advice = (int) d[2];
        }
      }
      child.notCopied.add(new NotCopied(r.start(), r.end(), what, advice));
      child.tags.remove(r.start(), r.end());
    }
    return child;
  }

  /**
   * What the parent marked MADV_DONTFORK that holds {@code address}, in a fork's child; or null.
   */
  NotCopied notCopiedAt(long address) {
    for (NotCopied n : notCopied) {
      if (address >= n.start() && address < n.end()) {
        return n;
      }
    }
    return null;
  }

  /**
   * Whether glibc is not in this space: the trace showed its execve and no brk since. glibc's
   * startup asks for the break before anything else (ld.so's _dl_sysdep_start, or a static binary's
   * __libc_setup_tls), so a program that maps memory before any brk runs without it (a Go binary,
   * its own runtime managing its memory), and glibc malloc's rules do not apply; nor in one that
   * set its thread pointer before its first brk ({@link #tpBeforeBrk}: musl's startup).
   */
  boolean withoutGlibc() {
    return execSeen && (startBrk < 0 || tpBeforeBrk);
  }

  /**
   * {@link #mmapThreshold} is only a lower bound: the space was met {@link #midway} and no brk(0)
   * showed its start, so frees before the trace began may have raised glibc's dynamic threshold
   * (free raises it, never lowers it, up to DEFAULT_MMAP_THRESHOLD_MAX).
   */
  boolean thresholdFloor() {
    return midway && startBrk < 0;
  }

  /**
   * Whether what execve ran is the Erlang runtime's emulator: beam.smp, or a build variant of it
   * (beam.debug.smp, beam.emu.smp, beam.asan.smp...), as erlexec names it.
   */
  boolean beam() {
    String p = exe == null ? null : runs();
    return p != null && (p.equals("beam") || p.startsWith("beam.") && p.endsWith("smp"));
  }

  /**
   * The short name of the program: the last path element of what execve ran (/proc/self/exe
   * resolved to the exec'ing process's own; said so when the trace does not show that one).
   */
  String program() {
    if (exe == null) {
      return "the program";
    }
    if (exeHidden) {
      return exe + " (its program not in the trace)";
    }
    int slash = exe.lastIndexOf('/');
    return exe.substring(slash + 1);
  }

  /**
   * The short name of the program whose code runs: for a {@code #!} script, the interpreter its
   * first line names, which execve mapped in its place (fs/binfmt_script.c; the script is only its
   * input); else {@link #program}.
   */
  String runs() {
    return interpreter == null
        ? program()
        : interpreter.substring(interpreter.lastIndexOf('/') + 1);
  }
}
