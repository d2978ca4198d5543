package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Locale data and the gconv module cache (strace -f -tt -T, Debian 12, glibc 2.36). glibc reads the
 * gconv configuration once per process, the first time it looks up a character set
 * (__gconv_load_conf): setlocale or newlocale comparing the codeset a locale name carries with the
 * loaded file's (_nl_find_locale, __gconv_compare_alias), iconv_open, or the first multibyte
 * conversion (get_gconv_fcts, __wcsmbs_load_conv). setlocale is one of three.
 */
class LocaleDataTest {

  @Test
  void aCacheMappedByIconvOpenWithoutALocaleIsNotSaidToBeSetlocales() {
    // LANG=C ./ic: main calls iconv_open("UTF-16", "UTF-8") and nothing else; no locale file
    // is loaded before the cache
    Run.Out out =
        Run.explain(
            """
            26019 19:48:44.533988 brk(NULL)         = 0x5567012a9000 <0.000061>
            26019 19:48:44.539091 openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", O_RDONLY) = 3 <0.000073>
            26019 19:48:44.539292 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=27028, ...}, AT_EMPTY_PATH) = 0 <0.000069>
            26019 19:48:44.539451 mmap(NULL, 27028, PROT_READ, MAP_SHARED, 3, 0) = 0x7f597f37d000 <0.000084>
            26019 19:48:44.539610 close(3)          = 0 <0.000066>
            """);
    assertThat(out.why(4))
        .startsWith("glibc maps the gconv module cache (27028 bytes) shared and read-only the")
        .contains("iconv_open", "__wcsmbs_load_conv", "once per process")
        .doesNotContain("set up by setlocale", "right after the locale file");
  }

  @Test
  void aCacheMappedRightAfterALocaleFileFitsSetlocalesCodesetCheck() {
    // LANG=C.UTF-8 base64 big.bin: setlocale(LC_ALL, "") loads LC_IDENTIFICATION first, and
    // _nl_find_locale compares the name's UTF-8 with the file's codeset before the next category
    Run.Out out =
        Run.explain(
            """
            20633 19:47:17.789457 brk(NULL)         = 0x56133113a000 <0.000002>
            20633 19:47:17.791135 openat(AT_FDCWD</tmp/me>, "/usr/lib/locale/C.utf8/LC_IDENTIFICATION", O_RDONLY|O_CLOEXEC) = 3</usr/lib/locale/C.utf8/LC_IDENTIFICATION> <0.000003>
            20633 19:47:17.791160 mmap(NULL, 258, PROT_READ, MAP_PRIVATE, 3</usr/lib/locale/C.utf8/LC_IDENTIFICATION>, 0) = 0x7fa9616b4000 <0.000006>
            20633 19:47:17.791173 close(3</usr/lib/locale/C.utf8/LC_IDENTIFICATION>) = 0 <0.000002>
            20633 19:47:17.791184 openat(AT_FDCWD</tmp/me>, "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache", O_RDONLY) = 3</usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache> <0.000003>
            20633 19:47:17.791208 mmap(NULL, 27028, PROT_READ, MAP_SHARED, 3</usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache>, 0) = 0x7fa9616ad000 <0.000003>
            """);
    assertThat(out.why(3))
        .startsWith(
            "setlocale or newlocale loads the LC_IDENTIFICATION locale data: _nl_load_locale maps"
                + " the whole file (258 bytes) read-only");
    assertThat(out.why(6))
        .contains(
            "here it comes right after the locale file mapped at line 3, which fits setlocale's or"
                + " newlocale's check (_nl_find_locale)");
  }
}
