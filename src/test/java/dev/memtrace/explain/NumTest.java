package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.Numbers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The explain stage reads a literal as the one number reader does, around what strace adds. */
class NumTest {

  @Test
  void aLiteralReadsAsTheNumberReaderReadsIt() {
    for (String t :
        List.of(
            "0",
            "4096",
            "-1",
            "0x7f1c2a400000",
            "0644",
            "18446744073709551615",
            "0xffffffffffffffff",
            "-4095")) {
      assertThat(Num.parse(t)).as(t).isEqualTo(Numbers.parse(t).getAsLong());
    }
  }

  @Test
  void whatStraceWritesAroundANumber() {
    assertThat(Num.parse("3</usr/lib/libc.so.6>")).isEqualTo(3);
    assertThat(Num.parse("0x3 /* PROT_READ|PROT_WRITE */")).isEqualTo(3);
    assertThat(Num.parse("8192*1024")).isEqualTo(8388608);
    assertThat(Num.parse("NULL")).isZero();
    assertThat(Num.parse("AT_FDCWD")).isEqualTo(Num.NONE);
    assertThat(Num.parse("08")).isEqualTo(Num.NONE);
  }
}
