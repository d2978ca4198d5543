package dev.memtrace.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void silentForTheFirstSecondThenOnceASecondThenErased() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong now = new AtomicLong(0);
    Progress p = new Progress(err, now::get);
    p.update(4096);
    now.set(900_000_000L);
    p.update(8192);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    now.set(1_000_000_000L);
    p.update(1_200_000);
    now.set(1_500_000_000L);
    p.update(1_300_000);
    now.set(2_000_000_000L);
    p.update(2_500_000);
    p.done();
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            String.format("\rmemtrace: %,d lines read, 1 s", 1_200_000)
                + String.format("\rmemtrace: %,d lines read, 2 s", 2_500_000)
                + "\r\033[K");
  }
}
