package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A file named like a locale category outside glibc's locale directory is not setlocale's: git add
 * hashes a tracked share/locale/xx/LC_CTYPE by mapping it whole, read-only (index_core's xmmap),
 * and unmaps it when done, while _nl_find_locale looks in /usr/lib/locale (COMPLOCALEDIR) unless
 * LOCPATH says otherwise. Both mappings read "setlocale or newlocale loads the LC_CTYPE locale data
 * ... it stays mapped until exit". Lines of strace -f -tt -T -y of git 2.39 add share in a fresh
 * repository holding a copy of C.utf8's LC_CTYPE (Debian 12), cut to the start, glibc's own
 * LC_CTYPE and git's mapping of the tracked copy.
 */
class TrackedLocaleFileTest {

  @Test
  void gitAddsMappingOfATrackedLcFileIsNotSetlocales() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/git_add_tracked_locale_file.log").toURI()));
    assertThat(out.at(7).why().get(0).rule()).isEqualTo("locale-file");
    assertThat(out.why(7)).contains("setlocale or newlocale loads the LC_CTYPE locale data");
    assertThat(out.at(10).why().get(0).rule()).isEqualTo("file-private");
    assertThat(out.why(10))
        .contains("the program maps 353616 bytes of /tmp/h-tools/locrepo/share/locale/xx/LC_CTYPE")
        .doesNotContain("setlocale")
        .doesNotContain("until exit");
    assertThat(out.why(11))
        .contains("unmaps the mapping of LC_CTYPE made at line 10")
        .doesNotContain("locale LC_CTYPE");
  }

  /**
   * glibc opens one locale archive, COMPLOCALEDIR "/locale-archive" (locale/loadarchive.c), and one
   * gconv module cache, GCONV_MODULES_CACHE (iconv/gconv_cache.c): git add of a copy of a root file
   * system maps rootfs/usr/lib/locale/locale-archive and, above 32 KiB (index_core's
   * SMALL_FILE_SIZE), rootfs/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache, privately, and
   * unmaps them. They read "setlocale or newlocale maps the locale archive ... it stays until exit"
   * and "glibc maps the gconv module cache (54056 bytes) shared and read-only". Lines of strace -f
   * -tt -T -y of git 2.39 add rootfs (Debian 12), cut to the start, glibc's own gconv cache and
   * git's two mappings.
   */
  @Test
  void gitAddsMappingsOfARootFileSystemsCopiesAreNotGlibcs() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/git_add_rootfs_copies.log").toURI()));
    assertThat(out.at(11).why().get(0).rule()).isEqualTo("gconv-cache");
    assertThat(out.at(13).why().get(0).rule()).isEqualTo("file-private");
    assertThat(out.why(13)).doesNotContain("locale archive").doesNotContain("until exit");
    assertThat(out.at(17).why().get(0).rule()).isEqualTo("file-private");
    assertThat(out.why(17)).doesNotContain("gconv module cache").doesNotContain("shared");
    assertThat(out.why(18)).contains("unmaps the mapping of gconv-modules.cache made at line 17");
  }

  /**
   * The jimage row is HotSpot's: git add of a copied JDK tree maps jdk/lib/modules privately to
   * hash it and unmaps it, and it read "the JDK's class library image (jimage, lib/modules) mapped
   * whole", tagged a shared file mapping. Lines of strace -f -tt -T -y of git 2.39 add jdk (Debian
   * 12), cut to the start and git's mapping of the copy.
   */
  @Test
  void gitAddsMappingOfACopiedJdkImageIsNotHotspots() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/git_add_jdk_lib_modules.log").toURI()));
    assertThat(out.at(6).why().get(0).rule()).isEqualTo("file-private");
    assertThat(out.why(6)).doesNotContain("jimage").doesNotContain("JDK");
  }
}
