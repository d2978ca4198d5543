package dev.memtrace.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.Numbers;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** An argument's text reads as the one number reader reads its literal, around what strace adds. */
class ArgTextTest {

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
      assertThat(ArgText.number(t)).as(t).isEqualTo(Numbers.parse(t));
    }
  }

  @Test
  void whatStraceWritesAroundANumber() {
    assertThat(ArgText.number("3</usr/lib/libc.so.6>")).hasValue(3);
    assertThat(ArgText.number("0x3 /* PROT_READ|PROT_WRITE */")).hasValue(3);
    assertThat(ArgText.number("8192*1024")).hasValue(8388608);
    assertThat(ArgText.number("NULL")).hasValue(0);
    assertThat(ArgText.number("AT_FDCWD")).hasValue(-100);
    assertThat(ArgText.number("16 => 28")).as("the value at entry").hasValue(16);
  }

  @Test
  void whatIsNoNumberIsEmpty() {
    for (String t : new String[] {"08", "0x", "-", "", "MAP_PRIVATE", "\"4096\"", "4096*x", "{}"}) {
      assertThat(ArgText.number(t)).as(t).isEqualTo(OptionalLong.empty());
    }
    assertThat(ArgText.number(null)).isEmpty();
  }

  /** strace -s 8 prints memfd_create("mymemfdl"..., ...): the string is not whole, and says so. */
  @Test
  void aStringStraceCutKeepsItsMark() {
    assertThat(ArgText.unquote("\"mymemfdl\"...")).isEqualTo("mymemfdl... (cut by strace -s)");
    assertThat(ArgText.unquote("\"my\\tmem\"...")).isEqualTo("my\tmem" + ArgText.CUT);
    assertThat(ArgText.cut(ArgText.unquote("\"mymemfdl\"..."))).isTrue();
    assertThat(ArgText.cut(ArgText.unquote("\"mymemfdl\""))).isFalse();
    assertThat(ArgText.unquote("\"a...\"")).isEqualTo("a...");
  }

  /**
   * -x escapes take up to two hex digits, as Strings.decode reads them: a damaged {@code \x0"} (a
   * mutated -x log, FuzzTest seed 15; bench/fuzz.sh seed 1207) ends at the quote instead of failing
   * to parse {@code 0"}, and one with no digit is a 0 byte.
   */
  @Test
  void hexEscapesOfADamagedLogDecodeAsFarAsTheyGo() {
    assertThat(ArgText.unquote("\"\\x2f\\x65tc\"")).isEqualTo("/etc");
    assertThat(ArgText.unquote("\"\\x2f\\x61\\x0\"")).isEqualTo("/a\0");
    assertThat(ArgText.unquote("\"\\x6\u00e3\\x7\"")).isEqualTo("\u0006\u00e3\u0007");
    assertThat(ArgText.unquote("\"a\\xg\\x\"")).isEqualTo("a\0g\0");
  }

  /** strace 6 prints a file with no name left as 3</tmp/x>(deleted): read as maps names it. */
  @Test
  void aDeletedMarkOutsideTheDecorationIsKeptAsMapsWritesIt() {
    assertThat(ArgText.decoration("3</tmp/#2151466>(deleted)"))
        .isEqualTo("/tmp/#2151466 (deleted)");
    assertThat(ArgText.decoration("3</memfd:libffi>(deleted)"))
        .isEqualTo("/memfd:libffi (deleted)");
  }

  @Test
  void decorationsStringsFieldsAndItems() {
    assertThat(ArgText.decoration("3</dev/null<char 1:3>>")).isEqualTo("/dev/null");
    assertThat(ArgText.decoration("3</tmp/caf\\303\\251>")).isEqualTo("/tmp/caf\u00c3\u00a9");
    assertThat(ArgText.decoration("3")).isNull();
    assertThat(ArgText.unquote("\"a\\tb\\42\"")).isEqualTo("a\tb\"");
    assertThat(ArgText.unquote("0x10")).isNull();
    assertThat(ArgText.field("{flags=CLONE_VM|CLONE_FS, stack=0x7f00, stack_size=0x1000}", "stack"))
        .isEqualTo("0x7f00");
    assertThat(ArgText.field("{a={b=1, c=2}, c=3}", "c")).isEqualTo("3");
    assertThat(ArgText.items("[3<pipe:[1]>, 4<pipe:[1]>]"))
        .containsExactly("3<pipe:[1]>", "4<pipe:[1]>");
    assertThat(ArgText.items("[]")).isEmpty();
  }
}
