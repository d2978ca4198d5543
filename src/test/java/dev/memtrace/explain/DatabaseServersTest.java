package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Database servers as Debian 12 ships them (strace -f -tt -T -y): PostgreSQL 15's postmaster
 * mapping its main shared memory with huge_pages=try, MariaDB 10.11's --large-pages falling back to
 * ordinary pages when the huge page pool is empty, a backend's JIT mapping code for a query,
 * MariaDB's buffer pool reservation resized online.
 */
class DatabaseServersTest {

  private Run.Out log(String name) throws Exception {
    return Run.explain(Path.of(getClass().getResource("/logs-extra/" + name).toURI()));
  }

  @Test
  void sharedAnonymousMemoryInHugePagesIsHugetlbfsNotShmem() throws Exception {
    // postgres -c huge_pages=try with vm.nr_hugepages=80: CreateAnonymousSharedMemory maps its
    // 144 MiB with MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB. ksys_mmap_pgoff makes a hugetlbfs file
    // for it (hugetlb_file_setup), not a shmem one, and hugetlbfs_file_mmap reserves the huge
    // pages from the pool at the call
    Run.Out out = log("postgres_huge_pages_try.log");
    assertThat(out.why(10))
        .contains("shown as /anon_hugepage (deleted) rw-s in maps")
        .contains("hugetlbfs")
        .contains("hugetlb_reserve_pages")
        .contains("a child made by fork shares the same pages")
        .doesNotContain("backed by shmem");
  }

  @Test
  void aMappingRightAfterAFailedHugetlbMmapOfItsRoundedSizeIsAFallbackNotMalloc() throws Exception {
    // mariadbd --large-pages with vm.nr_hugepages=0: my_large_malloc asks for 130023424 bytes with
    // MAP_HUGETLB|21<<MAP_HUGE_SHIFT (128180224 rounded up to 2 MiB), gets ENOMEM, and maps
    // 128180224 in ordinary pages. glibc malloc does the same only with glibc.malloc.hugetlb=2
    // (sysmalloc: sysmalloc_mmap with mp_.hp_pagesize, then with the page size)
    Run.Out out = log("mariadbd_large_pages_fallback.log");
    assertThat(out.at(9).why().get(0).rule()).isEqualTo("hugetlb-fallback");
    assertThat(out.why(9))
        .startsWith(
            "the same thread's next mapping after its mmap with MAP_HUGETLB failed at line 8")
        .contains("glibc.malloc.hugetlb")
        .contains("the program or a library falls back itself")
        .contains("in MariaDB it fits my_large_malloc (mysys/my_largepage.c)")
        .doesNotContain("fits glibc malloc's mmap path");
    // the request was not whole pages: no malloc reading at all
    assertThat(out.why(6))
        .contains("failed at line 5")
        .contains("109734912 is not whole pages (the kernel maps 109735936)");
    // the mapping after the fallback is read as before
    assertThat(out.why(7)).startsWith("fits glibc malloc's mmap path");
    // a PROT_NONE mapping after a failed MAP_HUGETLB one stays a reservation
    assertThat(out.why(11)).startsWith("reserves 67108864 bytes of address space PROT_NONE");
  }

  @Test
  void aJitSectionMappedAfterItsNearBlockWhereLibllvmIsLoadedNamesLlvm() throws Exception {
    // a PostgreSQL 15 backend running a query with jit=on: llvmjit.so dlopens libLLVM-14, and
    // SectionMemoryManager maps each section through sys::Memory::allocateMappedMemory, which
    // asks for it right after the near block (the hint is not free here, so it lands below),
    // then mprotects code PROT_READ|PROT_EXEC and read-only data PROT_READ
    Run.Out out = log("postgres_llvmjit_sections.log");
    assertThat(out.why(10))
        .contains("The hint is where the 4096-byte anonymous mapping made at line 9 ends")
        .contains("fits LLVM (libLLVM, loaded here), whose sys::Memory::allocateMappedMemory");
  }

  @Test
  void aSystemVSegmentFoundWithSizeZeroKeepsTheSizeItWasMadeWith() throws Exception {
    // postgres -c dynamic_shared_memory_type=sysv: dsm_impl_sysv makes a segment with
    // shmget(key, size, IPC_CREAT|IPC_EXCL|0600) in one backend; another attaches it with
    // shmget(key, 0, 0600), then shmctl(IPC_STAT) and shmat. That shmget's 0 replaced the size,
    // so the model drew no region for the shmat and the shmdt found "no segment there"
    Run.Out out = log("postgres_dsm_sysv_attach.log");
    assertThat(out.at(12).changes()).hasSize(1);
    assertThat(out.at(12).changes().get(0).after().size()).isEqualTo(1048576);
    assertThat(out.why(12))
        .contains("segment 65551 (1048576 bytes, as the shmctl IPC_STAT at line 11 gave it)");
    assertThat(out.at(13).changes()).hasSize(1);
    assertThat(out.why(13)).startsWith("detaches the System V shared memory attached at line 12");
    // without the shmctl, the size the creating process's shmget gave (ids are system-wide)
    String log =
        Files.readAllLines(
                Path.of(getClass().getResource("/logs-extra/postgres_dsm_sysv_attach.log").toURI()))
            .stream()
            .filter(l -> !l.contains("shmctl("))
            .collect(Collectors.joining("\n", "", "\n"));
    Run.Out without = Run.explain(log);
    assertThat(without.why(11))
        .contains("segment 65551 (1048576 bytes, from the shmget at line 5)");
    assertThat(without.at(11).changes()).hasSize(1);
  }

  @Test
  void aCallOverAReservationsPartsNamesTheReservationNotItsFirstPart() throws Exception {
    // mariadbd 10.11 reserves innodb_buffer_pool_size_max (8 TiB) PROT_NONE, commits 64 MiB with
    // mmap(MAP_FIXED), grows by 64 MiB on SET GLOBAL innodb_buffer_pool_size, shrinks with
    // MADV_DONTNEED and mprotect(PROT_NONE); at shutdown MADV_DODUMP and munmap take all 8 TiB.
    // Both were said to act on "the committed part" of the reservation
    Run.Out out = log("mariadbd_buffer_pool_resize.log");
    assertThat(out.why(14))
        .startsWith(
            "MADV_DODUMP on 8796093022208 bytes of the 8796093022208-byte reservation made at"
                + " line 5")
        .doesNotContain("committed part");
    assertThat(out.why(18))
        .startsWith(
            "unmaps 8796093022208 bytes of the 8796093022208-byte reservation made at line 5")
        .doesNotContain("committed part");
    // a call within committed parts still says so
    assertThat(out.why(11))
        .startsWith(
            "MADV_DONTDUMP on 134217728 bytes of the committed part of the"
                + " 8796093022208-byte reservation made at line 5");
  }

  @Test
  void sharedMemoryRightAfterAFailedHugetlbMmapIsPostgresFallingBack() throws Exception {
    // postgres -c huge_pages=try with no huge pages free: CreateAnonymousSharedMemory asks for
    // the size rounded up to 2 MiB with MAP_HUGETLB, gets ENOMEM, and maps the size asked for
    Run.Out out = log("postgres_huge_pages_fallback.log");
    assertThat(out.why(6))
        .startsWith("shared anonymous memory (149520384 bytes")
        .contains("backed by shmem")
        .contains(
            "the same thread's next mapping after its mmap with MAP_HUGETLB failed at line 5: the"
                + " same request in ordinary pages (149520384 bytes rounded up to whole 2 MiB huge"
                + " pages (x86-64's usual default Hugepagesize; the call names no size) is the"
                + " 150994944 that line asked for)")
        .contains("PostgreSQL's CreateAnonymousSharedMemory (sysv_shmem.c)");
  }

  @Test
  void aBackendsReadIntoSharedBuffersIsNotInACopyTheForkMade() throws Exception {
    // postgres under strace -e raw=pread64,pwrite64: a backend the postmaster forked preads a
    // pg_xact page into the shared memory the postmaster mapped MAP_SHARED|MAP_ANONYMOUS before
    // the fork. dup_mmap gives the child the same shmem pages: nothing is copied
    Run.Out out = log("postgres_backend_pread_shared_buffers.log");
    assertThat(out.why(9))
        .contains("is 4529920 bytes into the shared anonymous memory made at line 5")
        .contains(
            "the fork at line 6 gave it to this process from process 15483, shared: both map the"
                + " same pages, nothing is copied")
        .doesNotContain("copied it");
  }
}
