package dev.memtrace.explain;

import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.RegionClass;

/**
 * The class of a region as {@code /proc/PID/maps} shows it: from its name and permissions, and from
 * what the explain stage remembers about the range when it has a tag for it. Regions the trace
 * never shows being made (the executable, ld.so, [stack], [vdso]) are classed by name.
 */
public final class Classifier {
  private Classifier() {}

  /**
   * @param tag what the trace said the range was made for, or null
   */
  public static RegionClass classify(Region r, Tag tag) {
    return classify(r, tag, null);
  }

  /**
   * @param tag what the trace said the range was made for, or null
   * @param exe the path execve ran ({@code ./prog}), or null: regions of a file with the same name
   *     are the executable's image wherever it lives
   */
  public static RegionClass classify(Region r, Tag tag, String exe) {
    String path = r.path() == null ? "" : r.path();
    switch (path) {
      case "[heap]":
        return RegionClass.HEAP;
      case "[stack]":
        return RegionClass.MAIN_STACK;
      case "[vdso]":
        return RegionClass.VDSO;
      case "[vvar]", "[vvar_vclock]":
        return RegionClass.VVAR;
      case "[vsyscall]":
        return RegionClass.VSYSCALL;
      default:
        break;
    }
    // memory in no directory, or in tmpfs for sharing: the kernel's name says so, whatever
    // sentence the mapping got (a memfd's mmap reads as a shared file mapping)
    if (path.equals("/dev/zero") && r.perms() != null && r.perms().endsWith("p")) {
      return RegionClass.ANON; // a private mapping of /dev/zero is anonymous memory (mmap_zero)
    }
    if (path.startsWith("/dev/zero")
        || path.startsWith("/memfd:")
        || path.startsWith("/SYSV")
        || path.startsWith("[anon_shmem")
        || path.startsWith("/dev/shm/")) {
      return RegionClass.SHARED_MEMORY;
    }
    if (KernelBufferRules.sharedKernelMemory(r)) {
      // the kernel's own pages shared with the process (perf, packet, io_uring and aio rings),
      // no file's: not a shared file mapping
      return RegionClass.SHARED_MEMORY;
    }
    String perms = r.perms() == null ? "----" : r.perms();
    if (tag != null && tag.cls() != RegionClass.UNKNOWN && holds(tag.cls(), perms)) {
      return tag.cls();
    }
    if (path.isEmpty() && r.learnt() == Region.Learnt.ELF_HEADER) {
      // the only anonymous memory the ELF headers lay out: a segment's .bss beyond its file part
      return RegionClass.IMAGE_BSS;
    }
    if (path.isEmpty() || path.startsWith("[anon:")) {
      return perms.startsWith("---") ? RegionClass.RESERVED : RegionClass.ANON;
    }
    if (path.startsWith("[")) {
      return RegionClass.UNKNOWN;
    }
    if (isImage(path) || isExecutable(path, exe)) {
      // laid out from ELF headers: the PT_LOAD it came from names it, whatever mprotect made of it
      // since (a text page made rwx is still text). A writable segment goes by its permissions:
      // ld.so's _dl_protect_relro makes part of it read-only.
      int seg = r.learnt() == Region.Learnt.ELF_HEADER ? r.segmentProt() : -1;
      if (seg > 0 && (seg & 4) != 0) {
        return RegionClass.IMAGE_TEXT;
      }
      if (seg > 0 && (seg & 2) == 0) {
        return r.offset() == 0 ? RegionClass.IMAGE_HEADERS : RegionClass.IMAGE_RODATA;
      }
      if (perms.startsWith("r-x")) {
        return RegionClass.IMAGE_TEXT;
      }
      if (perms.startsWith("rw")) {
        return RegionClass.IMAGE_DATA;
      }
      if (perms.startsWith("---")) {
        return RegionClass.IMAGE_RESERVED;
      }
      return r.offset() == 0 ? RegionClass.IMAGE_HEADERS : RegionClass.IMAGE_RODATA;
    }
    return perms.endsWith("s") ? RegionClass.FILE_SHARED : RegionClass.FILE_PRIVATE;
  }

  /**
   * Whether a tag's class still fits the region's protection. The classes that name the protection
   * (a reservation, a guard page, plain anonymous memory) hold only while it lasts: since the tag
   * was made, mprotect may have opened part of a PROT_NONE reservation (V8's and HotSpot's heaps
   * commit so) or closed a page that was accessible. The region's permissions then class it.
   */
  private static boolean holds(RegionClass cls, String perms) {
    boolean none = perms.startsWith("---");
    // memory an mremap moved that the model never saw: "anonymous" would claim what is not known
    boolean known = perms.indexOf(MapsFormat.UNKNOWN_PERM) < 0;
    return switch (cls) {
      case RESERVED, GUARD -> none;
      case ANON -> !none && known;
      default -> true;
    };
  }

  /** The file execve ran, matched by its last path element (execve may name it relatively). */
  static boolean isExecutable(String path, String exe) {
    return exe != null
        && !path.isEmpty()
        && !exe.isEmpty()
        && LoaderRules.shortName(path).equals(LoaderRules.shortName(exe));
  }

  /** A shared object or an executable, judged by its path. */
  static boolean isImage(String path) {
    String name = LoaderRules.shortName(path);
    return name.contains(".so")
        || path.contains("/bin/")
        || path.contains("/sbin/")
        || path.contains("/libexec/");
  }
}
