package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** C integer literals as strace prints them, on both sides of the short cut for plain numbers. */
class NumbersTest {

  @Test
  void plainDecimalAndHexOnBothSidesOfTheShortCut() {
    assertThat(Numbers.parse("0")).hasValue(0);
    assertThat(Numbers.parse("4096")).hasValue(4096);
    assertThat(Numbers.parse("999999999999999999")).hasValue(999_999_999_999_999_999L);
    assertThat(Numbers.parse("18446744073709551615")).hasValue(-1); // unsigned, the long way
    assertThat(Numbers.parse("0x7f1c2a400000")).hasValue(0x7f1c2a400000L);
    assertThat(Numbers.parse("0XFF")).hasValue(255);
    assertThat(Numbers.parse("0xfffffffffffffff")).hasValue(0xfffffffffffffffL); // 15 digits
    assertThat(Numbers.parse("0xffffffffff600000")).hasValue(0xffffffffff600000L); // 16
  }

  @Test
  void signsOctalSpacesAndWhatIsNotANumber() {
    assertThat(Numbers.parse("-1")).hasValue(-1);
    assertThat(Numbers.parse("-0x10")).hasValue(-16);
    assertThat(Numbers.parse("-4095")).hasValue(-4095);
    assertThat(Numbers.parse("-0")).hasValue(0);
    assertThat(Numbers.parse("-")).isEqualTo(OptionalLong.empty());
    assertThat(Numbers.parse("--1")).isEqualTo(OptionalLong.empty());
    assertThat(Numbers.parse("0644")).hasValue(0644);
    assertThat(Numbers.parse(" 42 ")).hasValue(42);
    assertThat(Numbers.parse("0x")).isEqualTo(OptionalLong.empty());
    assertThat(Numbers.parse("0xZZ")).isEqualTo(OptionalLong.empty());
    assertThat(Numbers.parse("12ab")).isEqualTo(OptionalLong.empty());
    assertThat(Numbers.parse("AT_FDCWD")).isEqualTo(OptionalLong.empty());
    assertThat(Numbers.parse("")).isEqualTo(OptionalLong.empty());
  }
}
