package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** analyze on strace 6.1 logs of shapes the corpus lacks (src/test/resources/logs-extra/). */
class ExtraShapesCliTest {

  static String extra(String name) throws Exception {
    return Path.of(ExtraShapesCliTest.class.getResource("/logs-extra/" + name).toURI()).toString();
  }

  @Test
  void jsonlCarriesTheDumpedDataOfItsCall() throws Exception {
    Cli r = Cli.run("analyze", "--strict", "--format", "jsonl", extra("cat_read_write_dump.log"));

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("\"syscall\":\"write\",\"args\":[\"1\",\"\\\"hello01234\\\\n\\\"\",\"11\"],"
        + "\"ret\":\"11\",\"errno\":null,\"dump\":\"68656c6c6f30313233340a\"}");
  }

  @Test
  void relativeSecondsLogsParse() throws Exception {
    Cli r = Cli.run("analyze", "--strict", extra("cat_r_seconds.log"));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
  }
}
