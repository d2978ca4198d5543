package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A heap buffer of a readv is not a stdio FILE buffer: glibc's stdio moves its buffers only with
 * read and write (_IO_file_read, _IO_new_file_write in libio/fileops.c). tmux 3.3a's server reads
 * its pty through libevent's evbuffer_read, which calls readv into a malloc'd evbuffer chain (a -k
 * stack of the same run shows readv called from evbuffer_read). Lines of strace -f -tt -T -y of sh
 * -c "tmux new-session -d 'sleep 0.2'; sleep 0.5" (Debian 12), cut to the tmux client's exec, its
 * loading of libc.so.6 and its heap, its two forks into the server, the server's breaks and its
 * failed readv of /dev/ptmx. Where the trace does not show glibc loaded, nothing is said of the
 * buffer's owner: musl's stdio reads and writes its FILE buffers with readv and writev.
 */
class OwnIoBufferTest {

  @Test
  void aReadvBufferIsNotToldAsAStdioBuffer() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/tmux_libevent_readv.log").toURI()));
    assertThat(out.why(29))
        .contains("612560 bytes into the [heap]")
        .contains("a malloc'd buffer the program or a library uses for its own I/O")
        .contains("never with readv")
        .doesNotContain("stdio FILE buffer fits");
    assertThat(out.at(29).why().get(1).rule()).isEqualTo("own-io-buffer");
  }

  @Test
  void theBufferOffsetCountsFromTheRegionItNames() throws Exception {
    // the server, a fork child, grew [heap] past what it inherited: the kernel keeps the cloned
    // part (up to 0x55f58d9f1000) and the new one apart, and the buffer record names the second
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/tmux_libevent_readv.log").toURI()));
    var buf = out.at(29).buffer();
    assertThat(buf.region().start()).isEqualTo(0x55f58d9f1000L);
    assertThat(buf.offset()).isEqualTo(0x55f58da658d0L - 0x55f58d9f1000L);
  }

  @Test
  void withoutGlibcShownTheReadvBufferIsNotSaidNotToBeStdios() throws Exception {
    String log =
        Files.readAllLines(
                Path.of(getClass().getResource("/logs-extra/tmux_libevent_readv.log").toURI()))
            .stream()
            .filter(l -> !l.contains("libc.so.6"))
            .collect(Collectors.joining("\n", "", "\n"));
    Run.Out out = Run.explain(log);
    assertThat(out.why(22))
        .contains("612560 bytes into the [heap]")
        .doesNotContain("for its own I/O")
        .doesNotContain("stdio FILE buffer fits");
  }
}
