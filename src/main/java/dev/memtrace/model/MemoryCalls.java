package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.MAP_ANONYMOUS;
import static dev.memtrace.decode.LinuxFlags.MAP_DENYWRITE;
import static dev.memtrace.decode.LinuxFlags.MAP_FIXED;

import dev.memtrace.decode.Brk;
import dev.memtrace.decode.IoSetup;
import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.decode.Madvise;
import dev.memtrace.decode.Mbind;
import dev.memtrace.decode.Mlock;
import dev.memtrace.decode.Mmap;
import dev.memtrace.decode.Mprotect;
import dev.memtrace.decode.Mremap;
import dev.memtrace.decode.Munmap;
import dev.memtrace.decode.Shmat;
import dev.memtrace.decode.Shmctl;
import dev.memtrace.decode.Shmdt;
import dev.memtrace.decode.Shmget;
import dev.memtrace.trace.SyscallEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The memory calls, from a call's arguments to {@link MemoryOps}: which argument is which, which
 * flag table decodes it, what to say when an argument cannot be read.
 */
final class MemoryCalls {

  private MemoryCalls() {}

  static void register(Map<String, MemoryModel.Handler> h) {
    h.put("mmap", (m, t, e, a) -> mmap(m, t, e, (Mmap) a));
    // a 32-bit x86 process's mmap: the kernel takes the offset in pages, strace prints it in bytes
    // (its mmap_pgoff decoder multiplies by the page size), so it reads as mmap's
    h.put("mmap2", (m, t, e, a) -> mmap(m, t, e, (Mmap) a));
    h.put(
        "munmap",
        (m, t, e, a) -> {
          Munmap c = (Munmap) a;
          OptionalLong addr = c.addr();
          OptionalLong len = c.length();
          return addr.isPresent() && len.isPresent()
              ? MemoryOps.munmap(t.mm, addr.getAsLong(), len.getAsLong(), () -> m.others(t))
              : unreadable("munmap");
        });
    h.put("mprotect", (m, t, e, a) -> mprotect(m, t, e, (Mprotect) a));
    h.put("pkey_mprotect", (m, t, e, a) -> mprotect(m, t, e, (Mprotect) a));
    h.put("mremap", (m, t, e, a) -> mremap(m, t, e, (Mremap) a));
    h.put(
        "brk",
        (m, t, e, a) -> {
          OptionalLong req = ((Brk) a).addr();
          if (req.isEmpty()) {
            return unreadable("brk");
          }
          Outcome unseen = Outcome.NONE;
          if (req.getAsLong() == 0 && unseenExec(t.mm, a.returned()) && m.alone(t)) {
            unseen =
                Outcome.note(
                    "brk(NULL) returned "
                        + MemoryOps.hex(a.returned())
                        + ", not the break "
                        + MemoryOps.hex(t.mm.brk())
                        + " of this task's address space: only brk and execve move it, so an"
                        + " execve the trace does not show replaced the space; the model starts a"
                        + " fresh one here");
            ProcessCalls.freshSpace(m, t);
          }
          boolean fresh = t.mm.freshExec;
          t.mm.freshExec = false;
          Outcome o = MemoryOps.brk(t.mm, req.getAsLong(), a.returned(), fresh, e.ref());
          return unseen == Outcome.NONE ? o : unseen;
        });
    h.put(
        "madvise",
        (m, t, e, a) -> {
          Madvise c = (Madvise) a;
          OptionalLong addr = c.addr();
          OptionalLong len = c.length();
          OptionalLong advice = c.advice();
          if (addr.isEmpty() || len.isEmpty()) {
            return unreadable("madvise");
          }
          if (advice.isEmpty()) {
            return Outcome.note(
                "unknown madvise advice "
                    + a.text(2)
                    + ": whether it splits the region is unknown");
          }
          return MemoryOps.madvise(t.mm, addr.getAsLong(), len.getAsLong(), advice.getAsLong());
        });
    h.put("mlock", (m, t, e, a) -> lock(t, (Mlock) a));
    h.put("mlock2", (m, t, e, a) -> lock(t, (Mlock) a));
    h.put("munlock", (m, t, e, a) -> lock(t, (Mlock) a));
    h.put(
        "mbind",
        (m, t, e, a) -> {
          Mbind c = (Mbind) a;
          OptionalLong addr = c.addr();
          OptionalLong len = c.length();
          return addr.isPresent() && len.isPresent() && c.mode() != null
              ? MemoryOps.mempolicy(t.mm, addr.getAsLong(), len.getAsLong(), !c.removes())
              : unreadable("mbind");
        });
    h.put(
        "mlockall",
        (m, t, e, a) -> {
          OptionalLong f = a.flags(0, LinuxFlags.MLOCKALL);
          if (f.isEmpty()) {
            return unreadable("mlockall");
          }
          long v = f.getAsLong();
          return MemoryOps.lockAll(
              t.mm, (v & LinuxFlags.MCL_CURRENT) != 0, (v & LinuxFlags.MCL_FUTURE) != 0, false);
        });
    h.put("munlockall", (m, t, e, a) -> MemoryOps.lockAll(t.mm, false, false, true));
    h.put(
        "shmget",
        (m, t, e, a) -> {
          Shmget c = (Shmget) a;
          OptionalLong size = c.segmentSize();
          OptionalLong key = c.key();
          if (size.isPresent()) {
            // ids are system-wide: a shmget that finds an existing segment (PostgreSQL's
            // dsm_impl_sysv passes size 0 to attach) says nothing of its size, which the one that
            // made it with IPC_CREAT|IPC_EXCL told
            ShmSize told = new ShmSize(size.getAsLong(), e.ref(), false);
            if (c.created()) {
              m.shmSizes.put(a.returned(), told);
            } else if (size.getAsLong() > 0) {
              m.shmSizes.putIfAbsent(a.returned(), told);
            }
            m.shmKeys.put(a.returned(), key.orElse(0));
          }
          return Outcome.NONE;
        });
    h.put(
        "shmctl",
        (m, t, e, a) -> {
          // IPC_STAT's shm_segsz is the kernel's own size of the segment
          Shmctl c = (Shmctl) a;
          OptionalLong size = c.statSize();
          if (size.isPresent() && c.id().isPresent()) {
            m.shmSizes.put(c.id().getAsLong(), new ShmSize(size.getAsLong(), e.ref(), true));
          }
          return Outcome.NONE;
        });
    h.put(
        "shmat",
        (m, t, e, a) -> {
          Shmat c = (Shmat) a;
          OptionalLong id = c.id();
          long flags = c.flags().orElse(0);
          ShmSize told = id.isPresent() ? m.shmSizes.get(id.getAsLong()) : null;
          Long size = told == null ? null : told.size();
          long key = id.isPresent() ? m.shmKeys.getOrDefault(id.getAsLong(), 0L) : 0;
          String name = String.format("/SYSV%08x (deleted)", key);
          return MemoryOps.shmat(
              t.mm, a.returned(), size, flags, name, id.orElse(0) + (1L << 40), e.ref());
        });
    h.put(
        "io_setup",
        (m, t, e, a) -> {
          IoSetup c = (IoSetup) a;
          return c.ctx().isPresent() && c.nrEvents().isPresent()
              ? MemoryOps.aioSetup(
                  t.mm, c.ctx().getAsLong(), c.nrEvents().getAsLong(), m.newKey(), e.ref())
              : unreadable("io_setup");
        });
    h.put(
        "io_destroy",
        (m, t, e, a) -> {
          OptionalLong ctx = ((IoSetup) a).ctx();
          return ctx.isPresent()
              ? MemoryOps.aioDestroy(t.mm, ctx.getAsLong())
              : unreadable("io_destroy");
        });
    h.put(
        "shmdt",
        (m, t, e, a) -> {
          OptionalLong addr = ((Shmdt) a).addr();
          return addr.isPresent() ? MemoryOps.shmdt(t.mm, addr.getAsLong()) : unreadable("shmdt");
        });
  }

  /** ld.so mapping a segment of a library over its reserved span. */
  private static final long LDSO_SEGMENT = MAP_FIXED | MAP_DENYWRITE;

  private static Outcome mmap(MemoryModel m, Task t, SyscallEvent e, Mmap a) {
    OptionalLong len = a.length();
    OptionalLong prot = a.prot();
    OptionalLong flags = a.flags();
    long result = a.returned();
    if (len.isEmpty()) {
      return unreadable("mmap");
    }
    List<String> notes = new ArrayList<>();
    if (flags.isEmpty()) {
      notes.add(
          "unknown mmap flags "
              + a.text(3)
              + ": shared or private, file or"
              + " anonymous is unknown");
      Outcome o =
          MemoryOps.mmap(
              t.mm,
              len.getAsLong(),
              (int) prot.orElse(-1),
              0x02,
              Backing.unknown("[unknown]"),
              a.offset().orElse(0),
              result,
              e.ref(),
              0,
              () -> m.others(t));
      return withNotes(o, notes);
    }
    if (prot.isEmpty()) {
      notes.add("unknown protection " + a.text(2));
    }
    Backing backing = Backing.ANONYMOUS;
    if ((flags.getAsLong() & MAP_ANONYMOUS) == 0) {
      backing = FileCalls.backingOf(m, t, a, 4);
      if (backing == null) {
        // Some file: it merges with nothing else (its own key), its name says what is unknown.
        backing =
            new Backing(
                Backing.Kind.FILE,
                Backing.unknownFileName(a.text(4)),
                Backing.NO_DEV,
                0,
                m.newKey());
        notes.add(
            "the file behind fd "
                + a.text(4)
                + (m.sawOpen
                    ? " is unknown (opened before the trace began, or by a call the model does not"
                        + " follow)"
                    : " is unknown: the log shows no open call up to here, for any file, which fits"
                        + " strace -e trace= leaving them out (%memory and %process do; -e"
                        + " trace=%memory,%process,%file or -y names the file), or it was opened"
                        + " before the trace began"));
      }
    }
    if ((flags.getAsLong() & MAP_ANONYMOUS) == 0
        && (flags.getAsLong() & LinuxFlags.MAP_SHARED) != 0
        && (prot.orElse(0) & LinuxFlags.PROT_WRITE) != 0) {
      FileContents.mappedShared(m, a.num(4), t, e.ref());
    }
    if (m.elfFiles() != null
        && backing.kind() == Backing.Kind.FILE
        && backing.path().startsWith("/")
        && (flags.getAsLong() & LDSO_SEGMENT) == LDSO_SEGMENT) {
      m.elfFiles().traceShowsSegment(backing.path(), a.offset().orElse(0), len.getAsLong());
    }
    Outcome o =
        MemoryOps.mmap(
            t.mm,
            len.getAsLong(),
            (int) prot.orElse(-1),
            flags.getAsLong(),
            backing,
            a.offset().orElse(0),
            result,
            e.ref(),
            m.newKey(),
            () -> m.others(t));
    return withNotes(o, notes);
  }

  private static Outcome mprotect(MemoryModel m, Task t, SyscallEvent e, Mprotect a) {
    OptionalLong addr = a.addr();
    OptionalLong len = a.length();
    OptionalLong prot = a.prot();
    if (addr.isEmpty() || len.isEmpty()) {
      return unreadable(e.name());
    }
    if (prot.isEmpty()) {
      return Outcome.note(
          "unknown protection "
              + a.text(2)
              + ": the model leaves "
              + MemoryModel.range(addr.getAsLong(), addr.getAsLong() + len.getAsLong())
              + " as it was");
    }
    boolean waiting =
        !t.mm.unplaced.isEmpty()
            && prot.getAsLong() == 1
            && !t.mm.overlaps(addr.getAsLong(), addr.getAsLong() + len.getAsLong());
    if (waiting) {
      // placed first: the mprotect then finds the image's data segment, and says nothing of
      // memory it did not know (the maps command, placing the image from the execve on, agrees)
      List<RegionChange> placed =
          ExecImages.relro(
              m, t.mm, addr.getAsLong(), len.getAsLong(), (int) prot.getAsLong(), e.ref());
      if (!placed.isEmpty()) {
        return new Outcome(placed, List.of());
      }
    }
    Outcome o = MemoryOps.mprotect(t.mm, addr.getAsLong(), len.getAsLong(), (int) prot.getAsLong());
    if (!waiting) {
      return o;
    }
    m.elfProblem(
        "line "
            + e.ref()
            + " looks like ld.so's RELRO mprotect of memory the kernel mapped at execve, but its"
            + " length fits the RELRO segment of none of "
            + String.join(", ", t.mm.unplacedImages())
            + " as read here: the files may differ from the traced ones, and they stay"
            + " unplaced");
    t.mm.unplaced.forEach(m.waiting::remove); // said: not again at the end
    return o;
  }

  private static Outcome mremap(MemoryModel m, Task t, SyscallEvent e, Mremap a) {
    OptionalLong old = a.addr();
    OptionalLong oldLen = a.length();
    OptionalLong newLen = a.newLength();
    OptionalLong flags = a.flags();
    if (old.isEmpty() || oldLen.isEmpty() || newLen.isEmpty()) {
      return unreadable("mremap");
    }
    List<String> notes = new ArrayList<>();
    if (flags.isEmpty()) {
      notes.add("unknown mremap flags " + a.text(3));
    }
    return withNotes(
        MemoryOps.mremap(
            t.mm,
            old.getAsLong(),
            oldLen.getAsLong(),
            newLen.getAsLong(),
            flags.orElse(0),
            a.returned(),
            e.ref()),
        notes);
  }

  private static Outcome lock(Task t, Mlock a) {
    OptionalLong addr = a.addr();
    OptionalLong len = a.length();
    return addr.isPresent() && len.isPresent()
        ? MemoryOps.lock(t.mm, addr.getAsLong(), len.getAsLong(), a.locks())
        : unreadable("mlock");
  }

  static Outcome unreadable(String call) {
    return Outcome.note(
        "the arguments of this "
            + call
            + " could not be read: its effect is"
            + " unknown to the model");
  }

  private static Outcome withNotes(Outcome o, List<String> notes) {
    if (notes.isEmpty()) {
      return o;
    }
    List<String> all = new ArrayList<>(notes);
    all.addAll(o.notes());
    return new Outcome(o.changes(), all);
  }

  /**
   * Whether a brk(NULL) that returned {@code returned} shows an execve the trace does not show
   * ({@code strace -e trace=} without execve: {@code %memory}, or a list of memory calls): the
   * break moves only by brk and by execve (a prctl PR_SET_MM_BRK aside, which checkpoint/restore
   * tools use), so a query that finds it elsewhere than the space's last brk left it, in a space
   * whose break the trace showed, finds a new image's. The caller also asks that no other task
   * shares the space: threads merged from {@code -ff} files without times may come out of order.
   */
  static boolean unseenExec(AddressSpace s, long returned) {
    return !s.freshExec && s.brk() != AddressSpace.UNKNOWN && s.brk() != returned;
  }
}
