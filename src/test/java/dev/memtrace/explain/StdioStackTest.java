package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A -k stack that shows glibc's stdio calling read or write tells whose the buffer is: a libio
 * function (_IO_file_underflow, _IO_file_write) calls the wrapper from inside libc, and
 * _IO_new_file_underflow reads into the FILE's _IO_buf_base (libio/fileops.c). bash 5.2 reads
 * /usr/share/locale/locale.alias through setlocale's fgets and writes its echo through stdout's
 * FILE buffer: lines of strace -f -tt -T -y -k -e raw=read,write bash -c 'a=$(echo x); echo "line
 * $a"' (Debian 12), cut to the exec, libc.so.6, the breaks, that read and that write.
 */
class StdioStackTest {

  @Test
  void aReadTheStackShowsStdioRefillingIsToldAsAFileBuffer() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/bash_stdio_k_raw.log").toURI()));
    assertThat(out.why(64))
        .contains("1184 bytes into the [heap]")
        .contains("glibc's stdio reads into a FILE buffer")
        .contains("libc.so.6:_IO_file_underflow+0x17e calls libc's read")
        .doesNotContain("the trace does not tell which");
    assertThat(out.at(64).why().get(1).rule()).isEqualTo("stdio-buffer");
    assertThat(out.at(64).why().get(1).basis().name()).isEqualTo("STACK");
  }

  @Test
  void aWriteFromLibioIsStdiosThoughItsBytesMayBeTheCallers() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/bash_stdio_k_raw.log").toURI()));
    assertThat(out.why(79))
        .contains("80656 bytes into the [heap]")
        .contains("glibc's stdio makes this write")
        .contains("libc.so.6:_IO_file_write+0x25 calls libc's write from libio")
        .contains("_IO_new_file_xsputn")
        .doesNotContain("the trace does not tell which");
    assertThat(out.at(79).why().get(1).basis().name()).isEqualTo("STACK");
  }

  /** A frame -k names no symbol for (a libc without symbols) is no wrapper and fails nothing. */
  @Test
  void aFrameWithoutASymbolIsNoWrapper() throws Exception {
    String log =
        Files.readString(
                Path.of(getClass().getResource("/logs-extra/bash_stdio_k_raw.log").toURI()))
            .replace("libc.so.6(__read_nocancel+0x4)", "libc.so.6()");
    Run.Out out = Run.explain(log);
    assertThat(out.why(64))
        .contains("1184 bytes into the [heap]")
        .doesNotContain("glibc's stdio reads into a FILE buffer");
  }
}
