package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the kernel maps at execve, learnt from the first snapshot: an executable run by a relative
 * path (./globals, mapped as /tmp/s/globals) is an image, the anonymous rw-p region after its data
 * is its .bss, the executable's segments are explained with their sizes, and the special regions
 * are explained once.
 */
class KernelImageTest {

  private static final String MAPS =
      String.join(
          "\\n",
          "555555554000-555555555000 r--p 00000000 fe:00 7 /tmp/s/globals",
          "555555555000-555555556000 r-xp 00001000 fe:00 7 /tmp/s/globals",
          "555555556000-555555557000 r--p 00002000 fe:00 7 /tmp/s/globals",
          "555555557000-555555659000 rw-p 00002000 fe:00 7 /tmp/s/globals",
          "555555659000-555556659000 rw-p 00000000 00:00 0 ",
          "7ffff7fc1000-7ffff7fc5000 r--p 00000000 00:00 0 [vvar]",
          "7ffff7fc5000-7ffff7fc7000 r-xp 00000000 00:00 0 [vdso]",
          "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]",
          "");

  @Test
  void theExecutablesDataAndBssAreItsImageAndSpecialsAreExplainedOnce(@TempDir Path dir)
      throws IOException {
    Path log =
        Files.writeString(
            dir.resolve("t.log"),
            """
        100 execve("./globals", ["./globals"], 0x7ffc37bac0e0 /* 2 vars */) = 0
        100 brk(NULL) = 0x555557000000 (DELAYED)
        100 exit_group(0) = ?
        100 +++ exited with 0 +++
        """);
    Path snaps =
        Files.writeString(
            dir.resolve("t.maps.jsonl"),
            "{\"line\": 2, \"pid\": 100, \"maps\": \"" + MAPS + "\"}\n");
    Cli r =
        Cli.run(
            "analyze",
            "--color",
            "never",
            "--with-summary",
            "--snapshots",
            snaps.toString(),
            log.toString());
    assertThat(r.status()).isZero();
    String timeline = r.out().substring(0, r.out().indexOf("== summary =="));
    assertThat(timeline.split("\\[vdso\\]: a small shared object", -1)).hasSize(2);
    assertThat(timeline.split("\\[stack\\]: the main thread's stack, 135168 bytes", -1)).hasSize(2);
    assertThat(timeline)
        .contains(
            "the executable /tmp/s/globals as the kernel mapped it at "
                + "execve: r--p 4 KiB first segment (ELF and program headers, .dynsym/.dynstr, "
                + "relocations: what ld.so reads, no code); r-xp 4 KiB text (code); r--p 4 KiB rodata (constants, "
                + "string literals); rw-p 1.01 MiB data (initialised globals and statics, from the file, "
                + "copy-on-write); rw-p 16 MiB bss beyond the last data page");
    assertThat(r.out())
        .containsPattern("image: text\\s+4 KiB\\s+1\\s+4 KiB")
        .containsPattern("image: data\\s+1.01 MiB\\s+1\\s+1.01 MiB")
        .containsPattern("image: bss\\s+16 MiB\\s+1\\s+16 MiB")
        .containsPattern("/tmp/s/globals\\s+17.0 MiB\\s+5\\s+16 MiB")
        .doesNotContain("anonymous mmap");
  }
}
