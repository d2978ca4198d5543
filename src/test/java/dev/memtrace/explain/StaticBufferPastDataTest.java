package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.elf.ElfFiles;
import dev.memtrace.timeline.Explanation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read into a static buffer of the executable: GNU as 2.40 (Debian 12's binutils, run by gcc
 * under ccache) reads its input with read(fd, buf, 0x7000) into a buffer whose start lies in the
 * last page of its data segment (link address 0xe0e50, in .bss, which begins in that page) and
 * whose bytes run on into the anonymous .bss pages after it. The sentence said only "3664 bytes
 * into /usr/bin/x86_64-linux-gnu-as (image: data ...)" with basis snapshot, where no snapshot was
 * taken: the model laid the region out from the ELF program headers. Lines of strace -f -tt -T -y
 * -e raw=read,write,pread64,pwrite64 ccache gcc -O2 -c b.c, cut to the assembler's calls that place
 * its image; the headers are read from this machine's as, copied under a --root (skipped where it
 * is not that build).
 */
class StaticBufferPastDataTest {

  @TempDir Path root;

  @Test
  void aReadPastTheDataPageSaysWhereItRunsAndRestsOnTheElfHeaders() throws Exception {
    Path as = Path.of("/usr/bin/x86_64-linux-gnu-as");
    assumeTrue(Files.isReadable(as) && Files.size(as) == 918952);
    Files.createDirectories(root.resolve("usr/bin"));
    Files.copy(as, root.resolve("usr/bin/as"));
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/gas_static_buffer_raw.log").toURI()));
    Run.Out out = Run.explain(log, ElfFiles.under(root));
    Explanation buffer =
        out.at(9).why().stream().filter(e -> e.rule().equals("buffer")).findFirst().orElseThrow();
    assertThat(buffer.basis()).isEqualTo(Explanation.Basis.ELF);
    assertThat(buffer.text())
        .startsWith("the buffer at 0x5579f7f22e50 is 3664 bytes into /usr/bin/as (image: data,")
        .contains(
            "the 28672 bytes it may fill run past that region's end, 432 bytes after the"
                + " buffer's start, into the .bss of /usr/bin/as beyond its last data page,"
                + " 0x5579f7f23000-0x5579f7f2d000");
  }
}
