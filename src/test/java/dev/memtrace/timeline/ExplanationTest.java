package dev.memtrace.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The log lines a sentence cites: what JSON Lines writes as a reason's "lines". */
class ExplanationTest {

  private static SortedSet<Integer> lines(String text, String... evidence) {
    return new Explanation("r", text, Explanation.Basis.PATTERN, List.of(evidence)).lines(7);
  }

  @Test
  void citesEachLineItNames() {
    assertThat(lines("made at line 12")).containsExactly(7, 12);
    assertThat(lines("the reads of lines 3, 4 and 5 to 9", "unmapped at line 40"))
        .containsExactly(3, 4, 5, 7, 9, 40);
    assertThat(lines("(line 8) and (line 2)")).containsExactly(2, 7, 8);
  }

  @Test
  void aWordEndingInLineIsNoCitation() {
    assertThat(lines("the pipeline 12 and _line 13 and 5line 14")).containsExactly(7);
    assertThat(lines("no number after line, nor after lines")).containsExactly(7);
    assertThat(lines("line 1234567890 is too long a number")).containsExactly(7);
  }

  /** The citations as a search of the whole text finds them, for comparison. */
  private static SortedSet<Integer> byFind(String s) {
    Pattern line =
        Pattern.compile("\\blines? (\\d+)(?!\\d| of )(?:(?:, | and | to )\\d+(?!\\d| of ))*");
    Pattern number = Pattern.compile("\\d+");
    SortedSet<Integer> out = new TreeSet<>(List.of(7));
    Matcher m = line.matcher(s);
    while (m.find()) {
      Matcher d = number.matcher(m.group());
      while (d.find() && d.group().length() < 10) {
        out.add(Integer.parseInt(d.group()));
      }
    }
    return out;
  }

  @Test
  void findsWhatASearchOfTheWholeTextFinds() {
    String[] pieces = {
      "line",
      "line ",
      "lines ",
      " ",
      "1",
      "23",
      ", ",
      " and ",
      " to ",
      "x",
      "_",
      "é",
      "\u0301",
      "(",
      "pipe",
      " of ",
      "1234567890"
    };
    Random random = new Random(18);
    int cited = 0;
    for (int n = 0; n < 40_000; n++) {
      StringBuilder b = new StringBuilder();
      for (int k = random.nextInt(12); k >= 0; k--) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      String s = b.toString();
      SortedSet<Integer> expected = byFind(s);
      assertThat(lines(s)).as(s).isEqualTo(expected);
      cited += expected.size() > 1 ? 1 : 0;
    }
    assertThat(cited).as("texts that cite a line").isGreaterThan(1000);
  }
}
