package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Memory the kernel hands out through an mmap of a special fd: a perf event's ring buffer
 * (perf_mmap, kernel/events/core.c) and a packet socket's ring (packet_mmap,
 * net/packet/af_packet.c). Neither is a file's pages: nothing is read in, there is no end of file
 * to fault at. Lines of strace -f -tt -T (without -y, so the model's fd table names the fd) of
 * {@code perf record -o p.data -- sleep 0.1} and of {@code tcpdump -i lo -c 5} while {@code ping -c
 * 3 127.0.0.1} ran (libpcap's TPACKET_V3 ring), and of strace -y of the same tcpdump, cut to the
 * calls that matter. A live run's snapshots showed each as anon_inode:[perf_event] rw-s and
 * socket:[787695] rw-s.
 */
class KernelBuffersTest {

  private static Path log(String name) throws URISyntaxException {
    return Path.of(KernelBuffersTest.class.getResource("/logs-extra/" + name).toURI());
  }

  @Test
  void aPerfEventsRingIsTheKernelsPagesNotASharedFileMapping() throws Exception {
    Run.Out out = Run.explain(log("perf_record_rings.log"));
    assertThat(out.why(3))
        .startsWith("the program maps 528384 bytes of the perf event behind fd 5")
        .contains("1 control page (struct perf_event_mmap_page")
        .contains("128 data pages")
        .contains("VM_DONTCOPY, so a child made by fork does not get it")
        .contains("Mapped writable: the program stores in data_tail")
        .doesNotContain("SIGBUS")
        .doesNotContain("writes go to the file")
        .doesNotContain("inferred");
    assertThat(out.at(3).why().get(0).rule()).isEqualTo("perf-ring");
    assertThat(out.at(3).changes().get(0).after().path()).isEqualTo("anon_inode:[perf_event]");
    // perf writes the records it finds in the ring's data area, past the control page, to p.data
    assertThat(out.why(4))
        .isEqualTo(
            "the buffer at 0x7f4a24757000 is 4096 bytes into the perf ring buffer of fd 5 made at"
                + " line 3 (shared memory)");
  }

  @Test
  void aPacketSocketsRingIsTheMemoryItsSetsockoptAllocated() throws Exception {
    Run.Out out = Run.explain(log("tcpdump_packet_ring.log"));
    assertThat(out.why(4))
        .startsWith("the program maps 2097152 bytes of the packet socket behind fd 4")
        .contains("setsockopt(SOL_PACKET, PACKET_RX_RING) at line 3")
        .contains("vm_insert_page")
        .contains("behind fd 4 (its inode not in the trace)")
        .doesNotContain("SIGBUS")
        .doesNotContain("writes go to the file")
        .doesNotContain("Pages are read in");
    assertThat(out.at(4).why().get(0).rule()).isEqualTo("packet-ring");
    assertThat(out.why(6)).startsWith("unmaps the packet ring of fd 4 made at line 4");
  }

  @Test
  void anAfPacketSocketMappedWithoutItsSetsockoptInTheTraceIsStillItsRing() throws Exception {
    Run.Out out = Run.explain(log("tcpdump_socket_map_y.log"));
    assertThat(out.why(2))
        .startsWith(
            "the program maps 2097152 bytes of the packet socket behind fd 4 (socket:[787695]")
        .contains("a setsockopt(SOL_PACKET, PACKET_RX_RING or PACKET_TX_RING) the trace does not")
        .doesNotContain("SIGBUS");
  }

  @Test
  void aSocketOfUnknownFamilyIsNotToldAsAFile() throws Exception {
    // the same mmap with the socket() line cut: the family is not in the trace
    String lines = Files.readString(log("tcpdump_socket_map_y.log"));
    Run.Out out = Run.explain(lines.substring(lines.indexOf('\n') + 1));
    assertThat(out.why(1))
        .startsWith("the program maps 2097152 bytes of socket:[787695] (fd 4)")
        .contains("which the trace does not show")
        .contains("AF_PACKET")
        .doesNotContain("SIGBUS")
        .doesNotContain("writes go to the file");
    assertThat(out.at(1).why().get(0).rule()).isEqualTo("kernel-object-map");
  }

  @Test
  void ioSetupMapsAnAioRingAtTheContextIdAndIoDestroyUnmapsIt() throws Exception {
    // fio --ioengine=libaio: io_setup(1) on a machine with 2 possible CPUs; a live snapshot after
    // it showed 7fd3...-+4 KiB rw-s /[aio] (deleted), gone after io_destroy
    Run.Out out = Run.explain(log("fio_libaio_ring.log"));
    assertThat(out.why(1))
        .startsWith("io_setup(1) made an AIO context whose id, 0x7fd3ad1d2000, is the address of")
        .contains("aio_setup_ring")
        .contains("/[aio] (deleted) rw-s")
        .contains("4096 bytes (1 page) with up to 15 CPUs");
    assertThat(out.at(1).why().get(0).rule()).isEqualTo("aio-ring");
    assertThat(out.at(1).changes()).hasSize(1);
    assertThat(out.at(1).changes().get(0).after().path()).isEqualTo("/[aio] (deleted)");
    assertThat(out.at(1).changes().get(0).after().perms()).isEqualTo("rw-s");
    assertThat(out.at(1).changes().get(0).after().end() - 0x7fd3ad1d2000L).isEqualTo(4096);
    assertThat(out.why(4))
        .startsWith("io_destroy(0x7fd3ad1d2000) ends the AIO context io_setup made at line 1")
        .contains("kill_ioctx's vm_munmap");
    assertThat(out.at(4).changes()).hasSize(1);
  }

  @Test
  void anAioRingsSizeIsToldForTheCpuCountsThatGiveIt() throws Exception {
    // io_setup(100): 2 × max(100, 4 × CPUs) + 2 slots; a snapshot on 2 CPUs showed 8 KiB
    Run.Out out = Run.explain(log("io_setup_100.log"));
    assertThat(out.why(1)).contains("8192 bytes (2 pages) with up to 31 CPUs, more with more");
    assertThat(out.at(1).changes().get(0).after().end() - 0x7f42ddc2f000L).isEqualTo(8192);
  }

  @Test
  void aBpfArraysMemoryIsItsValuesNotAFile() throws Exception {
    // a C program: bpf(BPF_MAP_CREATE) of a 1024-entry BPF_F_MMAPABLE array, mapped read-write
    // and read-only (strace -f without -y: the model names fd 3 anon_inode:bpf-map); a -y run
    // showed 3<anon_inode:bpf-map>
    Run.Out out = Run.explain(log("bpf_mmapable_array.log"));
    assertThat(out.why(2))
        .startsWith("the program maps 8192 bytes of the BPF map behind fd 3")
        .contains("the array bpf(BPF_MAP_CREATE) made at line 1 with BPF_F_MMAPABLE")
        .contains("bpf_map_mmap")
        .doesNotContain("SIGBUS")
        .doesNotContain("VM_MAYWRITE");
    assertThat(out.at(2).why().get(0).rule()).isEqualTo("bpf-map");
    assertThat(out.at(2).changes().get(0).after().path()).isEqualTo("anon_inode:bpf-map");
    assertThat(out.why(3)).contains("can never be made writable by mprotect");
  }

  @Test
  void aForkChildGetsNoPerfRing() throws Exception {
    // perf_mmap's VM_DONTCOPY: the child's own /proc/self/maps showed no anon_inode:[perf_event]
    Run.Out out = Run.explain(log("perf_ring_fork.log"));
    assertThat(out.why(5))
        .contains("the perf ring buffer mapped at line 3, which perf_mmap marks VM_DONTCOPY")
        .doesNotContain("truly shared");
  }

  @Test
  void msyncOnAKernelRingWritesNothingAndItsMsSyncFailsForWantOfAnFsync() throws Exception {
    // a C program: msync MS_ASYNC then MS_SYNC on a perf ring and on an AIO ring (strace -f -y);
    // MS_SYNC returned EINVAL on both: vfs_fsync_range finds no fsync
    Run.Out out = Run.explain(log("msync_kernel_rings.log"));
    assertThat(out.why(3))
        .startsWith("msync (MS_ASYNC) on 4096 bytes of the perf ring buffer of fd 3 made at line 2")
        .contains("the kernel's own pages")
        .doesNotContain("shmem");
    assertThat(out.why(4))
        .startsWith("msync failed with EINVAL: MS_SYNC on a shared mapping calls its file's fsync")
        .doesNotContain("not page-aligned");
    assertThat(out.why(6))
        .startsWith("msync (MS_ASYNC) on 4096 bytes of the AIO ring of context 0x7fa06a040000")
        .doesNotContain("writes them back");
    assertThat(out.why(7)).contains("/[aio] (deleted) has none");
  }
}
