package dev.memtrace.explain;

import dev.memtrace.decode.ArgText;
import dev.memtrace.trace.RawText;
import java.util.ArrayList;
import java.util.List;
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
    if (envp == null || !envp.startsWith("[")) {
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
      if (relevant(entry, ALIASES, TUNABLES)) {
        found.add(entry);
      }
    }
    return found.isEmpty() ? null : List.copyOf(found);
  }

  private static boolean relevant(String entry, String[] aliases, String[] tunables) {
    for (String a : aliases) {
      if (entry.startsWith(a)) {
        return true;
      }
    }
    if (!entry.startsWith("GLIBC_TUNABLES=")) {
      return false;
    }
    for (String t : tunables) {
      if (entry.contains(t)) {
        return true;
      }
    }
    return ArgText.cut(entry); // cut before the list could be read: it may set them
  }

  /**
   * The entries of the space's environment that may set one size (its variable, {@code
   * MALLOC_TOP_PAD_}, and its tunable, {@code glibc.malloc.top_pad}), for a sentence; null for
   * none.
   */
  static String setting(Space sp, String alias, String tunable) {
    if (sp.mallocEnv == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String e : sp.mallocEnv) {
      if (relevant(e, new String[] {alias + "="}, new String[] {tunable + "="})) {
        out.add(RawText.name(e));
      }
    }
    return out.isEmpty() ? null : String.join(", ", out);
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
    if (sp.mallocEnv == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String e : sp.mallocEnv) {
      boolean named = false;
      for (String t : DYNAMIC_OFF_TUNABLES) {
        named |= e.startsWith("GLIBC_TUNABLES=") && e.contains(t);
      }
      for (String a : ALIASES) {
        named |= e.startsWith(a);
      }
      if (named) {
        out.add(RawText.name(e));
      }
    }
    return out.isEmpty() ? null : String.join(", ", out);
  }

  /**
   * The clause that ends a sentence saying where free() moves the dynamic threshold: what could
   * have turned it off (mallopt's M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD and M_MMAP_MAX,
   * their variables and tunables set mp_.no_dyn_threshold, after which free() no longer moves it),
   * which the trace does not show, or the environment it shows.
   */
  static String unlessTuned(Space sp) {
    List<String> may = new ArrayList<>();
    if (sp.mallocEnv != null) {
      for (String e : sp.mallocEnv) {
        if (relevant(e, ALIASES, DYNAMIC_OFF_TUNABLES)) {
          may.add(RawText.name(e));
        }
      }
    }
    if (may.isEmpty()) {
      return ", unless the program tuned malloc with mallopt, MALLOC_*_ environment variables or"
          + " GLIBC_TUNABLES, which turn the dynamic threshold off (the trace does not show them)";
    }
    return ", unless mallopt (which the trace does not show) or what the environment execve passed"
        + " at line "
        + sp.mallocEnvLine
        + " sets ("
        + String.join(", ", may)
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
          + sp.mallocEnvLine
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
}
