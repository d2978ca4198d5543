package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * munmap's ENOMEM: a C program mprotects every other page of a 16 MiB mapping until the map count
 * (vm.max_map_count, set to 200 for the run) is reached, then unmaps one page in the middle of what
 * is left, which would split that area in two. The sentence read "no room: the address range is not
 * mapped (munmap/mprotect/madvise) ...", though munmap of a range that is not mapped returns 0.
 * Lines 30, 120 and 121 of strace -f -tt -T -y ./mc.
 */
class MunmapMapCountTest {

  @Test
  void munmapsEnomemIsTheMapCount() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/munmap_map_count_enomem.log").toURI()));
    assertThat(out.why(3))
        .startsWith(
            "munmap failed with ENOMEM: unmapping part of an area would split it in two, one area"
                + " more than the map count allows (vm.max_map_count)")
        .doesNotContain("is not mapped (");
    assertThat(out.why(2)).contains("the address range is not mapped (mprotect/madvise)");
  }
}
