package dev.memtrace.explain;

import dev.memtrace.decode.ArgText;
import dev.memtrace.trace.RawText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment entries, as {@code strace -v} prints execve's envp, that set the sizes glibc
 * malloc works with: its tunables (GLIBC_TUNABLES {@code glibc.malloc.mmap_threshold}, {@code
 * top_pad}, {@code trim_threshold}, {@code mmap_max}, {@code hugetlb}) and the older variables
 * glibc still reads as their aliases (MALLOC_MMAP_THRESHOLD_, MALLOC_TOP_PAD_,
 * MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_MAX_; elf/dl-tunables.list). A GLIBC_TUNABLES that strace -s
 * cut before its list could be read counts too: the trace shows it is set, not what it sets.
 * Without -v, execve prints only the count of the variables, and nothing is known.
 */
final class MallocEnv {

  private MallocEnv() {}

  private static final Pattern ENTRY = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"(\\.\\.\\.)?");

  private static final String[] ALIASES = {
    "MALLOC_MMAP_THRESHOLD_=", "MALLOC_TOP_PAD_=", "MALLOC_TRIM_THRESHOLD_=", "MALLOC_MMAP_MAX_="
  };

  /** Kept as well: the size of nptl's cache of exited threads' stacks (nptl/nptl-stack.c). */
  private static final String[] PTHREAD = {"glibc.pthread.stack_cache_size="};

  private static final String[] TUNABLES = {
    "glibc.malloc.mmap_threshold=",
    "glibc.malloc.top_pad=",
    "glibc.malloc.trim_threshold=",
    "glibc.malloc.mmap_max=",
    "glibc.malloc.hugetlb="
  };

  /**
   * The entries of a printed envp ({@code ["A=b", ...]}) that tune malloc's sizes, decoded, with
   * {@link ArgText#CUT} after one strace -s cut; null when envp is not printed or sets none.
   */
  static List<String> of(String envp) {
    if (!printed(envp)) {
      return null;
    }
    List<String> found = new ArrayList<>();
    Matcher m = ENTRY.matcher(envp);
    while (m.find()) {
      String entry = ArgText.unquote("\"" + m.group(1) + "\"");
      if (entry == null) {
        continue;
      }
      if (m.group(2) != null) {
        entry = entry + ArgText.CUT;
      }
      if (relevant(entry, ALIASES, TUNABLES) || relevant(entry, ALIASES, PTHREAD)) {
        found.add(entry);
      }
    }
    return found.isEmpty() ? null : List.copyOf(found);
  }

  /** An entry that sets one of the variables or tunables, or a GLIBC_TUNABLES cut that may. */
  private static boolean relevant(String entry, String[] aliases, String[] tunables) {
    return named(entry, aliases, tunables)
        // cut before the list could be read: it may set them
        || entry.startsWith("GLIBC_TUNABLES=") && ArgText.cut(entry);
  }

  /**
   * An entry that sets one of the variables, or a GLIBC_TUNABLES that names one of the tunables.
   */
  private static boolean named(String entry, String[] aliases, String[] tunables) {
    for (String a : aliases) {
      if (entry.startsWith(a)) {
        return true;
      }
    }
    if (entry.startsWith("GLIBC_TUNABLES=")) {
      for (String t : tunables) {
        if (entry.contains(t)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The entries of the space's environment that set one of the variables or tunables (or, with
   * {@code orCut}, a GLIBC_TUNABLES strace -s cut, which may), each as a sentence writes a name,
   * joined by ", "; null for none.
   */
  private static String entries(Space sp, String[] aliases, String[] tunables, boolean orCut) {
    if (sp.mallocEnv == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String e : sp.mallocEnv) {
      if (orCut ? relevant(e, aliases, tunables) : named(e, aliases, tunables)) {
        out.add(RawText.name(e));
      }
    }
    return out.isEmpty() ? null : String.join(", ", out);
  }

  /**
   * The entries of the space's environment that may set one size (its variable, {@code
   * MALLOC_TOP_PAD_}, and its tunable, {@code glibc.malloc.top_pad}), for a sentence; null for
   * none.
   */
  static String setting(Space sp, String alias, String tunable) {
    return entries(sp, new String[] {alias + "="}, new String[] {tunable + "="}, true);
  }

  private static final String[] DYNAMIC_OFF_TUNABLES = {
    "glibc.malloc.mmap_threshold=",
    "glibc.malloc.top_pad=",
    "glibc.malloc.trim_threshold=",
    "glibc.malloc.mmap_max="
  };

  /**
   * The entries of the space's environment that set a size whose setter also turns glibc's dynamic
   * mmap threshold off (do_set_mmap_threshold, do_set_top_pad, do_set_trim_threshold and
   * do_set_mmaps_max each set mp_.no_dyn_threshold), for a sentence; null for none, or for a
   * GLIBC_TUNABLES strace -s cut before any of them shows.
   */
  static String dynamicOff(Space sp) {
    return entries(sp, ALIASES, DYNAMIC_OFF_TUNABLES, false);
  }

  /**
   * The clause that ends a sentence saying where free() moves the dynamic threshold: what could
   * have turned it off (mallopt's M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD and M_MMAP_MAX,
   * their variables and tunables set mp_.no_dyn_threshold, after which free() no longer moves it),
   * which the trace does not show, or the environment it shows.
   */
  static String unlessTuned(Space sp) {
    String may = entries(sp, ALIASES, DYNAMIC_OFF_TUNABLES, true);
    if (may == null && sp.envLine != 0) {
      return ", unless mallopt (which the trace does not show) turned the dynamic threshold off:"
          + " the environment execve passed at line "
          + sp.envLine
          + " (strace -v shows it) sets no MALLOC_*_ variable or GLIBC_TUNABLES size that would";
    }
    if (may == null) {
      return ", unless the program tuned malloc with mallopt, MALLOC_*_ environment variables or"
          + " GLIBC_TUNABLES, which turn the dynamic threshold off (the trace does not show them)";
    }
    return ", unless mallopt (which the trace does not show) or what the environment execve passed"
        + " at line "
        + sp.envLine
        + " sets ("
        + may
        + "; strace -v shows it) turned the dynamic threshold off";
  }

  /**
   * What may have set one of malloc's sizes, for a sentence: the environment execve passed, when
   * the trace shows it sets that size, else the ways the trace does not show ({@code mallopt}, the
   * variable, the tunable).
   */
  static String setBy(Space sp, String mallopt, String alias, String tunable) {
    String env = setting(sp, alias, tunable);
    if (env != null) {
      return "the environment execve passed at line "
          + sp.envLine
          + " (strace -v shows it) sets "
          + env;
    }
    return "mallopt("
        + mallopt
        + "), "
        + alias
        + " or GLIBC_TUNABLES "
        + tunable
        + ", which the trace does not show";
  }

  /**
   * The entry of a printed envp that sets libgomp's worker thread stack size: the first of
   * OMP_STACKSIZE and GOMP_STACKSIZE whose value parse_stacksize accepts (initialize_env,
   * libgomp/env.c, tries them in that order); null for none, or envp not printed or cut.
   */
  static String ompStackEntry(String envp) {
    if (!printed(envp)) {
      return null;
    }
    for (String name : new String[] {"OMP_STACKSIZE=", "GOMP_STACKSIZE="}) {
      Matcher m = ENTRY.matcher(envp);
      while (m.find()) {
        String entry = ArgText.unquote("\"" + m.group(1) + "\"");
        if (entry != null
            && m.group(2) == null
            && entry.startsWith(name)
            && ompStackBytes(entry) > 0) {
          return entry;
        }
      }
    }
    return null;
  }

  private static final Pattern OMP_SIZE = Pattern.compile("\\s*(\\d+)\\s*(?:([bBkKmMgG])\\s*)?");

  /**
   * The bytes an OMP_STACKSIZE or GOMP_STACKSIZE entry asks for, as libgomp's parse_stacksize reads
   * it: a decimal number, in KiB unless B, K, M or G follows; -1 when it does not parse.
   */
  static long ompStackBytes(String entry) {
    Matcher m = OMP_SIZE.matcher(entry.substring(entry.indexOf('=') + 1));
    if (!m.matches() || m.group(1).length() > 12) {
      return -1;
    }
    long v = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "k" : m.group(2).toLowerCase(Locale.ROOT);
    int shift = unit.equals("b") ? 0 : unit.equals("k") ? 10 : unit.equals("m") ? 20 : 30;
    return v << shift;
  }

  /** Whether strace -v printed execve's envp ({@code ["A=b", ...]}), not only its count. */
  static boolean printed(String envp) {
    return envp != null && envp.startsWith("[");
  }

  private static final String HUGETLB = "glibc.malloc.hugetlb=";

  /**
   * The value GLIBC_TUNABLES in the environment the trace shows gives glibc.malloc.hugetlb (the
   * last one its list names, as parse_tunables keeps the last), -1 when none is readable: no such
   * entry, strace -s cut it, or the environment is not shown.
   */
  static long hugetlb(Space sp) {
    return tunable(sp, HUGETLB);
  }

  /** The value GLIBC_TUNABLES gives one tunable ({@code "glibc.x.y="}), as {@link #hugetlb}. */
  private static long tunable(Space sp, String name) {
    long v = -1;
    if (sp.mallocEnv == null) {
      return v;
    }
    for (String e : sp.mallocEnv) {
      if (e.startsWith("GLIBC_TUNABLES=")) {
        long w = listed(e, name);
        v = w == NOT_LISTED ? v : Math.max(w, -1);
      }
    }
    return v;
  }

  /** {@link #listed}: the list does not name the tunable. */
  private static final long NOT_LISTED = -2;

  /**
   * The value one GLIBC_TUNABLES entry gives a tunable ({@code "glibc.x.y="}): the last its list
   * names, as parse_tunables keeps the last; -1 when that one cannot be read here (cut by strace
   * -s, or not wholly a number, {@link #number}), {@link #NOT_LISTED} when the visible list does
   * not name it.
   */
  private static long listed(String entry, String name) {
    boolean cut = ArgText.cut(entry);
    String list = cut ? entry.substring(0, entry.length() - ArgText.CUT.length()) : entry;
    long v = NOT_LISTED;
    for (int at = list.indexOf(name); at >= 0; at = list.indexOf(name, at + 1)) {
      char before = list.charAt(at - 1);
      if (before != '=' && before != ':') {
        continue; // the tail of another name
      }
      int from = at + name.length();
      int to = list.indexOf(':', from);
      v = to < 0 && cut ? -1 : number(list.substring(from, to < 0 ? list.length() : to));
    }
    return v;
  }

  /**
   * A number as _dl_strtoul reads a tunable's value (decimal; hex after 0x; octal after a leading
   * 0), when the whole value is one; -1 otherwise (_dl_strtoul would stop at the first other
   * character, a reading this does not guess at).
   */
  private static long number(String s) {
    int base = 10;
    String digits = s;
    if (s.startsWith("0x") || s.startsWith("0X")) {
      base = 16;
      digits = s.substring(2);
    } else if (s.length() > 1 && s.charAt(0) == '0') {
      base = 8;
      digits = s.substring(1);
    }
    if (digits.isEmpty() || digits.length() > 15) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = Character.digit(digits.charAt(i), base);
      if (d < 0) {
        return -1;
      }
      v = v * base + d;
    }
    return v;
  }

  private static final String MMAP_THRESHOLD = "glibc.malloc.mmap_threshold=";

  /**
   * The mmap threshold the environment the trace shows gives glibc malloc, -1 when it sets none or
   * the value cannot be read ({@link #valueOf}). Either entry turns the dynamic threshold off
   * (do_set_mmap_threshold), so the value holds for the whole process unless it calls mallopt,
   * which the trace does not show.
   */
  static long mmapThreshold(Space sp) {
    return valueOf(sp, "MALLOC_MMAP_THRESHOLD_=", MMAP_THRESHOLD);
  }

  private static final String TOP_PAD = "glibc.malloc.top_pad=";

  /**
   * The top_pad the environment the trace shows gives glibc malloc (do_set_top_pad), -1 when it
   * sets none or the value cannot be read ({@link #valueOf}). It holds for the whole process unless
   * it calls mallopt(M_TOP_PAD), which the trace does not show.
   */
  static long topPad(Space sp) {
    return valueOf(sp, "MALLOC_TOP_PAD_=", TOP_PAD);
  }

  /**
   * top_pad as a sentence writes it: {@code "top_pad 131072"}, or where the environment sets it,
   * {@code "top_pad 1048576 (MALLOC_TOP_PAD_=1048576 in the environment execve passed at line 1, as
   * strace -v shows)"}.
   */
  static String topPadText(Space sp) {
    if (!sp.envTopPad) {
      return "top_pad " + sp.topPad;
    }
    return "top_pad "
        + sp.topPad
        + " ("
        + RawText.name(entryFor(sp, "MALLOC_TOP_PAD_=", TOP_PAD))
        + " in the environment execve passed at line "
        + sp.envLine
        + ", as strace -v shows)";
  }

  private static final String MMAP_MAX = "glibc.malloc.mmap_max=";

  /**
   * How many chunks the environment the trace shows lets glibc malloc map at once (mp_.n_mmaps_max:
   * sysmalloc maps a chunk only while mp_.n_mmaps is below it), -1 when it sets none or the value
   * cannot be read.
   */
  static long mmapMax(Space sp) {
    return valueOf(sp, "MALLOC_MMAP_MAX_=", MMAP_MAX);
  }

  /**
   * The value the environment gives one of malloc's settings, read from the entry that sets it
   * ({@link #entryFor}); -1 for none, a value that cannot be read, or a GLIBC_TUNABLES strace -s
   * cut, which may name it where it is cut.
   */
  private static long valueOf(Space sp, String alias, String tunable) {
    String entry = entryFor(sp, alias, tunable);
    if (entry == null || ArgText.cut(entry)) {
      return -1;
    }
    return entry.startsWith("GLIBC_TUNABLES=")
        ? Math.max(listed(entry, tunable), -1)
        : number(entry.substring(alias.length()));
  }

  /**
   * The entry that sets one of malloc's settings ({@code "MALLOC_MMAP_THRESHOLD_="}, {@code
   * "glibc.malloc.mmap_threshold="}): the last GLIBC_TUNABLES that names the tunable, else the
   * first of the variable's entries, as GLIBC_TUNABLES's value wins wherever either stands in envp
   * and of several entries of the variable the first counts (__tunables_init skips an alias whose
   * tunable is already set, and parse_tunables sets it whatever came before); a GLIBC_TUNABLES
   * strace -s cut, which may name it; or null.
   */
  private static String entryFor(Space sp, String alias, String tunable) {
    if (sp.mallocEnv == null) {
      return null;
    }
    String tuned = null;
    String first = null;
    for (String e : sp.mallocEnv) {
      if (e.startsWith("GLIBC_TUNABLES=")) {
        if (ArgText.cut(e)) {
          return e;
        }
        tuned = listed(e, tunable) == NOT_LISTED ? tuned : e;
      } else if (first == null && e.startsWith(alias)) {
        first = e;
      }
    }
    return tuned != null ? tuned : first;
  }

  /**
   * Why glibc malloc maps no chunk of its own in this process, as a clause: the environment sets
   * MALLOC_MMAP_MAX_ (or glibc.malloc.mmap_max) to 0; null where it does not.
   */
  static String noMmapBy(Space sp) {
    if (!sp.noMmapChunks) {
      return null;
    }
    return "the environment execve passed at line "
        + sp.envLine
        + " sets "
        + RawText.name(entryFor(sp, "MALLOC_MMAP_MAX_=", MMAP_MAX))
        + " (strace -v shows it), so glibc malloc maps no chunk of its own here (sysmalloc maps"
        + " one only while mp_.n_mmaps is below mp_.n_mmaps_max) and grows the heap instead";
  }

  /**
   * Where the threshold comes from, as a clause after its value: {@code ", which the environment
   * execve passed at line 1 sets with MALLOC_MMAP_THRESHOLD_=4096 (strace -v shows it)"} where it
   * is read ({@link Space#envThreshold}); where it cannot be, what may set it; else nothing.
   */
  static String thresholdSetBy(Space sp) {
    String entry = entryFor(sp, "MALLOC_MMAP_THRESHOLD_=", MMAP_THRESHOLD);
    if (entry == null) {
      return "";
    }
    String at = "the environment execve passed at line " + sp.envLine;
    return sp.envThreshold
        ? ", which " + at + " sets with " + RawText.name(entry) + ", as strace -v shows"
        : " untuned, but " + at + ", which strace -v shows, sets " + RawText.name(entry);
  }

  /**
   * The GLIBC_TUNABLES entries of the environment the trace shows that set or, cut by strace -s,
   * may set glibc.malloc.hugetlb, for a sentence; null for none.
   */
  static String hugetlbEntry(Space sp) {
    return entries(sp, new String[0], new String[] {HUGETLB}, true);
  }

  /**
   * What the environment says of a MAP_HUGETLB mapping, as the end of a sentence. glibc malloc
   * (2.35 and later) passes MAP_HUGETLB itself only when GLIBC_TUNABLES sets glibc.malloc.hugetlb
   * to 2 or a huge page size (do_set_hugetlb, __malloc_hugepage_config): sysmalloc then maps chunks
   * of a huge page or more with it (sysmalloc_mmap), maps the main arena's heap instead of growing
   * the break (__always_fail_morecore, sysmalloc_mmap_fallback) and reserves new arenas with it
   * (new_heap), each falling back to ordinary pages when the mmap fails.
   */
  static String hugetlbMalloc(Space sp) {
    String how =
        "glibc malloc passes MAP_HUGETLB itself only when GLIBC_TUNABLES sets glibc.malloc.hugetlb"
            + " to 2 or a huge page size (do_set_hugetlb): then it maps chunks of a huge page or"
            + " more (sysmalloc_mmap), its main arena's heap instead of growing the break"
            + " (sysmalloc_mmap_fallback) and new arenas (new_heap) with it";
    long v = hugetlb(sp);
    String entry = hugetlbEntry(sp);
    if (v >= 2) {
      return how
          + ", and the environment execve passed at line "
          + sp.envLine
          + " sets "
          + entry
          + " (strace -v shows it), so this fits glibc malloc's own mapping, though the program or"
          + " a library may also map huge pages itself";
    }
    if (entry != null && v < 0) {
      return how
          + ", and the environment execve passed at line "
          + sp.envLine
          + " sets "
          + entry
          + " (strace -v shows it), which may set it: this fits glibc malloc's own mapping as well"
          + " as one the program or a library asked the kernel for itself";
    }
    if (sp.envLine != 0) {
      return how
          + ", and the environment execve passed at line "
          + sp.envLine
          + (entry != null ? " sets " + entry + ", not that" : " does not set it")
          + " (strace -v shows it), so the program or a library asked the kernel for it itself";
    }
    return how
        + ", which the trace does not show (strace -v prints execve's environment): unless it"
        + " does, the program or a library asked the kernel for it itself";
  }

  /** x86-64's transparent huge page size (hpage_pmd_size with 4 KiB pages). */
  static final long THP = 2L * 1024 * 1024;

  /**
   * Why a break that malloc moved ends on a huge page boundary, as a clause, where the environment
   * the trace shows sets glibc.malloc.hugetlb=1 (or a GLIBC_TUNABLES strace -s cut may): with it,
   * and /sys/kernel/mm/transparent_hugepage/enabled in madvise mode, do_set_hugetlb sets
   * mp_.thp_pagesize, and sysmalloc rounds each growth so that __curbrk + size is a multiple of it,
   * then advises the new part MADV_HUGEPAGE (madvise_thp). libc's __curbrk is still 0 before sbrk's
   * first call, so the first growth is one huge page. Null otherwise.
   */
  static String thpRounding(Space sp) {
    return thpRounding(sp, true);
  }

  /** {@link #thpRounding(Space)}, or with {@code full} false its short form, for a clause. */
  static String thpRounding(Space sp, boolean full) {
    long v = hugetlb(sp);
    String entry = hugetlbEntry(sp);
    if (entry == null || v >= 0 && v != 1) {
      return null;
    }
    if (full) {
      return thpHow(sp, v, entry);
    }
    return "the environment execve passed at line "
        + sp.envLine
        + " sets "
        + entry
        + (v == 1 ? "" : ", which may set glibc.malloc.hugetlb=1")
        + " (strace -v shows it), with which sysmalloc does so while"
        + " /sys/kernel/mm/transparent_hugepage/enabled is in madvise mode";
  }

  private static String thpHow(Space sp, long v, String entry) {
    return "the environment execve passed at line "
        + sp.envLine
        + " sets "
        + entry
        + (v == 1 ? "" : ", which may set glibc.malloc.hugetlb=1")
        + " (strace -v shows it): with that, while /sys/kernel/mm/transparent_hugepage/enabled is"
        + " in madvise mode, sysmalloc rounds each growth up so that the break ends on a multiple"
        + " of the huge page size (2097152 here on x86-64), counted from libc's own copy of the"
        + " break, which is still 0 before its first sbrk, so the first growth is one huge page;"
        + " then it advises the new part MADV_HUGEPAGE (madvise_thp)";
  }

  /**
   * Whose MADV_HUGEPAGE this is, as a clause, for advice on [heap] or a chunk glibc malloc mapped:
   * malloc gives it itself (madvise_thp, after each growth of the break, each chunk it maps and
   * each arena heap it grows) only when GLIBC_TUNABLES sets glibc.malloc.hugetlb=1 and
   * /sys/kernel/mm/transparent_hugepage/enabled is in madvise mode (do_set_hugetlb sets
   * mp_.thp_pagesize only then), and never on less than a huge page. mallopt has no parameter for
   * it, so the environment strace -v shows settles it.
   */
  static String thpAdvice(Space sp, long length) {
    String how =
        "glibc malloc gives this advice itself (madvise_thp, after each growth of [heap] and each"
            + " chunk it maps, never on less than a huge page) only when GLIBC_TUNABLES sets"
            + " glibc.malloc.hugetlb=1 while /sys/kernel/mm/transparent_hugepage/enabled is in"
            + " madvise mode";
    if (length % Glibc.PAGE != 0) {
      // madvise_thp advises whole pages: it rounds its start down to a page, and the growth of
      // [heap] it advises ends where sysmalloc rounded the break up to a huge page
      return how
          + "; this length is not whole pages, and madvise_thp's always is, so the program or a"
          + " library asked for it"
          + (length + 1 >= 1L << 22 && FileRules.loaded(sp, "_multiarray_umath")
              ? ": it fits numpy's data allocator, which this process loaded (_npy_alloc_cache,"
                  + " numpy/core/src/multiarray/alloc.c), advising an array of "
                  + (length + 1)
                  + " to "
                  + (length + Glibc.PAGE)
                  + " bytes it malloc'd (4 MiB or more) from the first page boundary"
                  + " past the pointer malloc returned to the array's end"
              : "");
    }
    if (length < THP) {
      return how
          + "; this is less than a huge page ("
          + THP
          + " bytes here), so the program or a library asked for it";
    }
    long v = hugetlb(sp);
    String entry = hugetlbEntry(sp);
    String env = "the environment execve passed at line " + sp.envLine;
    if (v == 1) {
      return how
          + ": "
          + env
          + " sets "
          + entry
          + " (strace -v shows it), so this fits malloc's own";
    }
    if (entry != null && v < 0) {
      return how
          + ": "
          + env
          + " sets "
          + entry
          + " (strace -v shows it), which may set it: this fits malloc's own as well as the"
          + " program's";
    }
    if (sp.envLine != 0) {
      return how
          + ": "
          + env
          + " does not set it (strace -v shows it), so the program or a library asked for it";
    }
    return how + "; the trace does not show the environment (strace -v prints it)";
  }

  /**
   * MADV_HUGEPAGE over part of a mapping taken for a malloc chunk: madvise_thp advises a chunk
   * malloc maps from the mapping's start, all of it (sysmalloc_mmap's madvise_thp (mm, size), and
   * mremap_chunk's (cp, new_size)), so whatever GLIBC_TUNABLES sets, this call is not malloc's.
   * memcached -L advises the 64 MiB it got from posix_memalign(2 MiB, 64 MiB) (alloc_large_chunk),
   * which starts at the first 2 MiB boundary inside the mapping.
   */
  static String thpAdvicePart(Space sp, long offset, long length, long size) {
    String base =
        "glibc malloc gives this advice itself (madvise_thp, with glibc.malloc.hugetlb=1) only"
            + " on a whole mapping it makes, from its start (sysmalloc_mmap, mremap_chunk), and this"
            + " range "
            + (offset != 0
                ? "starts " + offset + " bytes into it"
                : length < size ? "covers only " + length + " bytes of it" : "runs past its end")
            + ", so the program or a library asked for it, whatever GLIBC_TUNABLES sets: ";
    long n = numpyArrayBytes(offset, length, size);
    if (n > 0 && FileRules.loaded(sp, "_multiarray_umath")) {
      return base
          + "it fits numpy's data allocator, which this process loaded (_npy_alloc_cache,"
          + " numpy/core/src/multiarray/alloc.c): it mallocs an array's "
          + n
          + " bytes, which sysmalloc maps at this size with the memory 16 bytes into the mapping,"
          + " and for an array of 4 MiB or more advises MADV_HUGEPAGE from the first page boundary"
          + " past that pointer to the array's end ("
          + n
          + " − 4080 = "
          + length
          + " bytes)";
    }
    return base
        + "on memory it got from malloc (whose memory starts 16 bytes into the mapping, an"
        + " aligned allocation's, posix_memalign's or aligned_alloc's, further on, and a caller"
        + " may round either up to a page) or on a mapping of its own";
  }

  /**
   * The array size n whose malloc(n) sysmalloc maps as size bytes and whose advice numpy's
   * _npy_alloc_cache starts at the first page boundary past the chunk's memory (mapping + 16, so
   * 4096 bytes in) over n − 4080 bytes, for n of 4 MiB or more; 0 when the call does not fit.
   */
  static long numpyArrayBytes(long offset, long length, long size) {
    if (offset != Glibc.PAGE) {
      return 0;
    }
    long n = length + Glibc.PAGE - 2 * Glibc.SIZE_SZ;
    long nb = (n + Glibc.SIZE_SZ + 15) & ~15L;
    return n >= 1L << 22 && Glibc.alignUp(nb + Glibc.SIZE_SZ, Glibc.PAGE) == size ? n : 0;
  }

  /**
   * What else may have tuned malloc, for a sentence that finds a growth larger than malloc's: the
   * MALLOC_*_ variables and GLIBC_TUNABLES (glibc.malloc.hugetlb=1 rounds the break up to huge
   * pages), or, where strace -v shows the environment setting none of them, only mallopt.
   */
  static String tunedBy(Space sp, boolean hugeFits) {
    String set = entries(sp, ALIASES, TUNABLES, true);
    if (sp.envLine != 0 && set == null) {
      return "with mallopt (M_MMAP_THRESHOLD, M_TOP_PAD; the environment execve passed at line "
          + sp.envLine
          + " sets no MALLOC_*_ variable or GLIBC_TUNABLES malloc size, strace -v shows it)";
    }
    String list =
        "(M_MMAP_THRESHOLD, M_TOP_PAD or their MALLOC_*_ variables"
            + (hugeFits
                ? ", or GLIBC_TUNABLES glibc.malloc.hugetlb=1, which rounds the break up to huge"
                    + " pages, and this growth fits that"
                : "");
    if (set == null) {
      return list
          + (hugeFits ? "; the trace does not show them)" : ", which the trace does not show)");
    }
    return list
        + "; the environment execve passed at line "
        + sp.envLine
        + " sets "
        + set
        + ", strace -v shows it)";
  }

  private static final String STACK_CACHE = "glibc.pthread.stack_cache_size=";

  /**
   * The stack cache size the environment the trace shows sets (glibc.pthread.stack_cache_size,
   * which __pthread_tunables_init copies to __nptl_stack_cache_maxsize), -1 when none is readable.
   */
  static long stackCache(Space sp) {
    return tunable(sp, STACK_CACHE);
  }

  /**
   * How much of exited threads' stacks glibc keeps (queue_stack unmaps beyond it, oldest first:
   * __nptl_free_stacks), as a clause: the size the environment the trace shows sets, or the default
   * 40 MiB with what may change it.
   */
  static String stackCacheLimit(Space sp) {
    long v = stackCache(sp);
    String entry = stackCacheEntry(sp);
    if (v >= 0) {
      return v
          + " bytes in total, as the environment execve passed at line "
          + sp.envLine
          + " sets ("
          + entry
          + "; strace -v shows it)";
    }
    if (entry != null) {
      return "40 MiB in total by default, and the environment execve passed at line "
          + sp.envLine
          + " sets "
          + entry
          + " (strace -v shows it), which may set another size";
    }
    if (sp.envLine != 0) {
      return "40 MiB in total (the default: the environment execve passed at line "
          + sp.envLine
          + " does not set GLIBC_TUNABLES glibc.pthread.stack_cache_size, strace -v shows it)";
    }
    return "40 MiB in total by default (GLIBC_TUNABLES glibc.pthread.stack_cache_size sets another"
        + " size; the trace does not show the environment)";
  }

  /** The GLIBC_TUNABLES entries that set or, cut, may set the stack cache size; null for none. */
  private static String stackCacheEntry(Space sp) {
    return entries(sp, new String[0], PTHREAD, true);
  }

  /** Whether the environment shows a GLIBC_TUNABLES, cut by strace -s, that may size the cache. */
  static boolean stackCacheCut(Space sp) {
    return stackCache(sp) < 0 && stackCacheEntry(sp) != null;
  }
}
