package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.elf.ElfFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xz 5.4.1 reads and writes through two static io_buf unions of IO_BUFFER_SIZE 8192 bytes
 * (src/xz/coder.c's in_buf and out_buf, in .bss): out_buf starts in the last page of the data
 * segment, in_buf in the anonymous .bss pages the kernel maps after it. The write's sentence said
 * "the 8192 bytes it may fill run past that region's end", but a write takes its bytes from the
 * buffer and fills nothing; the read's called the .bss laid out from the ELF headers "anonymous
 * region", where the same .bss shown by a snapshot is "the .bss of /usr/bin/xz". Lines of strace -f
 * -tt -T -y -e raw=read,write,pread64,pwrite64 xz -T2 -3 -k -f big.txt (Debian 12), cut to the
 * calls that place the image and the first read and the last write; the headers are read from this
 * machine's xz, copied under a --root (skipped where it is not that build).
 */
class StaticIoBufferTest {

  @TempDir Path root;

  private Run.Out xz() throws Exception {
    Path xz = Path.of("/usr/bin/xz");
    assumeTrue(Files.isReadable(xz) && Files.size(xz) == 84680);
    Files.createDirectories(root.resolve("usr/bin"));
    Files.copy(xz, root.resolve("usr/bin/xz"));
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/xz_static_io_buf_raw.log").toURI()));
    return Run.explain(log, ElfFiles.under(root));
  }

  @Test
  void aWriteRunningPastTheDataPageWritesItFillsNothing() throws Exception {
    assertThat(xz().why(9))
        .contains("the buffer at 0x5578b4728340 is 832 bytes into /usr/bin/xz (image: data,")
        .contains(
            "the 8192 bytes it writes run past that region's end, 3264 bytes after the buffer's"
                + " start, into the .bss of /usr/bin/xz beyond its last data page")
        .doesNotContain("may fill");
  }

  @Test
  void aReadIntoTheBssTheHeadersLaidOutNamesIt() throws Exception {
    assertThat(xz().why(8))
        .contains(
            "the buffer at 0x5578b472a340 is 4928 bytes into the .bss of /usr/bin/xz (image: bss,")
        .doesNotContain("anonymous region");
  }
}
