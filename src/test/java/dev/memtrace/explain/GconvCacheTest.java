package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * glibc maps gconv-modules.cache once (__gconv_load_conf), for the first caller that needs a
 * converter: setlocale, whose _nl_find_locale checks a locale's codeset with __gconv_compare_alias
 * while it loads the locale's data, or iconv_open (__gconv_find_transform). Lines of strace -f -tt
 * -T -y (Debian 12, glibc 2.36) cut to the calls that matter: sort in C.UTF-8, where the cache
 * comes between its locale files, and git log --encoding=ISO-8859-1 under LC_ALL=C, which loads no
 * locale data and maps the cache to reencode the log, then ISO8859-1.so.
 */
class GconvCacheTest {

  private Run.Out run(String name) throws Exception {
    return Run.explain(Path.of(getClass().getResource("/logs-extra/" + name).toURI()));
  }

  @Test
  void withoutLocaleDataTheCacheIsNotSaidToBeSetlocales() throws Exception {
    Run.Out out = run("git_log_encoding_lc_all_c.log");
    assertThat(out.at(5).why().get(0).rule()).isEqualTo("gconv-cache");
    assertThat(out.why(5))
        .contains("not setlocale's codeset check, since no locale data was mapped before it")
        .contains("iconv_open's (__gconv_find_transform)")
        .doesNotContain("set up by setlocale");
  }

  @Test
  void afterLocaleDataItFitsSetlocale() throws Exception {
    Run.Out out = run("sort_setlocale_gconv.log");
    assertThat(out.at(5).why().get(0).rule()).isEqualTo("locale-file");
    assertThat(out.why(9))
        .contains("here likely setlocale, which loaded locale data from line 5")
        .contains("__gconv_compare_alias");
  }
}
