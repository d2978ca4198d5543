package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A munmap of a file the program mapped itself is not ld.so giving back /etc/ld.so.cache because
 * the file's name holds "cache": git diff HEAD~20 maps each changed file of the work tree whole
 * (read-only, private) and unmaps it when done, apt_cache_show_dynamicmmap_grow.log among them.
 * Lines of strace -f -tt -T -y of git 2.39 diff HEAD~20 in a clone of this repository (Debian 12),
 * cut to ld.so's cache and that one file.
 */
class CacheNamedFileTest {

  private Run.Out gitDiff() throws Exception {
    return Run.explain(
        Path.of(getClass().getResource("/logs-extra/git_diff_cache_named_file.log").toURI()));
  }

  @Test
  void aFileWithCacheInItsNameIsNotLdSoCache() throws Exception {
    Run.Out out = gitDiff();
    assertThat(out.why(13))
        .contains("unmaps the mapping of apt_cache_show_dynamicmmap_grow.log made at line 11")
        .doesNotContain("ld.so");
  }

  @Test
  void ldSoCacheIsStillToldAsLdSos() throws Exception {
    assertThat(gitDiff().why(9))
        .contains("unmaps the ld.so.cache made at line 7")
        .contains("ld.so no longer needs the cache once the libraries are loaded");
  }
}
