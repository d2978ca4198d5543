package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawTextTest {

  @Test
  void aNameShowsAsUtf8WhereValidAndItsOtherBytesEscaped() {
    assertThat(RawText.name("caf\u00c3\u00a9.txt")).isEqualTo("caf\u00e9.txt");
    assertThat(RawText.name("bad\u00ff.txt")).isEqualTo("bad\\xff.txt");
    assertThat(RawText.name("cut\u00c3")).isEqualTo("cut\\xc3"); // a sequence cut short
    assertThat(RawText.name("q\"<x>")).isEqualTo("q\"<x>");
    assertThat(RawText.name(null)).isEmpty();
    // log text keeps U+FFFD, as the JSON Lines schema says
    assertThat(RawText.unicode("bad\u00ff")).isEqualTo("bad\uFFFD");
  }

  @Test
  void forATerminalControlsAreEscapedInNamesAndText() {
    assertThat(RawText.terminalName("/tmp/\u001b]52;c;aGk=\u0007\nx\u00c2\u009b"))
        .isEqualTo("/tmp/\\x1b]52;c;aGk=\\x07\\x0ax\\x9b");
    assertThat(RawText.terminal("a\u001b[2Jb\n")).isEqualTo("a\\x1b[2Jb\n");
  }
}
