package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.MAP_ANONYMOUS;
import static dev.memtrace.decode.LinuxFlags.MAP_FIXED;
import static dev.memtrace.decode.LinuxFlags.MAP_GROWSDOWN;
import static dev.memtrace.decode.LinuxFlags.MAP_NORESERVE;
import static dev.memtrace.decode.LinuxFlags.MAP_PRIVATE;
import static dev.memtrace.decode.LinuxFlags.MAP_SHARED;
import static dev.memtrace.decode.LinuxFlags.MAP_STACK;
import static dev.memtrace.decode.LinuxFlags.MREMAP_DONTUNMAP;
import static dev.memtrace.decode.LinuxFlags.MREMAP_FIXED;
import static dev.memtrace.decode.LinuxFlags.MREMAP_MAYMOVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Kernel semantics of the memory calls on plain numbers. Expected listings are what /proc/PID/maps
 * showed on Linux 6.18 for the same sequence (the ld.so and shared-memory cases are copied from
 * corpus/maps snapshots).
 */
class MemoryOpsTest {

  /** Another traced task shares the space: what the tests before the Others split assumed. */
  static final Supplier<MemoryOps.Others> TRACED = () -> MemoryOps.Others.TRACED;

  static final int R = 1;
  static final int RW = 3;
  static final int RX = 5;
  static final int RWX = 7;
  static final long ANON = MAP_PRIVATE | MAP_ANONYMOUS;

  final AddressSpace s = new AddressSpace();

  static String maps(AddressSpace s) {
    return s.regions().stream()
        .map(
            r ->
                String.format("%x-%x %s %x %s", r.start(), r.end(), r.perms(), r.offset(), r.path())
                    .strip())
        .collect(Collectors.joining("\n"));
  }

  Outcome anon(long addr, long len, int prot) {
    return MemoryOps.mmap(s, len, prot, ANON, null, 0, addr, 1, 0, TRACED);
  }

  Outcome file(long addr, long len, int prot, long flags, String path, long off) {
    return MemoryOps.mmap(s, len, prot, flags, Backing.file(path), off, addr, 1, 0, TRACED);
  }

  @Test
  void anonymousMappingIsPageRoundedAndMergesWithAnEqualNeighbour() {
    Outcome first = anon(0x7f0000003000L, 12288, RW);
    assertThat(first.changes()).extracting(c -> c.op().symbol).containsExactly("+");
    Outcome second = anon(0x7f0000000000L, 10000, RW); // 3 pages once rounded
    assertThat(maps(s)).isEqualTo("7f0000000000-7f0000006000 rw-p 0");
    RegionChange c = second.changes().get(0);
    assertThat(c.op()).isEqualTo(RegionChange.Op.CHANGED);
    assertThat(c.before().start()).isEqualTo(0x7f0000003000L);
    assertThat(c.after().size()).isEqualTo(0x6000);
  }

  @Test
  void differentProtectionGrowsdownOrNoreserveKeepNeighboursApart() {
    anon(0x10000, 4096, RW);
    anon(0x11000, 4096, R);
    MemoryOps.mmap(s, 4096, RW, ANON | MAP_GROWSDOWN | MAP_STACK, null, 0, 0xf000, 1, 0, TRACED);
    MemoryOps.mmap(s, 4096, RW, ANON | MAP_NORESERVE, null, 0, 0xe000, 1, 0, TRACED);
    assertThat(s.regions()).hasSize(4);
  }

  @Test
  void sharedObjectLoadingAsLdSoDoesIt() {
    // corpus/maps/mmapfile.log lines 14-18 and 25, libc.so.6 at 0x7f70cdbfd000
    String libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
    long deny = MAP_PRIVATE | 0x800;
    file(0x7f70cdbfd000L, 1974096, R, deny, libc, 0);
    file(0x7f70cdc23000L, 1400832, RX, deny | MAP_FIXED, libc, 0x26000);
    Outcome rodata = file(0x7f70cdd79000L, 339968, R, deny | MAP_FIXED, libc, 0x17c000);
    assertThat(rodata.changes()).as("remapping the same pages changes nothing visible").isEmpty();
    file(0x7f70cddcc000L, 24576, RW, deny | MAP_FIXED, libc, 0x1cf000);
    anon(0x7f70cddd2000L, 53072, RW);
    MemoryOps.mprotect(s, 0x7f70cddcc000L, 16384, R);
    assertThat(maps(s))
        .isEqualTo(
            String.join(
                "\n",
                "7f70cdbfd000-7f70cdc23000 r--p 0 " + libc,
                "7f70cdc23000-7f70cdd79000 r-xp 26000 " + libc,
                "7f70cdd79000-7f70cddcc000 r--p 17c000 " + libc,
                "7f70cddcc000-7f70cddd0000 r--p 1cf000 " + libc,
                "7f70cddd0000-7f70cddd2000 rw-p 1d3000 " + libc,
                "7f70cddd2000-7f70cdddf000 rw-p 0"));
  }

  @Test
  void munmapPunchesHolesAndSpansSeveralRegions() {
    anon(0x100000, 0x10000, RW);
    anon(0x110000, 0x10000, R);
    MemoryOps.munmap(s, 0x104000, 0x1000, TRACED);
    assertThat(maps(s))
        .isEqualTo(
            String.join(
                "\n", "100000-104000 rw-p 0", "105000-110000 rw-p 0", "110000-120000 r--p 0"));
    Outcome o = MemoryOps.munmap(s, 0x106000, 0x10001, TRACED);
    assertThat(maps(s))
        .isEqualTo(
            String.join(
                "\n", "100000-104000 rw-p 0", "105000-106000 rw-p 0", "117000-120000 r--p 0"));
    assertThat(o.changes()).extracting(c -> c.op().symbol).containsExactly("~", "~");
  }

  @Test
  void munmapOfUnknownMemorySaysSo() {
    Outcome o = MemoryOps.munmap(s, 0x5000, 4096, TRACED);
    assertThat(o.changes()).isEmpty();
    assertThat(o.notes()).singleElement().asString().contains("knew no memory");
  }

  /**
   * As node's worker threads make arenas: a late maps snapshot already shows another thread's trim,
   * whose munmap line comes after it. The note says so instead of blaming the trace's start.
   */
  @Test
  void munmapOfARangeASnapshotAlreadyShowedGoneSaysSo() {
    anon(0x7f0000000000L, 0x20000, 0);
    s.resync(List.of(new Region(0x7f0000000000L, 0x7f0000010000L, "---p", 0, "00:00", 0, "", 0)));
    Outcome o = MemoryOps.munmap(s, 0x7f0000010000L, 0x10000, TRACED);
    assertThat(o.changes()).isEmpty();
    assertThat(o.notes())
        .singleElement()
        .asString()
        .contains("knew no memory there")
        .contains("a maps snapshot read before this line already showed the range unmapped")
        .doesNotContain("mapped before the trace began");
    // the range is told once: a second munmap of it finds no snapshot to blame
    assertThat(MemoryOps.munmap(s, 0x7f0000010000L, 0x10000, TRACED).notes())
        .singleElement()
        .asString()
        .contains("the trace did not show memory there at this point");
  }

  /**
   * node live: V8 reserves 508 KiB PROT_NONE, madvises it MADV_DONTFORK, then unmaps the unaligned
   * tail; a maps snapshot of the reservation read late already shows the tail gone. The madvise
   * note says a snapshot let it go, not that the trace's start hid it; the munmap is still told.
   */
  @Test
  void madviseOfARangeALateSnapshotShowedGoneSaysSo() {
    anon(0x38a1cb400000L, 0x7f000, 0);
    s.resync(List.of(new Region(0x38a1cb400000L, 0x38a1cb440000L, "---p", 0, "00:00", 0, "", 0)));
    Outcome o = MemoryOps.madvise(s, 0x38a1cb400000L, 0x7f000, 10); // MADV_DONTFORK
    assertThat(o.notes())
        .singleElement()
        .asString()
        .contains("knew only part of the memory there")
        .contains("a maps snapshot read before this line showed it unmapped")
        .doesNotContain("mapped before the trace began");
    assertThat(MemoryOps.munmap(s, 0x38a1cb440000L, 0x3f000, TRACED).notes())
        .singleElement()
        .asString()
        .contains("a maps snapshot read before this line already showed the range unmapped");
  }

  @Test
  void aLateSnapshotShowingPartOfMergedAnonymousMemoryKeepsTheCallsThatMadeIt() {
    // ps aux run live: malloc(131072) twice (lines 415, 416), a 1183744-byte chunk below them
    // (line 421), all one area; a snapshot read late shows that chunk already unmapped. The rest
    // was read "learnt from a /proc/PID/maps snapshot: no call in the trace up to here made it"
    int[] lines = {415, 416, 421};
    long[] at = {0x7fe946d81000L, 0x7fe946d60000L, 0x7fe946c3f000L};
    long[] len = {135168, 135168, 1183744};
    for (int i = 0; i < 3; i++) {
      MemoryOps.mmap(s, len[i], RW, ANON, null, 0, at[i], lines[i], 0, TRACED);
    }
    assertThat(s.regions()).singleElement().extracting(Region::originLine).isEqualTo(421);
    s.resync(List.of(new Region(0x7fe946d60000L, 0x7fe946da2000L, "rw-p", 0, "00:00", 0, "", 0)));
    assertThat(s.regions())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.start()).isEqualTo(0x7fe946d60000L);
              assertThat(r.end()).isEqualTo(0x7fe946da2000L);
              assertThat(r.originLine()).isEqualTo(416);
            });
    assertThat(s.madeAt(0x7fe946d81000L)).isEqualTo(415);
  }

  @Test
  void mremapOfAMappingALateSnapshotAlreadyShowedMovedKeepsWhatItShowed() {
    // a small C program run live: shared anonymous memory mremapped MREMAP_MAYMOVE, the mmap's
    // snapshot read after the hold, when the move was done; the model must not turn the moved
    // region it learnt into an unknown one
    MemoryOps.mmap(
        s, 0x4000, RW, MAP_SHARED | MAP_ANONYMOUS, null, 0, 0x7f0000100000L, 39, 0, TRACED);
    s.resync(
        List.of(
            new Region(
                0x7f0000000000L,
                0x7f0000100000L,
                "rw-s",
                0,
                "00:01",
                7,
                "/dev/zero (deleted)",
                0)));
    Outcome o =
        MemoryOps.mremap(s, 0x7f0000100000L, 0x4000, 0x100000, MREMAP_MAYMOVE, 0x7f0000000000L, 40);
    assertThat(o.changes()).isEmpty();
    assertThat(o.notes())
        .singleElement()
        .asString()
        .contains("a maps snapshot read before this line already showed the mapping moved to")
        .doesNotContain("unknown");
    assertThat(maps(s)).isEqualTo("7f0000000000-7f0000100000 rw-s 0 /dev/zero (deleted)");
  }

  /**
   * Two calls' mappings the kernel keeps as one area: the region is named by the lower one's call,
   * with the part that call made; cut apart again, each piece is named by the calls still in it.
   */
  @Test
  void aMergedRegionKeepsThePartItsCallMade() {
    MemoryOps.mmap(s, 0x3000, RW, ANON, null, 0, 0x7f0000003000L, 10, 0, TRACED);
    MemoryOps.mmap(s, 0x3000, RW, ANON, null, 0, 0x7f0000000000L, 20, 0, TRACED);
    Region merged = s.regions().get(0);
    assertThat(merged.size()).isEqualTo(0x6000);
    assertThat(merged.originLine()).isEqualTo(20);
    assertThat(merged.madePart()).isTrue();
    assertThat(List.of(merged.madeFrom(), merged.madeTo()))
        .containsExactly(0x7f0000000000L, 0x7f0000003000L);
    assertThat(
            List.of(
                s.madeAt(0x7f0000002fffL), s.madeAt(0x7f0000003000L), s.madeAt(0x7f0000006000L)))
        .containsExactly(20, 10, 0);
    MemoryOps.mprotect(s, 0x7f0000002000L, 0x2000, R);
    assertThat(s.regions())
        .extracting(Region::madeWhole, Region::madePart)
        .containsExactly(tuple(true, false), tuple(false, true), tuple(true, false));
    // the middle piece holds a page of each call's memory, the top one only line 10's
    assertThat(s.regions()).extracting(Region::originLine).containsExactly(20, 20, 10);
    assertThat(s.regions().get(1).madeBytes()).isEqualTo(0x1000);
    // freed, line 20's memory names nothing: the merged area is line 10's again
    MemoryOps.munmap(s, 0x7f0000000000L, 0x3000, TRACED);
    MemoryOps.mprotect(s, 0x7f0000003000L, 0x1000, RW);
    assertThat(s.regions())
        .extracting(Region::originLine, Region::madeWhole)
        .containsExactly(tuple(10, true));
  }

  /**
   * A malloc arena's heap grows by mprotect over its PROT_NONE reservation, both shown by a
   * snapshot: the grown area is the snapshot's whole, and each piece holds only its own part.
   */
  @Test
  void piecesCutFromAnAreaHoldOnlyTheirOwnPart() {
    long a = 0x7f9568000000L;
    s.resync(
        List.of(
            new Region(a, a + 0xb2000, "rw-p", 0, "00:00", 0, "", 0),
            new Region(a + 0xb2000, a + 0x4000000, "---p", 0, "00:00", 0, "", 0)));
    MemoryOps.mprotect(s, a + 0xb2000, 0x6000, RW);
    MemoryOps.mprotect(s, a + 0xb8000, 0x2000, RW);
    assertThat(s.regions())
        .extracting(Region::start, Region::madeFrom, Region::madeTo, Region::madeWhole)
        .containsExactly(
            tuple(a, a, a + 0xba000, true), tuple(a + 0xba000, a + 0xba000, a + 0x4000000, true));
  }

  /**
   * Ruby 3.1's GC.compact read barrier (a live run's lines 18265-18267): pages of its heap go
   * PROT_NONE and back. A snapshot taught the PROT_NONE area below, whose VM_ACCOUNT (it was once
   * written) maps does not show; the kernel merged the page made PROT_NONE into it, and so must the
   * model. A file's read-only segment, never writable, still does not merge with the RELRO part
   * that ld.so made read-only (it keeps VM_ACCOUNT).
   */
  @Test
  void aSnapshotsProtNoneAreaMergesWithMemoryMadeProtNoneNextToIt() {
    long a = 0x7fd37c040000L;
    s.resync(
        List.of(
            new Region(a, a + 0x20000, "---p", 0, "00:00", 0, "", 0),
            new Region(a + 0x20000, a + 0xad4000, "rw-p", 0, "00:00", 0, "", 0)));
    MemoryOps.mprotect(s, a + 0x20000, 0x4000, 0);
    assertThat(maps(s))
        .isEqualTo("7fd37c040000-7fd37c064000 ---p 0\n7fd37c064000-7fd37cb14000 rw-p 0");

    AddressSpace ld = new AddressSpace();
    String path = "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2";
    ld.resync(
        List.of(
            new Region(0x7f290cab3000L, 0x7f290cabd000L, "r--p", 0x27000, "fe:00", 9, path, 0),
            new Region(0x7f290cabd000L, 0x7f290cac1000L, "rw-p", 0x31000, "fe:00", 9, path, 0)));
    MemoryOps.mprotect(ld, 0x7f290cabd000L, 0x2000, R);
    assertThat(maps(ld))
        .isEqualTo(
            String.join(
                "\n",
                "7f290cab3000-7f290cabd000 r--p 27000 " + path,
                "7f290cabd000-7f290cabf000 r--p 31000 " + path,
                "7f290cabf000-7f290cac1000 rw-p 33000 " + path));
  }

  /** ld.so's segments over its reservation: each region is made whole by its own call. */
  @Test
  void segmentsMappedOverAReservationAreTheirOwnCallsWhole() {
    String libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
    long deny = MAP_PRIVATE | 0x800;
    MemoryOps.mmap(s, 1974096, R, deny, Backing.file(libc), 0, 0x7f70cdbfd000L, 14, 0, TRACED);
    MemoryOps.mmap(
        s,
        1400832,
        RX,
        deny | MAP_FIXED,
        Backing.file(libc),
        0x26000,
        0x7f70cdc23000L,
        15,
        0,
        TRACED);
    MemoryOps.mmap(
        s,
        339968,
        R,
        deny | MAP_FIXED,
        Backing.file(libc),
        0x17c000,
        0x7f70cdd79000L,
        16,
        0,
        TRACED);
    MemoryOps.mmap(
        s,
        24576,
        RW,
        deny | MAP_FIXED,
        Backing.file(libc),
        0x1cf000,
        0x7f70cddcc000L,
        17,
        0,
        TRACED);
    assertThat(s.regions())
        .extracting(Region::originLine, Region::madeWhole, Region::madePart)
        .containsExactly(
            tuple(14, true, false),
            tuple(15, true, false),
            tuple(16, true, false),
            tuple(17, true, false),
            // the reservation's tail, merged with line 16's segment until line 17 cut them apart
            tuple(14, true, false));
  }

  /** brk growing [heap]: the first brk made part of it, and each later one joined the rest. */
  @Test
  void aGrownHeapIsNamedByTheBrkThatMadeItsStart() {
    MemoryOps.brk(s, 0, 0x556d8f7c4000L, true, 30);
    MemoryOps.brk(s, 0x556d8f7ce000L, 0x556d8f7ce000L, false, 31);
    MemoryOps.brk(s, 0x556d8f832000L, 0x556d8f832000L, false, 33);
    Region heap = s.regions().get(0);
    assertThat(heap.path()).isEqualTo("[heap]");
    assertThat(heap.originLine()).isEqualTo(31);
    assertThat(List.of(heap.madeFrom(), heap.madeTo()))
        .containsExactly(0x556d8f7c4000L, 0x556d8f7ce000L);
  }

  /**
   * A postgres backend run live: after fork the child's [heap] has an anon_vma whose chain also
   * links the parent's (anon_vma_fork), and is_mergeable_anon_vma keeps brk's growth out of it, so
   * the child's maps shows [heap] as two areas; the parent's still grows in place.
   */
  @Test
  void aForkChildsHeapGrowsAsANewAreaTheParentsInPlace() {
    MemoryOps.brk(s, 0, 0x55cbfa2f4000L, true, 30);
    MemoryOps.brk(s, 0x55cbfa3ad000L, 0x55cbfa3ad000L, false, 31);
    AddressSpace child = s.copy();
    MemoryOps.brk(child, 0x55cbfa3ce000L, 0x55cbfa3ce000L, false, 40);
    assertThat(maps(child))
        .isEqualTo(
            "55cbfa2f4000-55cbfa3ad000 rw-p 0 [heap]\n55cbfa3ad000-55cbfa3ce000 rw-p 0 [heap]");
    MemoryOps.brk(child, 0x55cbfa3d6000L, 0x55cbfa3d6000L, false, 41);
    assertThat(maps(child))
        .as("the new area grows in place: its own chain is singular")
        .isEqualTo(
            "55cbfa2f4000-55cbfa3ad000 rw-p 0 [heap]\n55cbfa3ad000-55cbfa3d6000 rw-p 0 [heap]");
    MemoryOps.brk(s, 0x55cbfa3ce000L, 0x55cbfa3ce000L, false, 42);
    assertThat(maps(s)).isEqualTo("55cbfa2f4000-55cbfa3ce000 rw-p 0 [heap]");
  }

  @Test
  void mprotectSplitsAndProtectingBackMerges() {
    anon(0x200000, 0x8000, RW);
    MemoryOps.mprotect(s, 0x202000, 0x2000, R);
    assertThat(maps(s))
        .isEqualTo(
            String.join(
                "\n", "200000-202000 rw-p 0", "202000-204000 r--p 0", "204000-208000 rw-p 0"));
    MemoryOps.mprotect(s, 0x202000, 0x2000, RW);
    assertThat(maps(s)).isEqualTo("200000-208000 rw-p 0");
  }

  @Test
  void threadStackGuardAndStackMergeLikeTheKernel() {
    // glibc allocate_stack: PROT_NONE block with MAP_STACK, then all but the lowest page RW
    long stackFlags = ANON | MAP_STACK;
    MemoryOps.mmap(s, 0x801000, 0, stackFlags, null, 0, 0x7f0000000000L, 1, 0, TRACED);
    MemoryOps.mprotect(s, 0x7f0000001000L, 0x800000, RW);
    MemoryOps.mmap(s, 0x801000, 0, stackFlags, null, 0, 0x7effff7ff000L, 1, 0, TRACED);
    MemoryOps.mprotect(s, 0x7effff800000L, 0x800000, RW);
    assertThat(maps(s))
        .isEqualTo(
            String.join(
                "\n",
                "7effff7ff000-7effff800000 ---p 0",
                "7effff800000-7f0000000000 rw-p 0",
                "7f0000000000-7f0000001000 ---p 0",
                "7f0000001000-7f0000801000 rw-p 0"));
  }

  @Test
  void aMappingBetweenTwoWrittenAreasMergesOnlyWithTheLowerOne() {
    anon(0x300000, 0x1000, RW);
    anon(0x302000, 0x1000, RW);
    anon(0x301000, 0x1000, RW); // fills the hole: prev and next have different anon_vmas
    assertThat(maps(s))
        .isEqualTo(String.join("\n", "300000-302000 rw-p 0", "302000-303000 rw-p 0"));
  }

  @Test
  void sharedAnonymousMappingKeepsOffsetsAcrossSplits() {
    // corpus/maps/mmapfile.log lines 36, 51, 53
    MemoryOps.mmap(
        s, 1048576, RW, MAP_SHARED | MAP_ANONYMOUS, null, 0, 0x7f70cdafa000L, 1, 7, TRACED);
    MemoryOps.mprotect(s, 0x7f70cdafa000L, 4096, R);
    MemoryOps.mmap(s, 4096, RWX, ANON | MAP_FIXED, null, 0, 0x7f70cdafc000L, 1, 0, TRACED);
    assertThat(maps(s))
        .isEqualTo(
            String.join(
                "\n",
                "7f70cdafa000-7f70cdafb000 r--s 0 /dev/zero (deleted)",
                "7f70cdafb000-7f70cdafc000 rw-s 1000 /dev/zero (deleted)",
                "7f70cdafc000-7f70cdafd000 rwxp 0",
                "7f70cdafd000-7f70cdbfa000 rw-s 3000 /dev/zero (deleted)"));
  }

  @Test
  void mremapShrinksGrowsInPlaceMovesAndKeepsWithDontunmap() {
    anon(0x400000, 0x4000, RW);
    MemoryOps.mremap(s, 0x400000, 0x4000, 0x2000, 0, 0x400000, 2);
    assertThat(maps(s)).isEqualTo("400000-402000 rw-p 0");
    MemoryOps.mremap(s, 0x400000, 0x2000, 0x6000, MREMAP_MAYMOVE, 0x400000, 3);
    assertThat(maps(s)).isEqualTo("400000-406000 rw-p 0");
    // grown in place: the mremap made what it added, the mmap the rest
    assertThat(s.regions().get(0).madeBytes()).isEqualTo(0x2000);
    assertThat(List.of(s.madeAt(0x401fff), s.madeAt(0x402000), s.madeAt(0x405fff)))
        .containsExactly(1, 3, 3);
    Outcome move = MemoryOps.mremap(s, 0x400000, 0x6000, 0x8000, MREMAP_MAYMOVE, 0x500000, 4);
    assertThat(maps(s)).isEqualTo("500000-508000 rw-p 0");
    assertThat(move.changes()).extracting(c -> c.op().symbol).containsExactly("-", "+");
    MemoryOps.mremap(s, 0x500000, 0x2000, 0x2000, MREMAP_MAYMOVE | MREMAP_FIXED, 0x600000, 5);
    assertThat(maps(s))
        .isEqualTo(String.join("\n", "502000-508000 rw-p 0", "600000-602000 rw-p 0"));
    MemoryOps.mremap(s, 0x600000, 0x2000, 0x2000, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0x700000, 6);
    assertThat(maps(s))
        .isEqualTo(
            String.join(
                "\n", "502000-508000 rw-p 0", "600000-602000 rw-p 0", "700000-702000 rw-p 0"));
  }

  @Test
  void movedWrittenAreaDoesNotMergeWithAFreshNeighbour() {
    anon(0x400000, 0x2000, RW);
    MemoryOps.mremap(s, 0x400000, 0x2000, 0x3000, MREMAP_MAYMOVE, 0x800000, 2);
    anon(0x7ff000, 0x1000, RW);
    assertThat(s.regions()).hasSize(2);
  }

  @Test
  void brkGrowsShrinksIsRefusedAndNamesTheHeap() {
    // corpus/maps/sbrk.log lines 30-40
    assertThat(MemoryOps.brk(s, 0, 0x556d8f7c4000L, true, 30).isEmpty()).isTrue();
    assertThat(s.regions()).isEmpty();
    MemoryOps.brk(s, 0x556d8f7ce000L, 0x556d8f7ce000L, false, 31);
    assertThat(maps(s)).isEqualTo("556d8f7c4000-556d8f7ce000 rw-p 0 [heap]");
    MemoryOps.brk(s, 0x556d8f7cd000L, 0x556d8f7cd000L, false, 32);
    assertThat(maps(s)).isEqualTo("556d8f7c4000-556d8f7cd000 rw-p 0 [heap]");
    Outcome grown = MemoryOps.brk(s, 0x556d8f832000L, 0x556d8f832000L, false, 33);
    assertThat(grown.changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.op()).isEqualTo(RegionChange.Op.CHANGED);
              assertThat(c.after().end()).isEqualTo(0x556d8f832000L);
            });
    Outcome refused = MemoryOps.brk(s, 0x956d8f7ce000L, 0x556d8f832000L, false, 35);
    assertThat(refused.changes()).isEmpty();
    assertThat(refused.notes()).singleElement().asString().contains("refused");
    MemoryOps.brk(s, 0x556d8f7c4000L, 0x556d8f7c4000L, false, 36);
    assertThat(s.regions()).isEmpty();
  }

  @Test
  void madviseThatChangesFlagsSplitsOthersDoNot() {
    anon(0x900000, 0x4000, RW);
    assertThat(MemoryOps.madvise(s, 0x901000, 0x1000, 4).changes()).isEmpty(); // DONTNEED
    MemoryOps.madvise(s, 0x901000, 0x1000, 14); // HUGEPAGE
    assertThat(s.regions()).hasSize(3);
    MemoryOps.madvise(s, 0x901000, 0x1000, 15); // NOHUGEPAGE: still differs from never-advised
    assertThat(s.regions()).hasSize(3);
  }

  @Test
  void forkCopiesAndTheCopyIsIndependent() {
    anon(0xa00000, 0x1000, RW);
    AddressSpace child = s.copy();
    MemoryOps.munmap(child, 0xa00000, 0x1000, TRACED);
    assertThat(s.regions()).hasSize(1);
    assertThat(child.regions()).isEmpty();
  }

  @Test
  void rangesNoKernelAcceptsChangeNothingAndSaySo() {
    anon(0x7f0000000000L, 0x2000, RW);
    anon(0x556d8f7c4000L, 0x1000, RW);
    String before = maps(s);
    long top = 0xfffffffffffff000L;
    List<Outcome> refused =
        List.of(
            MemoryOps.mmap(
                s, 0x2000, R, ANON | MAP_FIXED, null, 0, top, 2, 0, TRACED), // wraps to 0x1000
            MemoryOps.munmap(s, top, 0x2000, TRACED),
            MemoryOps.mprotect(s, 0x7f0000000000L, -1L, R), // 2^64 - 1 bytes round up past 2^64
            MemoryOps.madvise(s, 0x1000, 0xfffffffffffff000L, 10),
            MemoryOps.lock(s, top, 0x2000, true),
            MemoryOps.mremap(s, 0x7f0000000000L, 0x1000, -1L, MREMAP_MAYMOVE, 0x7f1000000000L, 3),
            MemoryOps.mremap(s, 0x7f0000000000L, 0x2000, 0, MREMAP_MAYMOVE, 0x7f1000000000L, 4));
    assertThat(maps(s)).isEqualTo(before);
    for (Outcome o : refused) {
      assertThat(o.changes()).isEmpty();
      assertThat(o.notes()).singleElement().asString().contains("which the kernel refuses");
    }
    assertThat(refused.get(2).notes().get(0)).startsWith("mprotect of 18446744073709551615 bytes");
  }

  @Test
  void addressesAboveTwoToTheSixtyThirdAreUnsigned() {
    long high = 0xffffffffff600000L; // where [vsyscall] lives
    anon(0x7f0000000000L, 0x1000, RW);
    Outcome none = MemoryOps.mprotect(s, high, 0x1000, R); // nothing there, nor below it
    assertThat(none.changes()).isEmpty();
    assertThat(maps(s)).isEqualTo("7f0000000000-7f0000001000 rw-p 0");
    // moving a range from up there: only the old range is watched, not old + new size (wraps)
    Outcome moved =
        MemoryOps.mremap(s, high, 0x1000, 0x1001000, MREMAP_MAYMOVE, 0x7f1000000000L, 2);
    assertThat(moved.notes()).singleElement().asString().contains("which the kernel refuses");
  }

  @Test
  void aMappingPastTheTopOfUserSpaceIsRefusedAsTheKernelRefusesIt() {
    Outcome huge =
        MemoryOps.mmap(s, 0x7fffffffffffffffL, RW, ANON, null, 0, 0x7f0000000000L, 1, 0, TRACED);
    assertThat(huge.changes()).isEmpty();
    assertThat(huge.notes())
        .singleElement()
        .asString()
        .contains("past the top of user space (0x7ffffffff000)");
    // 2^47 bytes from 0x7f0000000000 also end past 2^47 less a page, as munmap of them would
    assertThat(
            MemoryOps.mmap(s, 1L << 47, RW, ANON, null, 0, 0x7f0000000000L, 2, 0, TRACED).changes())
        .isEmpty();
    assertThat(MemoryOps.munmap(s, 0x7f0000000000L, 1L << 47, TRACED).notes())
        .singleElement()
        .asString()
        .contains("past the top of user space");
    assertThat(s.regions()).isEmpty();
    // the last page below the top is the stack's, and may be mapped
    anon(AddressSpace.TOP_47 - 0x1000, 0x1000, RW);
    assertThat(maps(s)).isEqualTo("7fffffffe000-7ffffffff000 rw-p 0");
  }

  @Test
  void aMunmapWhoseLineComesAfterTheReuseOfItsMemoryLeavesTheNewMapping() {
    anon(0x7f0000000000L, 0x2000, RW);
    file(0x7f0000000000L, 0x1000, R, MAP_PRIVATE, "/lib/x.so", 0); // another thread's mmap
    Outcome late = MemoryOps.munmap(s, 0x7f0000000000L, 0x2000, TRACED); // the munmap that freed it
    assertThat(late.notes())
        .singleElement()
        .asString()
        .startsWith("0x7f0000000000-0x7f0000001000 was already reused");
    assertThat(maps(s)).isEqualTo("7f0000000000-7f0000001000 r--p 0 /lib/x.so");
    assertThat(s.reused.size()).isZero();
  }

  @Test
  void reusedRangesStayBoundedWhateverTheLog() {
    anon(0x7f0000000000L, 0x2000, RW);
    for (int i = 0; i < 100_000; i++) { // the same mmap(NULL, 8192) answered the same, no munmap
      anon(0x7f0000000000L, 0x2000, RW);
    }
    assertThat(s.reused.size()).isEqualTo(1);
    for (long i = 0; i < 10_000; i++) { // apart, never touching: each one a range
      anon(0x7e0000000000L + i * 0x3000, 0x1000, R);
      anon(0x7e0000000000L + i * 0x3000, 0x1000, R);
    }
    assertThat(s.reused.size()).isEqualTo(ReusedRanges.CAPACITY);
  }

  @Test
  void anAddressAboveFortySevenBitsShowsFiveLevelPaging() {
    assertThat(s.top()).isEqualTo(AddressSpace.TOP_47);
    Outcome high = anon(0x7f000000000000L, 0x1000, RW); // mmap with a hint above 2^47
    assertThat(high.notes()).isEmpty();
    assertThat(s.top()).isEqualTo(AddressSpace.TOP_56);
    assertThat(maps(s)).isEqualTo("7f000000000000-7f000000001000 rw-p 0");
    assertThat(anon(AddressSpace.TOP_56, 0x1000, RW).notes())
        .singleElement()
        .asString()
        .contains("past the top of user space (0xfffffffffff000)");
    assertThat(s.copy().top()).isEqualTo(AddressSpace.TOP_56);
  }

  @Test
  void growingInPlaceWhereTheModelKnewOnlyTheStartDrawsTheRestUnknown() {
    anon(0x7f0000000000L, 0x1000, RW);
    Outcome o =
        MemoryOps.mremap(s, 0x7f0000000000L, 0x3000, 0x5000, MREMAP_MAYMOVE, 0x7f0000000000L, 2);
    assertThat(o.notes()).singleElement().asString().contains("knew no memory at its end");
    assertThat(maps(s))
        .isEqualTo(
            "7f0000000000-7f0000001000 rw-p 0\n" + "7f0000003000-7f0000005000 unkn 0 [unknown]");
  }

  @Test
  void aBreakBelowTheStartOfTheHeapIsRefused() {
    MemoryOps.brk(s, 0, 0x556d8f7c4000L, true, 1);
    MemoryOps.brk(s, 0x556d8f7ce000L, 0x556d8f7ce000L, false, 2);
    Outcome o = MemoryOps.brk(s, 0x1000, 0x1000, false, 3);
    assertThat(o.changes()).isEmpty();
    assertThat(o.notes())
        .singleElement()
        .asString()
        .contains("below the start of [heap] (0x556d8f7c4000)")
        .endsWith("0x556d8f7ce000");
    assertThat(maps(s)).isEqualTo("556d8f7c4000-556d8f7ce000 rw-p 0 [heap]");
    assertThat(s.brk()).isEqualTo(0x556d8f7ce000L);
  }

  @Test
  void forkLeavesOutWhatMadvDontforkMarked() {
    anon(0xa00000, 0x3000, RW);
    MemoryOps.madvise(s, 0xa01000, 0x1000, 10); // MADV_DONTFORK: the middle page splits off
    AddressSpace child = s.copy();
    assertThat(maps(s))
        .isEqualTo("a00000-a01000 rw-p 0\na01000-a02000 rw-p 0\na02000-a03000 rw-p 0");
    assertThat(maps(child)).isEqualTo("a00000-a01000 rw-p 0\na02000-a03000 rw-p 0");
  }

  @Test
  void viewLookupsAreByAddress() {
    anon(0x100000, 0x1000, RW);
    anon(0x300000, 0x1000, R);
    assertThat(s.regionAt(0x100fff).start()).isEqualTo(0x100000);
    assertThat(s.regionAt(0x101000)).isNull();
    assertThat(s.regionAtOrBelow(0x200000).start()).isEqualTo(0x100000);
    assertThat(s.regionAbove(0x100000).start()).isEqualTo(0x300000);
    List<Region> all = s.regions();
    assertThat(all).extracting(Region::start).containsExactly(0x100000L, 0x300000L);
  }

  /**
   * apt-cache show bash (apt 2.6.1): DynamicMMap::Grow mremaps its 24 MiB cache to 25 MiB with
   * MREMAP_MAYMOVE and the kernel moves it; the moved 24 MiB are the mmap's pages, the 1 MiB above
   * them this mremap's own, so maps --explain and where name both lines, as for a grow in place.
   */
  @Test
  void aMovingGrowMadeTheMemoryAboveWhatItMoved() {
    anon(0x7f3053a00000L, 25165824, RW);
    MemoryOps.mremap(s, 0x7f3053a00000L, 25165824, 26214400, MREMAP_MAYMOVE, 0x7f3052100000L, 1812);
    assertThat(maps(s)).isEqualTo("7f3052100000-7f3053a00000 rw-p 0");
    assertThat(s.madeLines(0x7f3052100000L)).containsExactly(1, 1812);
    assertThat(s.madeAt(0x7f3053980000L)).isEqualTo(1812);
    assertThat(s.madeAt(0x7f3053880000L)).isEqualTo(1);
  }
}
