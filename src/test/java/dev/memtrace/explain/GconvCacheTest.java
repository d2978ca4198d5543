package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * glibc maps gconv-modules.cache once (__gconv_load_conf), for the first caller that needs a
 * converter: setlocale or newlocale, whose _nl_find_locale checks a locale's codeset with
 * __gconv_compare_alias while it loads the locale's data, iconv_open (__gconv_find_transform), or
 * the first multibyte conversion (__wcsmbs_load_conv). Lines of strace -f -tt -T -y (Debian 12,
 * glibc 2.36) cut to the calls that matter: sort in C.UTF-8, where the cache comes between its
 * locale files, and git log --encoding=ISO-8859-1 under LC_ALL=C, which loads no locale data and
 * maps the cache to reencode the log, then ISO8859-1.so.
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
        .contains("the first time the process looks up a character set")
        .contains("iconv_open")
        .doesNotContain("set up by setlocale")
        .doesNotContain("right after the locale file");
  }

  @Test
  void afterLocaleDataItFitsSetlocale() throws Exception {
    Run.Out out = run("sort_setlocale_gconv.log");
    assertThat(out.at(5).why().get(0).rule()).isEqualTo("locale-file");
    assertThat(out.why(9))
        .contains("here it comes right after the locale file mapped at line 5")
        .contains("__gconv_compare_alias");
  }
}
