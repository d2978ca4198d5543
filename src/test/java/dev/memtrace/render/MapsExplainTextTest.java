package dev.memtrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.explain.RegionAnatomy;
import dev.memtrace.model.Region;
import dev.memtrace.timeline.RegionClass;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who made a RELRO region read-only, as {@code maps --explain} says it: glibc's ld.so, libc's
 * startup in a static program, or the loader the program's PT_INTERP names when that is not glibc's
 * (musl's dynamic linker is its libc.so: reloc_all in ldso/dynlink.c).
 */
class MapsExplainTextTest {

  private static final RegionAnatomy.Facts RELRO =
      new RegionAnatomy.Facts(
          new Region(
              0x559004156000L,
              0x559004157000L,
              "r--p",
              0x2000,
              "00:00",
              0,
              "/tmp/elf/thr_musl",
              1,
              Region.Learnt.ELF_HEADER,
              0x559004156000L,
              0x559004157000L,
              3),
          RegionClass.IMAGE_RELRO,
          List.of(".init_array", ".got"),
          true,
          null,
          0,
          null,
          0);

  private static String first(boolean staticImage, String loader) {
    return MapsExplainText.about(RELRO, "made by the kernel", null, staticImage, loader).get(0);
  }

  @Test
  void muslsRelroIsMadeByTheLoaderItsHeadersName() {
    assertThat(first(false, "/lib/ld-musl-x86_64.so.1"))
        .contains("by the dynamic linker the program's PT_INTERP names, /lib/ld-musl-x86_64.so.1")
        .doesNotContain("ld.so");
  }

  @Test
  void glibcsAndStaticWordingsStay() {
    assertThat(first(false, "/lib64/ld-linux-x86-64.so.2"))
        .contains("(RELRO: made read-only by ld.so after relocation)");
    assertThat(first(false, null)).contains("(RELRO: made read-only by ld.so after relocation)");
    assertThat(first(true, null)).contains("by libc's startup").doesNotContain("by ld.so");
  }
}
