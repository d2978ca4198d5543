package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Database servers as Debian 12 ships them (strace -f -tt -T -y): PostgreSQL 15's postmaster
 * mapping its main shared memory with huge_pages=try, and what the trace shows of it.
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
}
