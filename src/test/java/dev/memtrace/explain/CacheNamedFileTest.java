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

  /**
   * ld.so reads one cache, LD_SO_CACHE (SYSCONFDIR "/ld.so.cache"): git add of a copy of a root
   * file system maps rootfs/etc/ld.so.cache whole, privately, to hash it, and unmaps it. Its mmap
   * read "ld.so maps /etc/ld.so.cache whole (66255 bytes, the file's size) read-only to find a
   * library that dlopen asked for" and its munmap "ld.so no longer needs the cache once the
   * libraries are loaded". Lines of strace -f -tt -T -y of git 2.39 add rootfs/etc (Debian 12), cut
   * to ld.so's own cache and git's mapping of the copy.
   */
  @Test
  void aCopyOfLdSoCacheElsewhereIsTheProgramsOwnMapping() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/git_add_rootfs_ld_so_cache.log").toURI()));
    assertThat(out.at(5).why().get(0).rule()).isEqualTo("ldso-cache");
    assertThat(out.why(8)).contains("ld.so no longer needs the cache");
    assertThat(out.at(12).why().get(0).rule()).isEqualTo("file-private");
    assertThat(out.why(12)).doesNotContain("ld.so maps").doesNotContain("dlopen");
    assertThat(out.why(13))
        .contains("unmaps the mapping of ld.so.cache made at line 12")
        .doesNotContain("ld.so no longer");
  }
}
