package dev.memtrace.explain;

import dev.memtrace.decode.Brk;
import dev.memtrace.decode.Getrandom;
import dev.memtrace.decode.IoSetup;
import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.decode.Mmap;
import dev.memtrace.decode.Mremap;
import dev.memtrace.decode.Range;
import dev.memtrace.decode.Transfer;
import dev.memtrace.explain.Explainer.Pending;
import dev.memtrace.model.OpenFile;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.model.ShmSize;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Keeps each {@link Space} in step with the calls: tags follow mmap, munmap, mremap, mprotect and
 * brk; clone, fork and execve share, copy or replace spaces (open files are the model's). This runs
 * after the rules have read the state as it was before the call.
 */
final class State {
  private State() {}

  /**
   * The tagged spans in a munmap's range [a, end) that the model kept: a thread mapped them while
   * this munmap was running, with a line that came first (the model's reused ranges; memcached's
   * thread stack placed in the head of an arena reservation another thread was trimming). The model
   * removed nothing there, so their tags stay. None when the model reports no change at all (a
   * range it let go after a snapshot, or a trace without it): then the whole range goes.
   */
  private static List<TagMap.Span> reusedMeanwhile(Ctx c, long a, long end) {
    if (c.changes == null || c.changes.isEmpty()) {
      return List.of();
    }
    List<long[]> removed = new ArrayList<>();
    for (RegionChange ch : c.changes) {
      if (ch.op() == RegionChange.Op.REMOVED) {
        removed.add(new long[] {ch.before().start(), ch.before().end()});
      } else if (ch.op() == RegionChange.Op.CHANGED) {
        removed.add(new long[] {ch.before().start(), ch.after().start()});
        removed.add(new long[] {ch.after().end(), ch.before().end()});
      }
    }
    List<TagMap.Span> kept = new ArrayList<>();
    for (TagMap.Span s : c.sp.tags.overlapping(a, end)) {
      if (s.start() < a || s.end() > end) {
        continue;
      }
      boolean gone = false;
      for (long[] r : removed) {
        gone |= r[0] < s.end() && r[1] > s.start();
      }
      if (!gone) {
        kept.add(s);
      }
    }
    return kept;
  }

  /**
   * An mprotect(PROT_NONE) that failed with ENOMEM, as it does where nothing is mapped: remembered,
   * so that an mmap(MAP_FIXED, PROT_NONE) of the same range reads as the guard the program wanted.
   */
  private static void failedGuard(Ctx c) {
    if (c.name().equals("mprotect")
        && c.known()
        && c.ev.result() != null
        && "ENOMEM".equals(c.ev.result().errno())
        && c.prot().isEmpty()) {
      c.sp.failedGuardAddr = c.addr();
      c.sp.failedGuardLen = c.length();
      c.sp.failedGuardLine = c.line();
    }
  }

  /**
   * An anonymous mmap with MAP_HUGETLB that failed: remembered, so that the same thread's next
   * mapping, of a length that rounds up to it, reads as the fallback to ordinary pages.
   */
  private static void failedHuge(Ctx c) {
    if (c.name().equals("mmap")
        && c.known()
        && c.ev.result() != null
        && c.ev.result().errno() != null
        && c.mapFlags().contains("MAP_HUGETLB")
        && c.mapFlags().contains("MAP_ANONYMOUS")
        && !c.mapFlags().contains("MAP_FIXED")) {
      c.sp.failedHugeLine = c.line();
      c.sp.failedHugeLen = c.length();
      c.sp.failedHugePage = MappingRules.hugePageSize(c);
      c.sp.failedHugeNamed = MappingRules.hugePageNamed(c);
      c.sp.failedHugeShared = c.mapFlags().contains("MAP_SHARED");
      c.sp.failedHugeTid = c.tid();
      c.sp.failedHugeEvents = c.sp.memoryEvents;
    }
  }

  static void apply(Ctx c, Rule rule, Rule.Said said, Pending p, Explainer ex) {
    if (!c.ok()) {
      failedGuard(c);
      failedHuge(c);
      return;
    }
    Space sp = c.sp;
    sp.memoryEvents++;
    if (c.name().endsWith("mprotect")) {
      sp.protectSeen = true;
    }
    if (!sp.jvm && c.stackIn("/libjvm.so")) {
      sp.jvm = true; // -k shows HotSpot even where the trace missed libjvm.so being loaded
    }
    if (!c.known()) {
      sp.untouchedNone.clear(); // it may have reached any of them
      return; // no number to place a region by
    }
    reached(c);
    OptionalLong address = c.address();
    TagMap.Span before = address.isPresent() ? sp.tags.at(address.getAsLong()) : null;
    switch (c.name()) {
      case "mmap", "mmap2" -> {
        long start = c.result();
        long end = start + Glibc.alignUp(c.length(), Glibc.PAGE);
        RegionClass cls = said != null && said.cls() != null ? said.cls() : guess(c);
        String what =
            said != null && said.what() != null ? said.what() : c.length() + "-byte " + cls.label;
        Tag tag;
        if (said != null && said.within() != null) {
          tag = said.within().withClass(cls, what);
        } else {
          tag = new Tag(cls, what, said == null ? null : said.object(), c.line());
          tag.base(start);
        }
        sp.tags.put(start, end, tag);
        ex.origin(tag, p);
        if (c.anon() && c.prot().isEmpty() && !c.mapFlags().contains("MAP_SHARED")) {
          if (sp.untouchedNone.size() == Space.UNTOUCHED_KEPT) {
            sp.untouchedNone.removeFirst();
          }
          sp.untouchedNone.addLast(new Space.Untouched(c.line(), start, end));
        }
        Space.Freed freed = sp.lastFree.get(c.tid());
        if (freed != null && freed.nextMmap == 0) {
          freed.nextMmap = c.line();
        }
      }
      case "munmap" -> {
        long a = c.addr();
        TagMap.Span s = before;
        if (rule == MallocRules.FREE_MMAPPED && said != null && s != null) {
          Tag unmap = new Tag(RegionClass.MALLOC_MMAP, "freed chunk", null, c.line());
          ex.origin(unmap, p); // a later trim may show this was an aligned allocation's first try
          sp.lastFree.put(
              c.tid(), new Space.Freed(s.tag(), unmap, s.size(), c.line(), sp.mmapThreshold));
        }
        if (s != null && s.start() == sp.ioBuffer) {
          ex.append(
              s.tag(),
              new Explanation(
                  "io-buffer-freed",
                  "given back to the kernel by the munmap at line " + c.line(),
                  Explanation.Basis.ARITHMETIC,
                  List.of("munmap(" + Ctx.hex(a) + ", " + c.length() + ") matches this mapping")));
          sp.ioBuffer = -1;
        }
        if (a == sp.candidate) {
          sp.candidate = -1;
        }
        long end = a + Glibc.alignUp(c.length(), Glibc.PAGE);
        TagMap.Span last = sp.tags.at(end - 1);
        if (s != null && s.start() < a) {
          s.tag().cut(true);
        }
        if (last != null && last.end() > end) {
          last.tag().cut(true);
        }
        sp.unmapped(a, end, sp.tags.overlapping(a, end), c.line());
        List<TagMap.Span> reused = reusedMeanwhile(c, a, end);
        sp.tags.remove(a, end);
        for (TagMap.Span r : reused) {
          sp.tags.put(r.start(), r.end(), r.tag());
        }
        if (a == sp.cacheAddress) {
          sp.cacheAddress = -1;
          sp.startupCache = false;
        }
      }
      case "mprotect", "pkey_mprotect" -> {
        long a = c.addr();
        long end = a + Glibc.alignUp(c.length(), Glibc.PAGE);
        TagMap.Span s = before;
        if (said != null && said.cls() != null) {
          Tag base =
              said.within() != null
                  ? said.within()
                  : s != null ? s.tag() : new Tag(said.cls(), said.what(), null, c.line());
          Tag part = base.withClass(said.cls(), said.what());
          sp.tags.put(a, end, part);
          if (rule == ThreadRules.GUARD_ZONE) {
            ex.origin(part, p); // a sigaltstack may show it guards a signal stack, and retell it
          }
        }
      }
      case "mremap" -> {
        long old = c.addr();
        TagMap.Span s = sp.tags.at(old);
        String of = s == null ? null : remappedFrom(sp, old, c.length(), s.tag());
        sp.tags.remove(old, old + Glibc.alignUp(c.length(), Glibc.PAGE));
        long start = c.result();
        Tag t = s != null ? s.tag() : new Tag(RegionClass.ANON, "remapped region", null, c.line());
        if (said != null && said.cls() != null) {
          t = new Tag(said.cls(), said.what(), t.object(), c.line());
        } else if (s != null
            && t.cls() == RegionClass.ANON
            && (start != old || c.newLength() != c.length())) {
          // the program's own mapping, moved or resized: its size and place are this call's now,
          // so a later call names this line, not the mmap that made the old one
          t =
              new Tag(
                  RegionClass.ANON,
                  c.newLength() + "-byte anonymous mapping (mremap of " + of + ")",
                  t.object(),
                  c.line());
        }
        sp.tags.put(start, start + Glibc.alignUp(c.newLength(), Glibc.PAGE), t);
      }
      case "shmat" -> {
        ShmSize size = ex.shmSize(c.shmId());
        if (size != null && said != null && said.cls() != null) {
          Tag t = new Tag(said.cls(), said.what(), null, c.line());
          sp.tags.put(c.result(), c.result() + Glibc.alignUp(size.size(), Glibc.PAGE), t);
          ex.origin(t, p);
        }
      }
      case "io_setup" -> {
        // the ring the kernel mapped at the context id, as the model drew it
        if (said != null && said.cls() != null && !c.changes.isEmpty()) {
          Region ring = c.changes.get(0).after();
          if (ring != null) {
            Tag t = new Tag(said.cls(), said.what(), said.object(), c.line());
            sp.tags.put(ring.start(), ring.end(), t);
            ex.origin(t, p);
          }
        }
      }
      case "io_destroy" -> {
        OptionalLong ctx = ((IoSetup) c.call).ctx();
        TagMap.Span s = ctx.isPresent() ? sp.tags.at(ctx.getAsLong()) : null;
        if (s != null && s.start() == ctx.getAsLong()) {
          sp.tags.remove(s.start(), s.end());
        }
      }
      case "shmdt" -> {
        TagMap.Span s = sp.tags.at(c.addr());
        if (s != null && s.tag().cls() == RegionClass.SHARED_MEMORY) {
          sp.tags.remove(s.start(), s.end());
        }
      }
      case "brk" -> {
        long r = c.result();
        if (sp.startBrk < 0 && c.addr() == 0) {
          // glibc's first brk is always brk(0) (ld.so's, or a static binary's libc startup): the
          // start of [heap]. A space met later in its life (strace -p) first shows brk(x), from a
          // break whose start the trace does not show
          sp.startBrk = r;
        }
        if (sp.startBrk < 0) {
          sp.brk = r;
        } else if (r >= sp.startBrk) {
          TagMap.Span heap = sp.tags.at(sp.startBrk);
          int line =
              heap != null && heap.tag().cls() == RegionClass.HEAP ? heap.tag().line() : c.line();
          sp.tags.remove(sp.startBrk, Math.max(r, sp.brk));
          sp.brk = r;
          if (r > sp.startBrk) {
            Tag grown = new Tag(RegionClass.HEAP, "[heap]", null, line);
            sp.tags.put(sp.startBrk, r, grown);
            ex.origin(grown, p);
          }
        }
        sp.mallocStarted = sp.mallocStarted || (sp.startBrk < 0 ? c.addr() != 0 : r > sp.startBrk);
      }
      default -> {
        // other memory calls do not move regions
      }
    }
    if (rule != null && said != null) {
      rule.effect().apply(c, before);
    }
    // the peak is for the reports (the summary): without them, its table is not kept up
    long total = ex.keepsReports() ? sp.tags.total() : 0;
    if (total > sp.peak) {
      sp.peak = total;
      sp.peakLine = c.line();
      // A full table costs a walk over the ranges: with many ranges it is retaken only when
      // the peak has grown by 5% since, so a log that grows for ever stays near linear.
      if (sp.peakTally == null
          || sp.tags.size() < 256
          || total - sp.peakTally.total() > sp.peakTally.total() / 20) {
        sp.peakTally = Tally.of(sp.tags, sp.view);
        sp.peakTallyLine = c.line();
      }
    }
  }

  /**
   * What an mremap of [old, old + length) moved or resized, as the tag of its result names it: the
   * mapping made at the first span's line, or, where the range holds several of the program's own
   * anonymous mappings the kernel had merged into one area (mremap takes a range inside one area
   * only: LuaJIT's allocator trims a segment made of many), how many and the lines that made them.
   */
  private static String remappedFrom(Space sp, long old, long length, Tag first) {
    List<TagMap.Span> pieces = sp.tags.overlapping(old, old + Glibc.alignUp(length, Glibc.PAGE));
    if (pieces.size() < 2 || pieces.stream().anyMatch(x -> x.tag().cls() != RegionClass.ANON)) {
      return "the one made at line " + first.line();
    }
    int lo = Integer.MAX_VALUE;
    int hi = 0;
    for (TagMap.Span x : pieces) {
      lo = Math.min(lo, x.tag().line());
      hi = Math.max(hi, x.tag().line());
    }
    return "an area of "
        + pieces.size()
        + " adjacent mappings made between lines "
        + lo
        + " and "
        + hi
        + ", which the kernel had merged";
  }

  /**
   * The ranges a memory call that succeeded reaches, as {@link Space#reached} reads them: an mmap's
   * new mapping (over what it replaces, with MAP_FIXED), mremap's old and new ranges, another range
   * call's range; brk moves only the break. Any other call (shmat, io_setup) ends them all, which
   * costs only a later "nothing to drop".
   */
  private static void reached(Ctx c) {
    Space sp = c.sp;
    if (sp.untouchedNone.isEmpty()) {
      return;
    }
    if (c.call instanceof Mmap) {
      sp.reached(c.result(), c.result() + Glibc.alignUp(c.length(), Glibc.PAGE));
    } else if (c.call instanceof Mremap) {
      sp.reached(c.addr(), c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE));
      sp.reached(c.result(), c.result() + Glibc.alignUp(c.newLength(), Glibc.PAGE));
    } else if (c.call instanceof Range) {
      sp.reached(c.addr(), c.addr() + Glibc.alignUp(c.length(), Glibc.PAGE));
    } else if (!(c.call instanceof Brk)) {
      sp.untouchedNone.clear();
    }
  }

  /** A class for an mmap no rule claimed, from its flags alone. */
  static RegionClass guess(Ctx c) {
    if (!c.anon()) {
      return c.mapFlags().contains("MAP_SHARED")
          ? RegionClass.FILE_SHARED
          : RegionClass.FILE_PRIVATE;
    }
    if (c.mapFlags().contains("MAP_SHARED")) {
      return RegionClass.SHARED_MEMORY;
    }
    return c.prot().isEmpty() ? RegionClass.RESERVED : RegionClass.ANON;
  }

  /** The other calls the stage learns from: socket families, malloc's start. */
  static void applyOther(Ctx c, Explainer ex) {
    Space sp = c.sp;
    switch (c.name()) {
      case "socket" -> {
        String family = c.text(0);
        OpenFile f = c.ok() ? c.ex.openFile(c.ev.pid(), (int) c.call.returned()) : null;
        if (f != null && family != null && family.startsWith("AF_")) {
          sp.socketFamilies.put(f.key(), family);
        }
      }
      case "bpf" -> {
        OpenFile f =
            c.ok() && "BPF_MAP_CREATE".equals(c.text(0))
                ? c.ex.openFile(c.ev.pid(), (int) c.call.returned())
                : null;
        if (f != null) {
          sp.bpfMaps.put(f.key(), new Space.BpfMap(c.line(), c.call.field(1, "map_type")));
        }
      }
      case "setsockopt" -> {
        // packet_set_ring (net/packet/af_packet.c) allocates the ring an mmap of the socket maps
        long option = c.call.flags(2, LinuxFlags.PACKET_OPTION).orElse(0);
        OpenFile f =
            c.call.num(0).isPresent()
                ? c.ex.openFile(c.ev.pid(), (int) c.call.num(0).getAsLong())
                : null;
        if (c.ok()
            && f != null
            && c.call.flags(1, LinuxFlags.SOCKOPT_LEVEL).orElse(0) == LinuxFlags.SOL_PACKET
            && (option == LinuxFlags.PACKET_RX_RING || option == LinuxFlags.PACKET_TX_RING)) {
          sp.packetRings.put(
              f.key(),
              new Space.PacketRing(
                  c.line(),
                  option == LinuxFlags.PACKET_RX_RING ? "PACKET_RX_RING" : "PACKET_TX_RING"));
        }
      }
      case "access" -> {
        // dl_main asks for /etc/ld.so.preload before it loads the libraries; dlopen never does
        if ("/etc/ld.so.preload".equals(c.call.string(0))) {
          sp.preloadAsked = true;
        }
      }
      case "close", "pwrite64", "pwritev", "pwritev2" -> c.ex.writesTraced = true;
      case "write", "writev" -> {
        c.ex.writesTraced = true;
        if (c.call instanceof Transfer t && t.fd().orElse(-1) == 2) {
          if (c.name().equals("write")) {
            sp.jvmOptions.stderr(c.text(1));
          }
          if (c.ok() && c.known()) {
            // what glibc's fatal paths write just before they map their message (FatalRules)
            sp.stderrWrite =
                new Space.StderrWrite(
                    c.ev.pid(), c.line(), c.result(), t.pieces(), sp.memoryEvents);
          }
        }
      }
      case "lseek", "_llseek" -> {
        // a seek empties a stdio FILE's read buffer (_IO_new_file_seekoff resets the read pointers
        // and, off a block boundary, refills it with a read of its own, which is then the one
        // before the next read): what the FILE held before the seek is gone
        if (c.ok() && c.call.num(0).orElse(-2) == sp.lastReadFd) {
          sp.lastReadFd = -1;
        }
        if (c.ok()) {
          sp.seekFd = c.call.num(0).orElse(-1);
        }
      }
      case "getrandom" -> {
        Getrandom g = (Getrandom) c.call;
        if (g.length().orElse(0) == 8 && g.nonblocking()) {
          sp.mallocStarted = true;
        }
      }
      default -> {
        // nothing to remember
      }
    }
  }
}
