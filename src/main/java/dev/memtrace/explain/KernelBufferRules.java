package dev.memtrace.explain;

import static dev.memtrace.explain.Ctx.hex;
import static dev.memtrace.explain.When.*;

import dev.memtrace.decode.IoSetup;
import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.decode.Mmap;
import dev.memtrace.explain.Rule.Said;
import dev.memtrace.model.AioRing;
import dev.memtrace.model.OpenFile;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.RawText;
import java.util.List;

/**
 * Memory the kernel allocates and shares with the process through an mmap of a special fd or a call
 * of its own: a perf event's ring buffer (perf_mmap, kernel/events/core.c), a packet socket's ring
 * (packet_mmap, net/packet/af_packet.c), another socket's or anon_inode's mapping, and the AIO
 * completion ring io_setup maps (aio_setup_ring, fs/aio.c). None is a file's pages.
 */
final class KernelBufferRules {
  private KernelBufferRules() {}

  static List<Rule> rules() {
    return List.of(
        Rule.on("aio-ring", "io_setup")
            .when(ok(), c -> ((IoSetup) c.call).ctx().isPresent())
            .effect(
                (c, before) -> c.sp.aioRings.put(((IoSetup) c.call).ctx().getAsLong(), c.line()))
            .says(KernelBufferRules::aioRing),
        Rule.on("aio-ring-unmap", "io_destroy")
            .when(ok(), c -> ((IoSetup) c.call).ctx().isPresent())
            .says(KernelBufferRules::aioDestroy),
        Rule.on("perf-ring", "mmap")
            .when(ok(), file(), c -> OpenFile.PERF_EVENT.equals(c.fileObject()))
            .says(KernelBufferRules::perfRing),
        Rule.on("packet-ring", "mmap")
            .when(ok(), file(), c -> ringSetUp(c) != null || "AF_PACKET".equals(family(c)))
            .says(KernelBufferRules::packetRing),
        Rule.on("bpf-map", "mmap")
            .when(ok(), file(), c -> OpenFile.BPF_MAP.equals(c.fileObject()))
            .says(KernelBufferRules::bpfMap),
        Rule.on("kernel-object-map", "mmap")
            .when(ok(), file(), flag("MAP_SHARED"), c -> kernelObject(c.fileObject()))
            .says(KernelBufferRules::kernelObjectMap));
  }

  /**
   * An mmap of a perf_event_open fd (perf_mmap, kernel/events/core.c): from offset 0 the event's
   * ring buffer, one control page (struct perf_event_mmap_page) and 2^n data pages, else its AUX
   * area; the kernel's own pages, VM_DONTCOPY, charged as locked memory.
   */
  private static Said perfRing(Ctx c) {
    long fd = c.fd().orElse(-1);
    long pages = (c.length() + LinuxFlags.PAGE - 1) / LinuxFlags.PAGE;
    long data = pages - 1;
    boolean ring = c.offset() == 0;
    String what;
    if (!ring) {
      what =
          " at offset "
              + hex(c.offset())
              + ": its AUX area, where hardware tracing (such as Intel PT) writes its data, at the"
              + " aux_offset and aux_size the program wrote into the event's control page";
    } else if (data == 0) {
      what =
          " from offset 0: only its control page (struct perf_event_mmap_page), no data pages: no"
              + " records reach the program through it; it reads the event's count and time"
              + " fields from that page";
    } else {
      what =
          " from offset 0: its ring buffer, 1 control page (struct perf_event_mmap_page: data_head,"
              + " data_tail, time fields) and "
              + data
              + " data pages (perf_mmap takes 1 + 2^n pages) that the kernel writes the event's"
              + " records into (samples, and mmap, comm or lost records); rb_alloc allocates it"
              + " at this call unless the event already had one (an earlier mmap of it, or"
              + " PERF_EVENT_IOC_SET_OUTPUT to another event)"
              + (c.prot().contains("PROT_WRITE")
                  ? ". Mapped writable: the program stores in data_tail how far it has read, and the"
                      + " kernel never overwrites records not yet read (it drops new ones and"
                      + " counts them lost)"
                  : ". Mapped read-only: the kernel overwrites the oldest records (overwrite"
                      + " mode), as nobody tells it how far the program has read");
    }
    return Said.of(
            "the program maps "
                + c.length()
                + " bytes of the perf event behind fd "
                + fd
                + " (perf_event_open's fd, "
                + OpenFile.PERF_EVENT
                + " in maps)"
                + what
                + ". These are the kernel's own pages, not a file's: nothing is read in and there"
                + " is no end of file to fault at. perf_mmap (kernel/events/core.c) marks the"
                + " mapping VM_DONTCOPY, so a child made by fork does not get it, and counts its"
                + " pages as locked memory (against perf_event_mlock_kb per user, the excess"
                + " against RLIMIT_MEMLOCK)",
            Basis.ARITHMETIC,
            "fd "
                + fd
                + " is "
                + OpenFile.PERF_EVENT
                + ", "
                + pages
                + " pages at offset "
                + hex(c.offset()))
        .tag(
            RegionClass.SHARED_MEMORY,
            (ring ? "perf ring buffer of fd " : "perf AUX area of fd ") + fd,
            OpenFile.PERF_EVENT);
  }

  /**
   * The setsockopt that set up a packet ring on the socket an mmap maps, or null when the trace
   * showed none on it.
   */
  private static Space.PacketRing ringSetUp(Ctx c) {
    OpenFile f = c.mappedFd();
    return f == null || !f.path().startsWith("socket:") ? null : c.sp.packetRings.get(f.key());
  }

  /** Whether the trace printed the inode of the socket an mmap maps (-y): socket:[12345]. */
  private static boolean inodeShown(Ctx c) {
    OpenFile f = c.mappedFd();
    return ((Mmap) c.call).fdPath() != null || f != null && f.knownPath() != null;
  }

  /** The family socket() gave the socket an mmap maps, or null when the trace did not show it. */
  private static String family(Ctx c) {
    OpenFile f = c.mappedFd();
    return f == null || !f.path().startsWith("socket:") ? null : c.sp.socketFamilies.get(f.key());
  }

  /**
   * An mmap of an AF_PACKET socket whose ring setsockopt the trace showed (packet_mmap,
   * net/packet/af_packet.c): the ring blocks packet_set_ring allocated, every page inserted now.
   */
  private static Said packetRing(Ctx c) {
    long fd = c.fd().orElse(-1);
    Space.PacketRing set = ringSetUp(c);
    String name = RawText.name(c.fileObject());
    return Said.of(
            "the program maps "
                + c.length()
                + " bytes of the packet socket behind fd "
                + fd
                + " ("
                + (inodeShown(c) ? name + " in maps" : "its inode not in the trace")
                + "): the ring memory "
                + (set != null
                    ? "setsockopt(SOL_PACKET, " + set.option() + ") at line " + set.line()
                    : "a setsockopt(SOL_PACKET, PACKET_RX_RING or PACKET_TX_RING) the trace does"
                        + " not show (packet_mmap maps nothing without one)")
                + " made the kernel allocate (packet_set_ring's alloc_pg_vec,"
                + " net/packet/af_packet.c). packet_mmap takes exactly the rings' size from offset"
                + " 0 (the receive ring first, then the transmit ring) and inserts every page of"
                + " them during the call (vm_insert_page): the kernel's own pages, not a file's, so"
                + " nothing faults in later and there is no end of file to fault at. The kernel"
                + " writes each received frame straight into the receive ring and the program"
                + " hands a frame (TPACKET_V3: a block) back by setting its status to"
                + " TP_STATUS_KERNEL, so no read or recv copies the packets; what it writes into a"
                + " transmit ring goes out on send. A child made by fork gets the same mapping",
            Basis.ARITHMETIC,
            "fd "
                + fd
                + " is "
                + name
                + (set != null
                    ? ", a packet ring set up at line " + set.line()
                    : ", an AF_PACKET socket"))
        .tag(RegionClass.SHARED_MEMORY, "packet ring of fd " + fd, c.fileObject());
  }

  /**
   * An mmap of a BPF map's fd (bpf_map_mmap, kernel/bpf/syscall.c): the map's own memory, which
   * only a map type with a map_mmap operation lends (an array made with BPF_F_MMAPABLE, a ring
   * buffer, an arena); only MAP_SHARED, and a read-only mapping loses VM_MAYWRITE.
   */
  private static Said bpfMap(Ctx c) {
    long fd = c.fd().orElse(-1);
    OpenFile f = c.mappedFd();
    Space.BpfMap map = f == null ? null : c.sp.bpfMaps.get(f.key());
    String made;
    if (map == null) {
      made =
          ": a map type that lends its memory (an array created with BPF_F_MMAPABLE, its values;"
              + " a ring buffer, its pages; an arena), made by a bpf(BPF_MAP_CREATE) the trace"
              + " does not show";
    } else if ("BPF_MAP_TYPE_ARRAY".equals(map.type())) {
      made =
          ", the array bpf(BPF_MAP_CREATE) made at line "
              + map.line()
              + " with BPF_F_MMAPABLE: its values, element i at i × value_size rounded up to 8"
              + " bytes from offset 0 of the map's memory";
    } else {
      made =
          ", the "
              + (map.type() == null ? "map" : RawText.name(map.type()))
              + " bpf(BPF_MAP_CREATE) made at line "
              + map.line()
              + ": the memory that map type lends";
    }
    return Said.of(
            "the program maps "
                + c.length()
                + " bytes of the BPF map behind fd "
                + fd
                + " ("
                + OpenFile.BPF_MAP
                + " in maps) from offset "
                + c.offset()
                + made
                + ". The kernel allocated it with the map; BPF programs and bpf(BPF_MAP_*_ELEM)"
                + " calls read and write the same pages, no file's (bpf_map_mmap,"
                + " kernel/bpf/syscall.c, takes only MAP_SHARED)"
                + (c.prot().contains("PROT_WRITE")
                    ? ""
                    : "; mapped without PROT_WRITE, it can never be made writable by mprotect"
                        + " (VM_MAYWRITE is cleared)"),
            Basis.ARITHMETIC,
            "fd " + fd + " is " + OpenFile.BPF_MAP)
        .tag(RegionClass.SHARED_MEMORY, "BPF map of fd " + fd, OpenFile.BPF_MAP);
  }

  /**
   * A region the kernel's own pages fill, as maps names it: an anon_inode's or a socket's mapping
   * (perf, io_uring, BPF map, packet rings) or io_setup's AIO ring; none has an fsync.
   */
  static boolean kernelMemory(String path) {
    return path != null
        && (path.startsWith("anon_inode:")
            || path.startsWith("socket:")
            || path.equals(AioRing.NAME));
  }

  /** A region holding the kernel's own pages, shared with the process ({@link #kernelMemory}). */
  static boolean sharedKernelMemory(Region r) {
    return r != null && r.perms() != null && r.perms().endsWith("s") && kernelMemory(r.path());
  }

  /** An object with no file behind it that an fd names: an anon_inode or a socket, not io_uring. */
  static boolean kernelObject(String path) {
    // io_uring's rings have their own row (io-uring-ring)
    return path != null
        && !path.equals(OpenFile.IO_URING)
        && (path.startsWith("anon_inode:") || path.startsWith("socket:"));
  }

  /**
   * A shared mmap of a socket or anon_inode fd no other row knows: the object's own mmap handler
   * decides what the pages are, so the file-mapping sentence (page cache, SIGBUS past the end of
   * the file) is not said.
   */
  private static Said kernelObjectMap(Ctx c) {
    long fd = c.fd().orElse(-1);
    String path = c.fileObject();
    boolean socket = path.startsWith("socket:");
    // the model's name for a socket whose inode the trace did not print is no name to show
    String name =
        socket && !inodeShown(c)
            ? "the socket behind fd " + fd + " (its inode not in the trace)"
            : RawText.name(path) + " (fd " + fd + ")";
    return Said.of(
            "the program maps "
                + c.length()
                + " bytes of "
                + name
                + " from offset "
                + c.offset()
                + " ("
                + c.protText()
                + ", MAP_SHARED): "
                + (socket
                    ? socketMemory(family(c))
                    : "an object with no file behind it (an anon_inode): its pages are what that"
                        + " object's own mmap handler gives, which memtrace does not know for"
                        + " this one")
                + "; a file mapping's page cache and its end of file need not apply",
            Basis.ARITHMETIC,
            "fd " + fd + " is " + (socket ? "a socket" : RawText.name(path)))
        .tag(
            RegionClass.SHARED_MEMORY,
            socket ? "socket mapping of fd " + fd : "mapping of " + RawText.name(path),
            path);
  }

  /**
   * What a socket's mmap maps, by the family socket() gave it (null: not in the trace): a socket of
   * another family has no mmap (sock_no_mmap), so the call could not have succeeded on it.
   */
  private static String socketMemory(String family) {
    String xdp =
        "an AF_XDP socket's rings (RX, TX, fill or completion ring by the offset, xsk_mmap)";
    String tcp =
        "TCP's zero-copy receive area (tcp_mmap, filled by getsockopt TCP_ZEROCOPY_RECEIVE)";
    if (family == null) {
      return "a socket, not a file: what the pages are depends on its family, which the trace"
          + " does not show: an AF_PACKET socket's rings (set up by setsockopt PACKET_RX_RING or"
          + " PACKET_TX_RING), "
          + xdp
          + ", or "
          + tcp;
    }
    if (family.equals("AF_XDP")) {
      return "an AF_XDP socket, not a file: " + xdp;
    }
    if (family.equals("AF_INET") || family.equals("AF_INET6")) {
      return "an " + family + " socket, not a file: " + tcp;
    }
    return "a socket of family "
        + family
        + ", not a file: what its protocol's mmap handler gives, which memtrace does not know";
  }

  /**
   * io_setup: the AIO context id it writes back is the address of the completion ring the kernel
   * mapped itself (aio_setup_ring's do_mmap, fs/aio.c: MAP_SHARED, PROT_READ | PROT_WRITE, an
   * "[aio]" file of the aio pseudo-filesystem). Its size depends on the number of possible CPUs,
   * which the trace does not show: said for the range of CPU counts that give the same pages.
   */
  private static Said aioRing(Ctx c) {
    IoSetup s = (IoSetup) c.call;
    long n = s.nrEvents().orElse(0);
    long ctx = s.ctx().getAsLong();
    long pages = AioRing.pages(n, 1);
    long cpus = AioRing.cpusUpTo(n);
    return Said.of(
            "io_setup("
                + n
                + ") made an AIO context whose id, "
                + hex(ctx)
                + ", is the address of its completion ring: the kernel mapped the ring into the"
                + " process itself, with no mmap call (aio_setup_ring's do_mmap, fs/aio.c),"
                + " PROT_READ|PROT_WRITE and MAP_SHARED, shown as "
                + AioRing.NAME
                + " rw-s in maps. It"
                + " holds a 32-byte header (struct aio_ring) and 2 × max("
                + n
                + ", 4 × CPUs) + 2 slots of 32 bytes (struct io_event), CPUs being the possible CPUs,"
                + " which the trace does not show: "
                + pages * LinuxFlags.PAGE
                + " bytes ("
                + pages
                + (pages == 1 ? " page" : " pages")
                + ") with up to "
                + cpus
                + (cpus == 1 ? " CPU" : " CPUs")
                + ", more with more. The kernel writes each finished request's io_event into it and"
                + " io_getevents copies them out from there (aio_read_events); io_destroy, or the"
                + " process's exit, unmaps it",
            Basis.ARITHMETIC,
            "io_setup wrote back " + hex(ctx),
            pages + " pages for up to " + cpus + " CPUs")
        .tag(RegionClass.SHARED_MEMORY, "AIO ring of context " + hex(ctx), AioRing.NAME);
  }

  /**
   * io_destroy: kill_ioctx unmaps the context's ring (vm_munmap, fs/aio.c), and the call waits for
   * the requests still in flight.
   */
  private static Said aioDestroy(Ctx c) {
    long ctx = ((IoSetup) c.call).ctx().getAsLong();
    Integer made = c.sp.aioRings.get(ctx);
    return Said.of(
        "io_destroy("
            + hex(ctx)
            + ") ends the AIO context "
            + (made != null
                ? "io_setup made at line " + made
                : "whose io_setup the trace does not show")
            + ": the kernel cancels what it can of the requests still in flight, unmaps the"
            + " context's completion ring at "
            + hex(ctx)
            + " (kill_ioctx's vm_munmap, fs/aio.c; the /[aio] (deleted) mapping goes from maps)"
            + " and waits for the requests to finish before it returns",
        Basis.ARITHMETIC,
        "io_destroy of " + hex(ctx));
  }
}
