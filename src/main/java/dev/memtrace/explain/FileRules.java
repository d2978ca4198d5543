package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.decode.ArgText;
import dev.memtrace.decode.FdAlias;
import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.decode.Mmap;
import dev.memtrace.decode.Msync;
import dev.memtrace.explain.Rule.Said;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.EmptyFile;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.OpenFile;
import dev.memtrace.model.Region;
import dev.memtrace.model.ShmSize;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.RawText;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Files and shared memory: locale and gconv data mapped by setlocale, the files the program maps
 * (private or shared), shared anonymous memory, System V segments, msync (mmap(2),
 * locale/loadlocale.c, iconv/gconv_cache.c).
 */
final class FileRules {
  private FileRules() {}

  static List<Rule> rules() {
    return List.of(
        Rule.on("locale-archive", "mmap")
            // _nl_load_locale_from_archive and _nl_load_locale map MAP_FILE|MAP_COPY (private)
            .when(ok(), file(), noFlag("MAP_SHARED"), pathMatches(LOCALE_ARCHIVE))
            .frames("_nl_load_locale_from_archive", "setlocale", "newlocale")
            .says(
                c ->
                    Said.of(
                            "setlocale or newlocale maps the locale archive ("
                                + c.length()
                                + " bytes at offset "
                                + c.offset()
                                + "): all locales in one file, one mapping instead of one "
                                + "per LC_* category; it stays until exit",
                            Basis.PATTERN,
                            "file " + c.fileName())
                        .tag(RegionClass.FILE_PRIVATE, "locale archive", c.filePath())),
        Rule.on("locale-file", "mmap")
            .when(ok(), file(), noFlag("MAP_SHARED"), FileRules::localeCategoryFile)
            .frames("_nl_load_locale", "setlocale", "newlocale", "_nl_find_locale")
            .effect(
                (c, before) -> {
                  c.sp.localeFileEvent = c.sp.memoryEvents;
                  c.sp.localeFileLine = c.line();
                })
            .says(
                c ->
                    Said.of(
                            "setlocale or newlocale loads the "
                                + category(c.filePath())
                                + " locale data: "
                                + "_nl_load_locale maps the whole file ("
                                + c.length()
                                + " bytes) "
                                + "read-only; it stays mapped until exit",
                            Basis.PATTERN,
                            "file " + c.fileName())
                        .tag(
                            RegionClass.FILE_PRIVATE,
                            "locale " + category(c.filePath()),
                            c.filePath())),
        Rule.on("gconv-cache", "mmap")
            .when(ok(), file(), pathMatches(GCONV_CACHE))
            .frames("__gconv_load_cache")
            .says(
                c ->
                    Said.of(
                            "glibc maps the gconv module cache ("
                                + c.length()
                                + " bytes) shared and read-only the first time the process looks"
                                + " up a character set (__gconv_load_conf, once per process):"
                                + " setlocale or newlocale checking the codeset named in a locale"
                                + " name such as C.UTF-8 (__gconv_compare_alias), iconv_open,"
                                + " or the first multibyte conversion (mbrtowc and kin,"
                                + " __wcsmbs_load_conv)"
                                + afterLocaleFile(c)
                                + "; it stays until exit",
                            Basis.PATTERN,
                            "file " + c.fileName())
                        .tag(RegionClass.FILE_SHARED, "gconv-modules.cache", c.filePath())),
        Rule.on("shared-anon", "mmap")
            .when(ok(), anon(), flag("MAP_SHARED"))
            .effect((c, before) -> c.sp.failedHugeLine = 0)
            .says(
                c ->
                    Said.of(
                            "shared anonymous memory ("
                                + c.length()
                                + " bytes, shown as "
                                // shmem_zero_setup names it dev/zero; with MAP_HUGETLB
                                // hugetlb_file_setup names it anon_hugepage
                                + (c.mapFlags().contains("MAP_HUGETLB")
                                    ? "/anon_hugepage"
                                    : "/dev/zero")
                                + " (deleted) "
                                + MapsFormat.perms(((Mmap) c.call).prot().orElse(0), true)
                                + " in maps): "
                                + (c.mapFlags().contains("MAP_HUGETLB")
                                    ? "a file of the kernel's internal hugetlbfs mount backs it"
                                        + " (hugetlb_file_setup), not shmem"
                                    : "backed by shmem")
                                + ", so a child made by fork "
                                + "shares the same pages and sees the parent's writes (private memory "
                                + "would be copied on write instead)"
                                + (c.mapFlags().contains("MAP_HUGETLB") ? hugePages(c) : "")
                                + MappingRules.sharedHugetlbFallback(c),
                            Basis.PATTERN,
                            "MAP_SHARED|MAP_ANONYMOUS")
                        .tag(RegionClass.SHARED_MEMORY, "shared anonymous memory")),
        Rule.on("secretmem", "mmap")
            .when(ok(), file(), c -> secretmem(c.filePath()))
            .says(FileRules::secretmemMap),
        Rule.on("io-uring-ring", "mmap")
            .when(ok(), file(), c -> OpenFile.IO_URING.equals(c.filePath()))
            .says(FileRules::ioUringRing),
        Rule.on("dev-zero", "mmap")
            .when(ok(), file(), c -> "/dev/zero".equals(c.filePath()))
            .says(FileRules::devZero),
        Rule.on("dual-map", "mmap")
            .when(ok(), file(), flag("MAP_SHARED"), c -> dualView(c) != null)
            .says(FileRules::dualMap),
        Rule.on("file-shared", "mmap")
            .when(ok(), file(), flag("MAP_SHARED"))
            .says(c -> fileMap(c, true)),
        Rule.on("file-private", "mmap").when(ok(), file()).says(c -> fileMap(c, false)),
        Rule.on("sysv-shmat", "shmat")
            .when(ok())
            .says(
                c -> {
                  ShmSize size = c.ex.shmSize(c.shmId());
                  long flags = c.shmFlags();
                  // do_shmat: SHM_RDONLY maps PROT_READ only, SHM_EXEC adds PROT_EXEC
                  String perms =
                      ((flags & LinuxFlags.SHM_RDONLY) != 0 ? "r-" : "rw")
                          + ((flags & LinuxFlags.SHM_EXEC) != 0 ? "x" : "-")
                          + "s";
                  return Said.of(
                          "attaches System V shared memory segment "
                              + c.shmId()
                              + (size == null ? "" : " (" + said(size) + ")")
                              + " at "
                              + hex(c.result())
                              + ": every process that attaches the same id "
                              + "sees the same pages; maps shows it as /SYSV<key> (deleted) "
                              + perms
                              + ((flags & LinuxFlags.SHM_RDONLY) != 0
                                  ? " (SHM_RDONLY: a write through it faults)"
                                  : ""),
                          Basis.PATTERN,
                          "shmat returned " + hex(c.result()))
                      .tag(RegionClass.SHARED_MEMORY, "SysV shared memory " + c.shmId());
                }),
        Rule.on("sysv-shmdt", "shmdt")
            .when(ok())
            .says(
                c -> {
                  TagMap.Span s = c.sp.tags.at(c.addr());
                  return Said.of(
                      "detaches the System V shared memory "
                          + (s == null
                              ? "at " + hex(c.addr())
                              : "attached at line " + s.tag().line())
                          + "; the segment itself lives on until IPC_RMID and the last detach",
                      Basis.PATTERN,
                      "shmdt");
                }),
        Rule.on("msync", "msync").when(ok()).says(FileRules::msync));
  }

  /**
   * What an msync did to the range, by what is mapped there (msync(2), mm/msync.c): MS_SYNC writes
   * back a shared file mapping's range and waits (vfs_fsync_range); MS_ASYNC starts no write since
   * Linux 2.6.19; a private mapping or anonymous memory has nothing to write, and shmem (shared
   * anonymous memory, a memfd, /dev/shm) no disk to write to.
   */
  private static Said msync(Ctx c) {
    String flags = c.text(2) == null ? "" : c.text(2);
    boolean sync = (((Msync) c.call).flags().orElse(0) & LinuxFlags.MS_SYNC) != 0;
    Region r = MappingRules.modelRegion(c);
    TagMap.Span s = c.sp.tags.at(c.addr());
    String range =
        c.length()
            + " bytes "
            + (s != null
                ? "of " + MallocRules.the(s.tag().what()) + " made at line " + s.tag().line()
                : r != null
                    ? "of " + (r.isAnonymous() ? "anonymous memory" : RawText.name(r.path()))
                    : "at " + hex(c.addr()));
    if (r == null) {
      return Said.of(
          "msync ("
              + flags
              + ") on "
              + range
              + ": the model does not know what is mapped there, so whether anything was written"
              + " back the trace does not show (the kernel writes back only shared file mappings)",
          Basis.PATTERN,
          "msync " + flags);
    }
    String path = r.path() == null ? "" : r.path();
    boolean shared = r.perms() != null && r.perms().endsWith("s");
    boolean shmem = shmem(path) && !KernelBufferRules.kernelMemory(path);
    String said;
    if (shared && KernelBufferRules.kernelMemory(path)) {
      said =
          ": nothing to write back: the range holds the kernel's own pages (a perf, packet,"
              + " io_uring or AIO ring, or a BPF map), no file's; "
              + (sync
                  ? "MS_SYNC would call the object's fsync, which it does not have"
                  : "MS_ASYNC returns without touching them, and MS_SYNC fails with EINVAL, as"
                      + " the object has no fsync (vfs_fsync_range)");
    } else if (!shared) {
      said =
          ": nothing to write back: the range is private memory, whose writes never reach a file"
              + " (msync syncs only shared file mappings, mm/msync.c); the call only checks that"
              + " the range is mapped";
    } else if (shmem) {
      said =
          ": nothing to write back: the pages are shmem, memory with no disk behind it (shared"
              + " anonymous memory, a memfd, /dev/shm or System V segment), whose fsync does"
              + " nothing; the other processes sharing it see the writes already";
    } else if (sync) {
      said =
          ": MS_SYNC writes the range's dirty pages back to the file and waits until they are"
              + " written (vfs_fsync_range, mm/msync.c)";
    } else {
      said =
          ": without MS_SYNC it starts no write (since Linux 2.6.19, msync(2)): the kernel already tracks the"
              + " dirty pages of a shared file mapping and writes them back in its own time, or"
              + " at an fsync";
    }
    return Said.of(
        "msync (" + flags + ") on " + range + said,
        s != null ? Basis.ARITHMETIC : RegionOrigin.basis(r),
        "the range holds " + r.perms() + " " + (path.isEmpty() ? "anonymous memory" : path));
  }

  /**
   * Where the gconv cache follows a locale file with no memory call between, the clause that says
   * so: _nl_find_locale compares the codeset of the name it was given with the loaded file's
   * (__gconv_compare_alias, which reads the gconv configuration first) before the next category is
   * loaded; else nothing.
   */
  private static String afterLocaleFile(Ctx c) {
    if (c.sp.localeFileLine == 0 || c.sp.localeFileEvent != c.sp.memoryEvents) {
      return "";
    }
    return ": here it comes right after the locale file mapped at line "
        + c.sp.localeFileLine
        + ", which fits setlocale's or newlocale's check (_nl_find_locale)";
  }

  /**
   * A locale's category file, LC_CTYPE or LC_MESSAGES/SYS_LC_MESSAGES under a locale directory: not
   * locale.alias, which locale(1) reads through stdio, nor a message catalog (.mo) gettext maps.
   */
  private static boolean localeCategoryFile(Ctx c) {
    String p = c.filePath();
    if (p == null || !p.contains("/locale/")) {
      return false;
    }
    String name = LoaderRules.shortName(p);
    // _nl_find_locale looks in glibc's default locale directory (COMPLOCALEDIR, $(libdir)/locale:
    // /usr/lib/locale on Debian), or where LOCPATH says, which the trace shows only in a -k stack:
    // elsewhere a file of such a name is one the program maps itself (git add hashing a tracked
    // share/locale/xx/LC_CTYPE), which its generic sentence tells
    return (name.startsWith("LC_") || name.equals("SYS_LC_MESSAGES"))
        && (DEFAULT_LOCALE_DIR.matcher(p).lookingAt() || c.frame(LOCALE_LOADERS) != null);
  }

  /** $(libdir) as glibc is configured: /lib*, /usr/lib* or /usr/local/lib*, multiarch or not. */
  private static final String LIBDIR = "(/usr(/local)?)?/lib[^/]*/([^/]+/)?";

  /** glibc's COMPLOCALEDIR, $(libdir)/locale, where setlocale looks unless LOCPATH is set. */
  private static final Pattern DEFAULT_LOCALE_DIR = Pattern.compile(LIBDIR + "locale/");

  /**
   * The one locale archive glibc opens, archfname (COMPLOCALEDIR "/locale-archive",
   * locale/loadarchive.c), and the one gconv module cache, GCONV_MODULES_CACHE (GCONV_DIR
   * "/gconv-modules.cache", iconv/gconv_cache.c): a file of that name elsewhere is one the program
   * maps itself (git add hashing a copy of a root file system).
   */
  private static final Pattern LOCALE_ARCHIVE = Pattern.compile(LIBDIR + "locale/locale-archive");

  private static final Pattern GCONV_CACHE =
      Pattern.compile(LIBDIR + "gconv/gconv-modules\\.cache");

  /** The functions a -k stack of setlocale's own mapping of a locale file runs through. */
  private static final Set<String> LOCALE_LOADERS =
      Set.of("_nl_load_locale", "_nl_find_locale", "setlocale", "newlocale");

  private static String category(String path) {
    if (path == null) {
      return "locale";
    }
    int i = path.indexOf("LC_");
    if (i < 0) {
      return "locale";
    }
    int end = path.indexOf('/', i);
    return end < 0 ? path.substring(i) : path.substring(i, end);
  }

  /** A segment's size as a sentence cites it, with the call that told it. */
  private static String said(ShmSize s) {
    return s.size()
        + " bytes, "
        + (s.stat() ? "as the shmctl IPC_STAT at line " : "from the shmget at line ")
        + s.line()
        + (s.stat() ? " gave it" : "");
  }

  /**
   * The huge pages of MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB: ksys_mmap_pgoff (mm/mmap.c) rounds the
   * length up to the huge page size and makes a file on the kernel's internal hugetlbfs mount
   * (hugetlb_file_setup), so shmem_zero_setup never runs; hugetlbfs_file_mmap then sets the huge
   * pages aside from the pool (hugetlb_reserve_pages) unless MAP_NORESERVE asks it not to.
   */
  private static String hugePages(Ctx c) {
    return "; MAP_HUGETLB: the length is rounded up to whole huge pages, "
        + (c.mapFlags().contains("MAP_NORESERVE")
            ? "none of which MAP_NORESERVE let the kernel set aside, so a first touch that finds"
                + " no free huge page in the pool gets SIGBUS"
            : "all of which the kernel set aside from the huge page pool at this call"
                + " (hugetlb_reserve_pages; HugePages_Rsvd rises)")
        + "; each is faulted in whole on first touch and never swapped out";
  }

  /** Whether ld.so mapped SQLite's library (libsqlite3.so) into this space. */
  static boolean sqliteLoaded(Space sp) {
    return loaded(sp, "libsqlite3.so");
  }

  /** An object whose file name starts with name is mapped in the space as an image. */
  static boolean loaded(Space sp, String name) {
    for (TagMap.Span s : sp.tags.all()) {
      String o = s.tag().object();
      if (o != null && s.tag().cls().isImage() && LoaderRules.shortName(o).startsWith(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a shared file mapping fits in a process that loaded SQLite (os_unix.c): the WAL-index file
   * NAME-shm, which unixShmMap maps read-write in 32 KiB regions; the database file, which
   * unixMapfile maps read-only for PRAGMA mmap_size. Empty for another mapping or process.
   */
  private static String sqliteView(Ctx c, String path) {
    if (path == null || !c.prot().contains("PROT_READ") || !sqliteLoaded(c.sp)) {
      return "";
    }
    if (path.endsWith("-shm") && c.prot().contains("PROT_WRITE")) {
      return ". In a process that loaded libsqlite3 it fits SQLite's unixShmMap (os_unix.c)"
          + " mapping a region of a WAL database's wal-index (the -shm file), which every"
          + " connection to that database maps shared";
    }
    if (!c.prot().contains("PROT_WRITE") && c.offset() == 0) {
      return ". In a process that loaded libsqlite3 it fits SQLite's unixMapfile (os_unix.c),"
          + " which maps a database file read-only and shared for PRAGMA mmap_size and grows"
          + " the view (with mremap, where the build has it) as the file grows";
    }
    return "";
  }

  /**
   * Memory with no disk behind it, as maps names it: a memfd, /dev/shm, shared anonymous memory
   * (/dev/zero), a System V segment, hugetlb memory, or an anon_inode (a kernel object's memory,
   * {@link KernelBufferRules#kernelMemory}).
   */
  static boolean shmem(String path) {
    return memoryFile(path)
        || path.startsWith("/dev/zero")
        || path.startsWith("/SYSV")
        || path.startsWith("/anon_hugepage")
        || path.startsWith("anon_inode:");
  }

  /**
   * memfd_secret's file, as -y and the maps name it ({@code /secretmem}, " (deleted)" in maps): the
   * secretmem pseudo-filesystem's inode, whose pages the kernel takes out of its direct map.
   */
  static boolean secretmem(String path) {
    return path != null && (path.equals("/secretmem") || path.startsWith("/secretmem "));
  }

  /** memfd_create's files and POSIX shared memory (shm_open's /dev/shm, a tmpfs). */
  static boolean memoryFile(String path) {
    return path != null && (path.startsWith("/memfd:") || path.startsWith("/dev/shm/"));
  }

  /**
   * The name memfd_create was given, from the maps name the kernel shows for its file ({@code
   * /memfd:NAME (deleted)}: memfd_create makes it with alloc_file_pseudo, in no directory, so
   * d_path adds " (deleted)"), or null for another path.
   */
  static String memfdName(String path) {
    if (path == null || !path.startsWith("/memfd:")) {
      return null;
    }
    return withoutDeleted(path.substring("/memfd:".length()));
  }

  /** A name without the {@link MapsFormat#DELETED} d_path added to it. */
  static String withoutDeleted(String name) {
    return name.endsWith(MapsFormat.DELETED)
        ? name.substring(0, name.length() - MapsFormat.DELETED.length())
        : name;
  }

  /**
   * A path that names a descriptor ({@link FdAlias}: /proc/self/fd/N, /dev/fd/N) and is still in
   * the model's fd table as such, because the model did not know what that descriptor was when it
   * was opened: said so, since the file it opened has another name; null for another path.
   */
  static String aliasName(String path) {
    FdAlias a = FdAlias.of(path);
    return a == null
        ? null
        : "the file behind fd "
            + a.fd()
            + (a.pid() == 0 ? "" : " of process " + a.pid())
            + " (opened as "
            + RawText.name(path)
            + ", a descriptor alias: which file that fd was, the trace does not show)";
  }

  /**
   * A file as a tag names it: its last component, a memfd by the name it was given, a descriptor
   * alias as such.
   */
  static String objectName(String path) {
    String memfd = memfdName(path);
    if (memfd != null) {
      return "memfd \"" + RawText.name(memfd) + "\"";
    }
    if (FdAlias.of(path) != null) {
      return RawText.name(path) + " (a descriptor alias)";
    }
    String tmp = OpenFile.tmpfileDir(path);
    if (tmp != null) {
      return "unnamed file in " + RawText.name(tmp);
    }
    return withoutDeleted(LoaderRules.shortName(path));
  }

  /**
   * The part of an io_uring instance an mmap of its fd maps, by the offset's IORING_OFF_* constant
   * (include/uapi/linux/io_uring.h; io_uring_mmap and io_uring_validate_mmap_request pick the
   * memory by it): {what, short name}.
   */
  private static String[] ioUringPart(long offset) {
    if (offset == 0) {
      return new String[] {
        "IORING_OFF_SQ_RING (offset 0): the submission queue ring, its head, tail, flags and the"
            + " index array the program fills (with IORING_FEAT_SINGLE_MMAP the completion queue"
            + " ring is in the same pages)",
        "io_uring SQ ring"
      };
    }
    if (offset == 0x8000000L) {
      return new String[] {
        "IORING_OFF_CQ_RING (offset 0x8000000): the completion queue ring, its head, tail and"
            + " the completion entries (CQEs) the kernel posts",
        "io_uring CQ ring"
      };
    }
    if (offset == 0x10000000L) {
      return new String[] {
        "IORING_OFF_SQES (offset 0x10000000): the array of submission queue entries (SQEs) the"
            + " program writes its requests into",
        "io_uring SQEs",
        "the program writes them and the kernel only reads them (io_get_sqe hands each on as a"
            + " const struct io_uring_sqe), so requests pass through this memory rather than"
            + " through syscall arguments"
      };
    }
    if ((offset & 0xf8000000L) == 0x80000000L) {
      return new String[] {
        "IORING_OFF_PBUF_RING (offset "
            + hex(offset)
            + "): the ring of provided buffer group "
            + ((offset - 0x80000000L) >>> 16)
            + ", which the kernel allocated (IOU_PBUF_RING_MMAP)",
        "io_uring buffer ring"
      };
    }
    return new String[] {
      "offset " + hex(offset) + ", which no IORING_OFF_* constant memtrace knows names",
      "io_uring memory"
    };
  }

  /**
   * An mmap of an io_uring_setup fd: no file's pages but the ring memory the kernel allocated at
   * io_uring_setup (io_allocate_scq_urings), shared with the program (io_uring_mmap,
   * io_uring/memmap.c); maps names it anon_inode:[io_uring].
   */
  private static Said ioUringRing(Ctx c) {
    String[] part = ioUringPart(c.offset());
    long fd = c.fd().orElse(-1);
    return Said.of(
            "the program maps "
                + c.length()
                + " bytes of the io_uring instance behind fd "
                + fd
                + " (io_uring_setup's fd) at "
                + part[0]
                + ". These are no file's pages: io_uring_setup allocated them for the ring, and"
                + " io_uring_mmap (io_uring/memmap.c) maps them into the process, shown as "
                + OpenFile.IO_URING
                + " in maps; "
                + (part.length > 2
                    ? part[2]
                    : "the program and the kernel both read and write them, so requests and"
                        + " completions pass through this memory rather than through syscall"
                        + " arguments")
                + (c.mapFlags().contains("MAP_POPULATE")
                    ? "; MAP_POPULATE fills the page tables during the call"
                    : ""),
            Basis.ARITHMETIC,
            "fd " + fd + " is " + OpenFile.IO_URING + ", offset " + hex(c.offset()))
        .tag(RegionClass.SHARED_MEMORY, part[1], OpenFile.IO_URING);
  }

  /**
   * An mmap of /dev/zero: no file's pages (mmap_zero, drivers/char/mem.c). Shared, it becomes
   * shared anonymous memory with a shmem file of its own (shmem_zero_setup); private, anonymous
   * memory (vma_set_anonymous) that keeps /dev/zero as its name in maps.
   */
  private static Said devZero(Ctx c) {
    boolean shared = c.mapFlags().contains("MAP_SHARED");
    String perms = MapsFormat.perms(((Mmap) c.call).prot().orElse(0), shared);
    String head = "the program maps " + c.length() + " bytes of /dev/zero (" + c.protText() + ", ";
    if (shared) {
      return Said.of(
              head
                  + "MAP_SHARED): /dev/zero has no pages to share, so mmap_zero"
                  + " (drivers/char/mem.c) makes this shared anonymous memory, as"
                  + " MAP_SHARED|MAP_ANONYMOUS does (shmem_zero_setup gives it a shmem file of its"
                  + " own, shown as /dev/zero (deleted) "
                  + perms
                  + " in maps): zero-filled pages that a child made by fork shares with"
                  + " the parent; nothing written reaches /dev/zero, and a process that maps"
                  + " /dev/zero itself gets other pages",
              Basis.ARITHMETIC,
              "MAP_SHARED mapping of /dev/zero")
          .tag(RegionClass.SHARED_MEMORY, "shared anonymous memory");
    }
    return Said.of(
            head
                + "MAP_PRIVATE): mmap_zero (drivers/char/mem.c) makes this anonymous memory"
                + " (vma_set_anonymous), as MAP_PRIVATE|MAP_ANONYMOUS does: zero-filled pages"
                + " on first touch, copied on write, no page cache behind them and no end of file"
                + " to fault at; maps still names /dev/zero ("
                + perms
                + "), since the mapping keeps the file",
            Basis.ARITHMETIC,
            "MAP_PRIVATE mapping of /dev/zero")
        .tag(RegionClass.ANON, "private /dev/zero mapping", "/dev/zero");
  }

  /**
   * A file with no name, as open(O_TMPFILE) makes it (open(2)): its directory names only the
   * filesystem it is on; maps shows DIR/#INODE (deleted).
   */
  private static String tmpfile(String path) {
    String dir = OpenFile.tmpfileDir(path);
    return "an unnamed file on the filesystem of "
        + RawText.name(dir)
        + " (maps shows "
        + (path.matches(".*/#[0-9]+ \\(deleted\\)")
            ? RawText.name(path)
            : RawText.name(OpenFile.tmpfileName(dir, "INODE")))
        + ", the name the kernel gives a file open(O_TMPFILE) made: it was never in a directory, "
        + "and goes when its last fd and mapping do)";
  }

  /**
   * An earlier shared mapping, in this address space, of the same file name and an overlapping
   * range of its offsets as this MAP_SHARED mmap, executable where this one is writable or the
   * other way round (neither both); null for none.
   */
  static Region dualView(Ctx c) {
    AddressSpaceView v = c.ex.view(c.ev.pid());
    Region made = v == null ? null : v.regionAt(c.result());
    boolean w = c.prot().contains("PROT_WRITE");
    if (made == null || made.path() == null || w == c.prot().contains("PROT_EXEC")) {
      return null;
    }
    long from = c.offset();
    long to = from + c.length();
    for (Region r : v.regions()) {
      String p = r.perms();
      if (r.start() == made.start()
          || !made.path().equals(r.path())
          || p == null
          || p.length() < 4
          || p.charAt(3) != 's'
          || r.offset() >= to
          || r.offset() + r.size() <= from) {
        continue;
      }
      boolean rw = p.charAt(1) == 'w';
      boolean rx = p.charAt(2) == 'x';
      if (rw != rx && rw != w) {
        return r;
      }
    }
    return null;
  }

  /**
   * A shared file mapping whose pages an earlier mapping of the same file already shows, one view
   * writable and the other executable: libffi's dlmmap_locked (src/closures.c) maps its temporary
   * file so, PROT_EXEC first and then the writable view of the same offset, where it may not map a
   * page writable and executable at once.
   */
  private static Said dualMap(Ctx c) {
    Region r = dualView(c);
    Said file = fileMap(c, true);
    boolean w = c.prot().contains("PROT_WRITE");
    String libffi =
        "libffi".equals(memfdName(c.filePath()))
                || OpenFile.tmpfileDir(c.filePath()) != null && loaded(c.sp, "libffi.so")
            ? ". It fits libffi's closure allocator (dlmmap_locked in src/closures.c), which maps"
                + " its temporary file so, executable first, then writable, when it may not map a"
                + " page PROT_WRITE|PROT_EXEC"
            : "";
    return Said.of(
            file.text()
                + ". The same file, by its name, is already mapped at "
                + hex(r.start())
                + " ("
                + r.perms()
                + (r.originLine() > 0 ? ", made at line " + r.originLine() : "")
                + ") over offsets that overlap these: if it is the same file, it is one memory"
                + " seen at two addresses, "
                + (w
                    ? "written through this one and run through that one"
                    : "run through this one and written through that one")
                + ", so no one address is both writable and executable (a dual mapping)"
                + libffi,
            Basis.PATTERN,
            "file mapping of " + c.fileName() + "; " + r.perms() + " at " + hex(r.start()))
        .tag(file.cls(), file.what(), file.object());
  }

  /**
   * A mapping of a memfd_secret file (mm/secretmem.c): secretmem_mmap takes only a shared mapping
   * and sets VM_LOCKED | VM_DONTDUMP on it (counted against RLIMIT_MEMLOCK); secretmem_fault
   * allocates each page zeroed on first touch and takes it out of the kernel's direct map
   * (set_direct_map_invalid_noflush), so no disk and no page cache of a real file is involved.
   */
  private static Said secretmemMap(Ctx c) {
    return Said.of(
            "the program maps "
                + c.length()
                + " bytes of memfd_secret's file from offset "
                + c.offset()
                + " ("
                + c.protText()
                + ", MAP_SHARED; maps shows /secretmem (deleted), a file of the kernel's secretmem"
                + " filesystem, never on a disk and never unlinked): secret memory. Each page is"
                + " allocated zeroed on first touch and taken out of the kernel's direct map"
                + " (secretmem_fault), so it is reached only through mappings of this file; the"
                + " mapping is locked (VM_LOCKED, counted against RLIMIT_MEMLOCK) and left out of"
                + " core dumps (VM_DONTDUMP) (secretmem_mmap); a page beyond the file's size (set"
                + " with ftruncate, 0 until then) raises SIGBUS",
            Basis.ARITHMETIC,
            "the fd is memfd_secret's (" + RawText.name(c.filePath()) + ")")
        .tag(RegionClass.SHARED_MEMORY, "secret memory (memfd_secret)", c.filePath());
  }

  /**
   * What makes a new mapping locked and so faulted in at mmap (do_mmap sets populate for VM_LOCKED
   * without VM_LOCKONFAULT): MAP_LOCKED, or an mlockall(MCL_FUTURE) without MCL_ONFAULT in force
   * (mm->def_flags); null when neither does.
   */
  static String lockedBy(Ctx c) {
    if (c.mapFlags().contains("MAP_LOCKED")) {
      return "MAP_LOCKED";
    }
    if (c.sp.lockFutureLine > 0 && !c.sp.lockFutureOnFault) {
      return "every new mapping is, while the mlockall(MCL_FUTURE) of line "
          + c.sp.lockFutureLine
          + " is in force";
    }
    return null;
  }

  /**
   * When a file mapping's pages come in, as the sentence's next clause: during the call for a
   * locked mapping ({@link #lockedBy}) or MAP_POPULATE, else on first touch; from the page cache of
   * a file in memory, or read from the file.
   */
  private static String firstTouch(Ctx c, String path) {
    String locked = lockedBy(c);
    boolean inMemory = memoryFile(path);
    if (locked != null) {
      return ". Locked ("
          + locked
          + "): the kernel faults the pages in during the call (mm_populate"
          + (inMemory
              ? " finds each in the file's page cache or adds it zero-filled"
              : " reads the file ahead")
          + "; mmap does not fail if it cannot) and keeps them in RAM until they are unlocked";
    }
    if (c.mapFlags().contains("MAP_POPULATE")) {
      return inMemory
          ? ". The file lives in memory (shmem, tmpfs), not on a disk. MAP_POPULATE: the kernel"
              + " faults the pages in during the call instead of on first touch (mm_populate"
              + " finds each in the file's page cache or adds it zero-filled, and fills the page"
              + " tables; mmap does not fail if it cannot)"
          : ". MAP_POPULATE: the kernel prefaults the pages during the call instead of on first"
              + " touch (mm_populate reads the file ahead and fills the page tables; mmap does"
              + " not fail if it cannot)";
    }
    if (inMemory) {
      return ". The file lives in memory (shmem, tmpfs), not on a disk: a page is found in, or added"
          + " zero-filled to, its page cache on first touch";
    }
    String empty = emptyFile(c, path);
    return empty != null ? empty : ". Pages are read in on first touch";
  }

  /**
   * A file an open left empty (O_CREAT|O_EXCL, O_TRUNC) that no traced call of any process has
   * written since, as the model keeps it ({@link EmptyFile}): all its bytes are holes that
   * ftruncate or fallocate left (unwritten extents read as zeros), so a first touch gets a
   * zero-filled page-cache page and reads nothing from the disk; what is written through a shared
   * writable mapping becomes the file's contents (LLVM's FileOutputBuffer, as lld writes its
   * output, works this way). Null for any other file.
   */
  private static String emptyFile(Ctx c, String path) {
    OpenFile f = c.fd().isPresent() ? c.ex.openFile(c.ev.pid(), (int) c.fd().getAsLong()) : null;
    EmptyFile e = f == null || path == null ? null : c.ex.emptyFile(f.path());
    if (e == null || !e.emptyAt(c.line()) || !c.ex.writesTraced) {
      return null;
    }
    boolean writes = c.mapFlags().contains("MAP_SHARED") && c.prot().contains("PROT_WRITE");
    return ". The file was empty when line "
        + e.openLine()
        + " opened it ("
        + e.how()
        + ") and nothing has written to it since"
        + (e.sizeLine() > 0
            ? ": the "
                + e.size()
                + (e.size() == 1 ? " byte" : " bytes")
                + " the "
                + e.sizeCall()
                + " at line "
                + e.sizeLine()
                + " gave it "
                + (e.size() == 1 ? "is a hole" : "are holes")
            : ", so it holds no data")
        + ", so a first touch reads nothing from the disk but gets a zero-filled page-cache page"
        + (writes
            ? "; what is written through this mapping becomes the file's contents, written back"
                + " by the kernel later (or by msync(MS_SYNC), fsync)"
            : "");
  }

  private static Said fileMap(Ctx c, boolean shared) {
    String path = c.filePath();
    String memfd = memfdName(path);
    String p =
        memfd != null
            ? "the memfd \""
                + RawText.name(memfd)
                + "\" (memfd_create's file, in no directory: maps shows "
                + (ArgText.cut(memfd)
                    ? "/memfd:NAME (deleted) with the whole name"
                    : RawText.name(path))
                + ")"
            : OpenFile.tmpfileDir(path) != null
                ? tmpfile(path)
                : path != null && path.endsWith(MapsFormat.DELETED) && path.startsWith("/")
                    ? RawText.name(withoutDeleted(path))
                        + " (unlinked since it was opened: maps shows "
                        + RawText.name(path)
                        + ")"
                    : c.fileName();
    return Said.of(
            "the program maps "
                + c.length()
                + " bytes of "
                + p
                + " from offset "
                + c.offset()
                + " ("
                + c.protText()
                + ", "
                + (shared && !c.prot().contains("PROT_WRITE")
                    ? "MAP_SHARED, not writable: it shows the file's own page-cache pages, so "
                        + "what any process writes to the file shows in it"
                    : shared
                        ? "MAP_SHARED: writes go to the file and are seen by every process "
                            + "mapping it, also across fork"
                        : "MAP_PRIVATE: pages come from the page cache and are copied on write; "
                            + "the file never sees writes")
                + ")"
                + firstTouch(c, path)
                + "; a page wholly beyond the end of the file raises SIGBUS"
                + (shared ? sqliteView(c, path) : ""),
            Basis.PATTERN,
            "file mapping of " + p)
        .tag(
            // a memfd or a /dev/shm file mapped shared is shared memory, as its maps name says
            shared && memoryFile(path)
                ? RegionClass.SHARED_MEMORY
                : shared ? RegionClass.FILE_SHARED : RegionClass.FILE_PRIVATE,
            "mapping of " + (path == null ? "an unnamed file" : objectName(path)),
            path);
  }
}
