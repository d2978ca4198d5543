package dev.memtrace.explain;

import dev.memtrace.explain.Explainer.Pending;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.Strings;
import java.nio.charset.StandardCharsets;

/**
 * Keeps each {@link Space} in step with the calls: tags follow mmap, munmap, mremap, mprotect
 * and brk; fds follow open and close; clone, fork and execve share, copy or replace spaces.
 * This runs after the rules have read the state as it was before the call.
 */
final class State {
  private State() {}

  static void apply(Ctx c, Rule rule, Rule.Said said, Pending p, Explainer ex) {
    if (!c.ok()) {
      return;
    }
    Space sp = c.sp;
    sp.memoryEvents++;
    String id = rule == null ? "" : rule.id();
    switch (c.name()) {
      case "mmap", "mmap2" -> {
        long start = c.ret();
        long end = start + Glibc.alignUp(c.len(), Glibc.PAGE);
        RegionClass cls = said != null && said.cls() != null ? said.cls() : guess(c);
        String what = said != null && said.what() != null ? said.what()
            : c.len() + "-byte " + cls.label;
        Tag tag = new Tag(cls, what, said == null ? null : said.object(), c.line());
        sp.tags.put(start, end, tag);
        ex.origin(tag, p);
        if (id.equals("ldso-segment") && sp.loading != null) {
          // What is left of the reservation below the first segment mapped over it is the
          // object's first PT_LOAD: ELF headers, dynamic symbols, relocations.
          for (TagMap.Span left : sp.tags.overlapping(sp.loading.base(), start)) {
            if (left.tag().cls() == RegionClass.IMAGE_RESERVED) {
              sp.tags.put(left.start(), Math.min(left.end(), start), left.tag().withClass(
                  RegionClass.IMAGE_HEADERS,
                  LoaderRules.shortName(RawText.name(sp.loading.path())) + " headers"));
            }
          }
        }
        if (id.equals("ldso-span")) {
          sp.loading = new Space.Loading(c.fdPath(4), start, start + c.len(), c.line());
          sp.jvm = sp.jvm || String.valueOf(c.fdPath(4)).contains("libjvm.so");
        } else if (id.equals("ldso-cache")) {
          sp.cacheAddress = start;
        } else if (id.equals("malloc-arena-reserve")) {
          sp.arenaReservation = start;
          sp.arenaLine = c.line();
        } else if (id.equals("jvm-heap-reserve")) {
          sp.javaHeap = c.len();
          sp.javaHeapLine = c.line();
        } else if (id.equals("malloc-mmap")) {
          ex.buffersCandidate(sp, start);
        }
      }
      case "munmap" -> {
        long a = c.arg(0);
        TagMap.Span s = sp.tags.at(a);
        if (id.equals("malloc-free-mmapped") && s != null) {
          sp.mmapThreshold = Glibc.thresholdAfterFree(sp.mmapThreshold,
              c.arg(1) - ex.leadOf(s.tag())).value();
        }
        if (s != null && s.start() == sp.ioBuffer) {
          ex.append(s.tag(), new Explanation("io-buffer-freed",
              "given back to the kernel by the munmap at line " + c.line(),
              Explanation.Basis.ARITHMETIC, java.util.List.of("munmap(" + Ctx.hex(a) + ", "
                  + c.arg(1) + ") matches this mapping")));
          sp.ioBuffer = -1;
        }
        if (a == sp.candidate) {
          sp.candidate = -1;
        }
        sp.tags.remove(a, a + Glibc.alignUp(c.arg(1), Glibc.PAGE));
        if (id.equals("malloc-arena-trim")) {
          long r = sp.arenaReservation;
          for (TagMap.Span left : sp.tags.overlapping(r, r + 2 * Glibc.HEAP_MAX)) {
            if (left.tag().what().startsWith("arena reservation")) {
              sp.tags.put(left.start(), left.end(), left.tag().withClass(
                  RegionClass.MALLOC_ARENA, "arena reservation, now a 64 MiB arena heap"));
            }
          }
        }
        if (a == sp.cacheAddress) {
          sp.cacheAddress = -1;
        }
      }
      case "mprotect", "pkey_mprotect" -> {
        long a = c.arg(0);
        long end = a + Glibc.alignUp(c.arg(1), Glibc.PAGE);
        TagMap.Span s = sp.tags.at(a);
        if (said != null && said.cls() != null) {
          Tag base = s != null ? s.tag() : new Tag(said.cls(), said.what(), null, c.line());
          sp.tags.put(a, end, base.withClass(said.cls(), said.what()));
        }
        if (id.equals("thread-stack-prot") && s != null) {
          sp.tags.put(s.start(), a, s.tag().withClass(RegionClass.GUARD, "thread stack guard"));
        }
        if (id.equals("malloc-arena-commit") && s != null && s.end() > end) {
          sp.tags.put(end, s.end(), s.tag().withClass(RegionClass.MALLOC_ARENA,
              "malloc arena heap (not yet usable)"));
        }
      }
      case "mremap" -> {
        long old = c.arg(0);
        TagMap.Span s = sp.tags.at(old);
        sp.tags.remove(old, old + Glibc.alignUp(c.arg(1), Glibc.PAGE));
        long start = c.ret();
        Tag t = s != null ? s.tag() : new Tag(RegionClass.ANON, "remapped region", null,
            c.line());
        if (said != null && said.cls() != null) {
          t = new Tag(said.cls(), said.what(), t.object(), c.line());
        }
        sp.tags.put(start, start + Glibc.alignUp(c.arg(2), Glibc.PAGE), t);
      }
      case "shmat" -> {
        Long size = sp.shmSizes.get(c.arg(0));
        if (size != null && said != null && said.cls() != null) {
          Tag t = new Tag(said.cls(), said.what(), null, c.line());
          sp.tags.put(c.ret(), c.ret() + Glibc.alignUp(size, Glibc.PAGE), t);
          ex.origin(t, p);
        }
      }
      case "shmdt" -> {
        TagMap.Span s = sp.tags.at(c.arg(0));
        if (s != null && s.tag().cls() == RegionClass.SHARED_MEMORY) {
          sp.tags.remove(s.start(), s.end());
        }
      }
      case "brk" -> {
        long r = c.ret();
        if (sp.startBrk < 0) {
          sp.startBrk = r;
        }
        if (r >= sp.startBrk) {
          TagMap.Span heap = sp.tags.at(sp.startBrk);
          int line = heap != null && heap.tag().cls() == RegionClass.HEAP
              ? heap.tag().line() : c.line();
          sp.tags.remove(sp.startBrk, Math.max(r, sp.brk));
          sp.brk = r;
          if (r > sp.startBrk) {
            Tag grown = new Tag(RegionClass.HEAP, "[heap]", null, line);
            sp.tags.put(sp.startBrk, r, grown);
            ex.origin(grown, p);
          }
        }
        sp.mallocStarted = sp.mallocStarted || r > sp.startBrk;
      }
      default -> {
        // other memory calls do not move regions
      }
    }
    long total = sp.tags.total();
    if (total > sp.peak) {
      sp.peak = total;
      sp.peakLine = c.line();
      // A full table costs a walk over the ranges: with many ranges it is retaken only when
      // the peak has grown by 5% since, so a log that grows for ever stays near linear.
      if (sp.peakTally == null || sp.tags.size() < 256
          || total - sp.peakTally.total() > sp.peakTally.total() / 20) {
        sp.peakTally = Tally.of(sp.tags);
        sp.peakTallyLine = c.line();
      }
    }
  }

  /** A class for an mmap no rule claimed, from its flags alone. */
  static RegionClass guess(Ctx c) {
    if (!c.anon()) {
      return c.mapFlags(3).contains("MAP_SHARED") ? RegionClass.FILE_SHARED
          : RegionClass.FILE_PRIVATE;
    }
    if (c.mapFlags(3).contains("MAP_SHARED")) {
      return RegionClass.SHARED_MEMORY;
    }
    return c.prot(2).isEmpty() ? RegionClass.RESERVED : RegionClass.ANON;
  }

  /** Files and processes: fds, clone/fork/execve. */
  static void applyOther(Ctx c, Explainer ex) {
    Space sp = c.sp;
    switch (c.name()) {
      case "openat", "open", "creat", "memfd_create" -> {
        long fd = c.ret();
        if (c.ok() && fd >= 0) {
          int pathArg = c.name().equals("openat") ? 1 : 0;
          String path = Num.decoration(c.ev.result().text());
          if (path == null) {
            path = unquote(c.text(pathArg));
            if (c.name().equals("memfd_create")) {
              path = "/memfd:" + path;
            }
          }
          sp.fds.put((int) fd, path);
        }
      }
      case "close" -> sp.fds.remove((int) c.arg(0));
      case "dup2", "dup3" -> {
        String from = sp.fds.get((int) c.arg(0));
        if (c.ok() && from != null) {
          sp.fds.put((int) c.ret(), from);
        }
      }
      case "shmget" -> {
        if (c.ok() && c.arg(1) > 0) {
          sp.shmSizes.put(c.ret(), c.arg(1));
        }
      }
      case "getrandom" -> {
        if (c.arg(1) == 8 && c.text(2) != null && c.text(2).contains("GRND_NONBLOCK")) {
          sp.mallocStarted = true;
        }
      }
      default -> {
        // nothing to remember
      }
    }
  }

  /** A quoted path argument, its C escapes decoded to the bytes (a char each), as the model holds it. */
  static String unquote(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (t.length() >= 2 && t.startsWith("\"")) {
      int end = t.lastIndexOf('"');
      t = end > 0 ? t.substring(1, end) : t.substring(1);
      return t.indexOf('\\') < 0 ? t
          : new String(Strings.decode(t, 0, t.length()), StandardCharsets.ISO_8859_1);
    }
    return t;
  }
}
