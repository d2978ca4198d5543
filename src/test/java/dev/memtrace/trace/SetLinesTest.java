package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SetLinesTest {

  private final SetLines set = new SetLines(List.of("/tmp/a/t.100", "/tmp/a/t.101", "t.7"));

  @Test
  void aReferenceKeepsItsFileAndLine() {
    for (int f = 0; f < 3; f++) {
      for (int line : new int[] {1, 2, 12, 1_000_000}) {
        int ref = set.ref(f, line);
        assertThat(set.file(ref)).isEqualTo(f);
        assertThat(set.line(ref)).isEqualTo(line);
      }
    }
    assertThat(set.ref(0, 12)).isNotEqualTo(set.ref(1, 12));
    assertThat(set.ref(1, 12)).isLessThan(set.ref(1, 13));
  }

  @Test
  void aSingleLogsReferencesAreItsLinesAndItsSentencesStay() {
    assertThat(SetLines.ONE.ref(0, 12)).isEqualTo(12);
    String s = "the mapping made at line 12, then lines 3, 4 and 5";
    assertThat(SetLines.ONE.resolve(s, 0)).isSameAs(s);
  }

  @Test
  void anotherFilesLineNamesItsFileByBaseName() {
    int own = set.ref(1, 12);
    int other = set.ref(0, 30);
    String s =
        "made at line " + own + ", and at line " + other + "; lines " + own + " and " + other;
    assertThat(set.resolve(s, 1))
        .isEqualTo("made at line 12, and at line 30 of t.100; lines 12 and 30 of t.100");
    assertThat(set.cite(other, -1)).isEqualTo("30 of t.100");
  }

  @Test
  void aCountOfCallsLeftOutIsNoLine() {
    int a = set.ref(0, 7);
    int b = set.ref(0, 9);
    assertThat(set.resolve("lines " + a + ", " + b + " and 4 more calls", 0))
        .isEqualTo("lines 7, 9 and 4 more calls");
    assertThat(set.resolve("lines " + a + ", " + b + " and 12 more calls", 0))
        .isEqualTo("lines 7, 9 and 12 more calls");
  }

  @Test
  void twoFilesOfOneBaseNameAreNamedAsGiven() {
    SetLines two = new SetLines(List.of("x/t.1", "y/t.1"));
    assertThat(two.cite(two.ref(1, 3), 0)).isEqualTo("3 of y/t.1");
  }

  @Test
  void aFileLongerThanTheSetCanNumberIsRefusedWithAMessage() {
    List<String> files = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      files.add("s." + i);
    }
    SetLines set = new SetLines(files);
    assertThat(set.ref(0, 715827)).isPositive();
    assertThatThrownBy(() -> set.ref(0, 715829))
        .isInstanceOf(SetLines.TooLong.class)
        .hasMessage(
            "line 715829 of s.0 is past what a set of 3000 files can number (715827 lines a"
                + " file): read fewer files at once, or that file alone");
  }
}
