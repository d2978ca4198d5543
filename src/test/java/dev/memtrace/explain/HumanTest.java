package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HumanTest {

  @Test
  void sizesAreUnsignedUpToTwoToTheSixtyFour() {
    assertThat(Human.bytes(139264)).isEqualTo("136 KiB");
    assertThat(Human.bytes(Long.MIN_VALUE)).isEqualTo("8192 PiB"); // 2^63
    assertThat(Human.bytes(-1)).isEqualTo("16384 PiB"); // 2^64 - 1, rounded
    assertThat(Human.bytes(1023)).isEqualTo("1023 B");
  }
}
