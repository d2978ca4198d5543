package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * numpy 1.24 (Debian 12), strace -f -tt -T -y of /usr/bin/python3 -c 'import numpy as np;
 * a=np.random.rand(3000,3000); b=a@a; print(b.sum())', cut to the start, the loading of
 * _multiarray_umath and the two 72000000-byte arrays: numpy's _npy_alloc_cache mallocs each
 * (sysmalloc maps 72003584 bytes, the memory 16 bytes in) and advises MADV_HUGEPAGE from the first
 * page boundary past the pointer, 72000000 − 4080 bytes. That is plain malloc'd memory, not an
 * aligned allocation. The 128 MiB mapping after them, which an mbind follows, is OpenBLAS's own
 * work buffer (alloc_mmap).
 */
class NumpyHugepageTest {

  private static Run.Out numpy() throws Exception {
    return Run.explain(
        Path.of(NumpyHugepageTest.class.getResource("/logs-extra/numpy_array_thp.log").toURI()));
  }

  @Test
  void numpysHugepageAdviceOnAnArrayIsNamedAsNumpys() throws Exception {
    Run.Out out = numpy();
    assertThat(out.why(11))
        .startsWith("MADV_HUGEPAGE on 71995920 bytes of the 72003584-byte mapping made at line 10:")
        .contains("this range starts 4096 bytes into it, so the program or a library asked")
        .contains("it fits numpy's data allocator, which this process loaded (_npy_alloc_cache")
        .contains("mallocs an array's 72000000 bytes")
        .contains("72000000 − 4080 = 71995920 bytes")
        .doesNotContain("an aligned allocation, posix_memalign or aligned_alloc, starts past");
    assertThat(out.why(13)).contains("it fits numpy's data allocator");
    // OpenBLAS's own 128 MiB buffer (mbind follows) is no array of numpy's
    assertThat(out.why(14)).contains("the mbind at line 15").doesNotContain("numpy");
  }

  @Test
  void withoutNumpyLoadedTheSameAdviceIsOnlyTheProgramsOrALibrarys() throws Exception {
    String log =
        Files.readString(
                Path.of(
                    NumpyHugepageTest.class.getResource("/logs-extra/numpy_array_thp.log").toURI()))
            .replace("_multiarray_umath", "_other_module");
    Run.Out out = Run.explain(log);
    assertThat(out.why(11))
        .contains("so the program or a library asked for it")
        .contains("whose memory starts 16 bytes into the mapping")
        .doesNotContain("numpy");
  }

  /**
   * numpy 1.24, strace -f -tt -T -y of /usr/bin/python3 -c 'import numpy as np; a=np.ones(2500000);
   * del a; b=np.ones(1000000); print(b.sum())', cut to the execve, every brk, the loading of
   * _multiarray_umath and the two arrays: freeing the 20000768-byte chunk raises malloc's mmap
   * threshold, so the 8000000-byte array comes from [heap], and numpy advises it from the first
   * page boundary past the pointer, 7998576 bytes: not whole pages, which glibc's madvise_thp never
   * gives (it rounds its start down to a page, and the growth it advises ends at a huge-page
   * boundary), whatever GLIBC_TUNABLES sets.
   */
  @Test
  void numpysAdviceInTheHeapIsNotOfferedAsMallocsOwn() throws Exception {
    Path log =
        Path.of(NumpyHugepageTest.class.getResource("/logs-extra/numpy_heap_thp.log").toURI());
    Run.Out out = Run.explain(log);
    assertThat(out.why(55))
        .startsWith("MADV_HUGEPAGE on 7998576 bytes of the [heap] made at line")
        .contains("this length is not whole pages, and madvise_thp's always is, so the program")
        .contains("it fits numpy's data allocator, which this process loaded")
        .contains("an array of 7998577 to 8002672 bytes it malloc'd")
        .doesNotContain("the trace does not show the environment");
    Run.Out other =
        Run.explain(Files.readString(log).replace("_multiarray_umath", "_other_module"));
    assertThat(other.why(55))
        .contains("this length is not whole pages, and madvise_thp's always is")
        .doesNotContain("numpy");
  }
}
