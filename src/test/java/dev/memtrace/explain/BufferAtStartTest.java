package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A buffer at its region's first byte: gawk 5.2 (Debian 12) reads /proc/self/maps into a mapping of
 * its own (libsigsegv's reader, an 8192-byte anonymous mmap) from its start, and the sentence read
 * "is 0 bytes into the 8192-byte anonymous mapping". Lines 1 to 140 of strace -f -tt -T -y -e
 * raw=read,write awk '{n+=length($0)} END{print n}' /etc/services.
 */
class BufferAtStartTest {

  @Test
  void aBufferAtTheFirstByteIsAtTheStart() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/gawk_maps_reader_raw.log").toURI()));
    assertThat(out.why(135))
        .startsWith(
            "the buffer at 0x7fa6924ba000 is at the start of the 8192-byte anonymous mapping made"
                + " at line 133")
        .doesNotContain("0 bytes into");
  }
}
