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
}
