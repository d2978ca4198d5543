package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A read of whole blocks into a malloc mapping, then a read of one block on the same fd: stdio's
 * fread into a buffer larger than the first read. wget 1.21.3 (Debian 12) loads the CA bundle
 * through GnuTLS, whose gnutls_load_file uses gnulib's fread_file: it mallocs st_size + 1 = 219598
 * bytes (a 221184-byte mapping) and freads that much. _IO_file_xsgetn (glibc libio/fileops.c) reads
 * the whole 4096-byte blocks, 217088 bytes, straight into the buffer, then the rest through its
 * FILE buffer (a 4096-byte read into [heap] that returns 2509). The old sentences named the mapping
 * "wget's 217088-byte read buffer", a size the trace does not show. Lines of strace -f -tt -T -y
 * (with -e raw=read,write, and without) of wget -q -O /dev/null --no-check-certificate
 * https://vm:8443/ against openssl s_server on this machine, cut to wget's exec, libc.so.6, its
 * breaks, and the bundle's open, reads and the munmap of the buffer.
 */
class FreadWholeBlocksTest {

  private static Run.Out explain(String name) throws Exception {
    return Run.explain(Path.of(FreadWholeBlocksTest.class.getResource(name).toURI()));
  }

  @Test
  void theMappingIsNotNamedByTheLengthOfFreadsWholeBlocks() throws Exception {
    Run.Out out = explain("/logs-extra/wget_gnutls_fread_whole_blocks.log");
    assertThat(out.at(11).why().get(0).rule()).isEqualTo("io-buffer");
    assertThat(out.why(11))
        .contains("fits a buffer for wget's 217088-byte read at line 13, though likely not one")
        .contains("That read asked for 53 whole 4096-byte blocks")
        .contains("the next read on fd 4, at line 14, for one 4096-byte block into other memory")
        .contains("_IO_file_xsgetn (libio/fileops.c)")
        .contains("malloc(n) for n from 217089 to 221160")
        .contains("(inferred from the pattern)")
        .doesNotContain("a buffer of 217088 bytes")
        .doesNotContain("217088-byte read buffer");
    assertThat(out.at(11).why().get(0).basis().name()).isEqualTo("PATTERN");
    assertThat(out.why(13))
        .contains("16 bytes into wget's buffer of its 217088-byte read made at line 11")
        .doesNotContain("217088-byte read buffer");
    assertThat(out.why(17))
        .contains("free() gives wget's buffer of its 217088-byte read made at line 11")
        .doesNotContain("217088-byte read buffer");
  }

  @Test
  void withoutAddressesTheReadsTellTheSame() throws Exception {
    Run.Out out = explain("/logs-extra/wget_gnutls_fread_whole_blocks_data.log");
    assertThat(out.why(11))
        .contains("That read asked for 53 whole 4096-byte blocks")
        .contains("at line 14, for one 4096-byte block:")
        .doesNotContain("into other memory")
        .doesNotContain("a buffer of 217088 bytes");
    assertThat(out.why(13))
        .contains("likely through wget's buffer of its 217088-byte read made at line 11")
        .doesNotContain("217088-byte read buffer");
    assertThat(out.why(17)).doesNotContain("217088-byte read buffer");
  }

  @Test
  void aBlockReadIntoTheSameMappingIsNotFreadsRest() throws Exception {
    // the same two reads, the second into the mapping itself: a program reading its own buffer
    // on, not stdio's FILE buffer
    String log =
        java.nio.file.Files.readString(
                Path.of(
                    getClass()
                        .getResource("/logs-extra/wget_gnutls_fread_whole_blocks.log")
                        .toURI()))
            .replace(
                "read(0x4, 0x555a5232e1d0, 0x1000) = 0x9cd",
                "read(0x4, 0x7f24a944f010, 0x1000) = 0x9cd");
    Run.Out out = Run.explain(log);
    assertThat(out.why(11)).contains("a buffer of 217088 bytes").doesNotContain("fread");
  }
}
