package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A read into [heap] is not told as a stdio FILE buffer's where its length or a -k stack says
 * otherwise. glibc's stdio refills a FILE buffer whole (_IO_new_file_underflow asks for all of its
 * min(BUFSIZ, st_blksize) bytes), reads one byte for an unbuffered stream, and less only after an
 * lseek (_IO_new_file_seekoff) or in a wide stream; and it calls read and write from libio inside
 * libc. openssl s_client (OpenSSL 3.0, Debian 12) reads each TLS record as a 5-byte header and then
 * its body: lines of strace -f -tt -T -y -e raw=read,write openssl s_client -connect 127.0.0.1:8443
 * against openssl s_server, cut to the exec, libc.so.6, the breaks and the first records. iperf3
 * 3.12 reads its 1-byte state and writes its JSON with read and write called from libiperf: lines
 * of strace -f -tt -T -y -k -e raw=read,write iperf3 -c 127.0.0.1 -p 5202, cut to the exec, the
 * heap, those calls and a read of /etc/localtime through stdio (tzset's fread).
 */
class StdioReadLengthTest {

  private static Run.Out explain(String name) throws Exception {
    return Run.explain(Path.of(StdioReadLengthTest.class.getResource(name).toURI()));
  }

  @Test
  void aTlsRecordsHeaderAndBodyAreNotAFileBufferRefill() throws Exception {
    Run.Out out = explain("/logs-extra/openssl_s_client_tls_reads_raw.log");
    assertThat(out.why(20))
        .contains("1324131 bytes into the [heap]")
        .contains("likely a malloc'd buffer of the program's or a library's own")
        .contains("this read asks for 5 bytes with no lseek of fd 3 since its last read")
        .contains("_IO_new_file_underflow")
        .doesNotContain("a stdio FILE buffer fits");
    assertThat(out.why(21)).contains("this read asks for 122 bytes");
    // one byte: an unbuffered stream's _shortbuf fits as well as the program's own memory
    assertThat(out.why(23))
        .contains("a one-byte read into malloc'd memory")
        .contains("_shortbuf")
        .contains("the trace does not tell which");
    // a write of any length up to the buffer fits a FILE buffer's flush
    assertThat(out.why(19)).contains("a stdio FILE buffer fits");
  }

  @Test
  void aStackShowingTheProgramCallingReadItselfRulesStdioOut() throws Exception {
    Run.Out out = explain("/logs-extra/iperf3_client_k_raw.log");
    assertThat(out.why(45))
        .contains("696 bytes into the [heap]")
        .contains("not a stdio FILE buffer")
        .contains("libiperf.so.0.0.0:iperf_handle_message_client+0x38 calls libc's read itself")
        .doesNotContain("a stdio FILE buffer fits");
    assertThat(out.at(45).why().get(1).rule()).isEqualTo("own-io-buffer");
    assertThat(out.at(45).why().get(1).basis().name()).isEqualTo("STACK");
    assertThat(out.why(54)).contains("libiperf.so.0.0.0:Nwrite+0x38 calls libc's write itself");
    // tzset's fread goes through _IO_file_underflow inside libc: a stdio FILE buffer, as the
    // stack shows
    assertThat(out.why(66))
        .contains("glibc's stdio reads into a FILE buffer")
        .doesNotContain("itself");
  }
}
