package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  @Test
  void theWordAtATimeSearchFindsTheFirstNewlineWhereverItIs() {
    Random r = new Random(7);
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[r.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        // bytes near '\n' and 0x80 are the ones a word-at-a-time test can get wrong
        int pick = r.nextInt(6);
        b[i] =
            (byte)
                (pick == 0
                    ? '\n'
                    : pick == 1
                        ? '\n' + 1
                        : pick == 2 ? '\n' - 1 : pick == 3 ? 0x8A : r.nextInt(256));
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length + 1);
      int to = from + r.nextInt(b.length - from + 1);
      int expected = -1;
      for (int i = from; i < to; i++) {
        if (b[i] == '\n') {
          expected = i;
          break;
        }
      }
      assertThat(LineReader.newline(b, from, to)).isEqualTo(expected);
    }
  }

  /** Hands out at most 3 bytes per read, so lines and words straddle every refill. */
  private static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 3));
      }
    };
  }

  @Test
  void linesComeOutWholeAcrossReadsWithCrLfAndACutLastLine() throws IOException {
    String text = "first line\r\n\nthird \u00e9\u00ff line that is longer than a word\nlast";
    List<String> lines = new ArrayList<>();
    try (LineReader r = new LineReader(trickle(text.getBytes(StandardCharsets.ISO_8859_1)))) {
      for (String l = r.next(); l != null; l = r.next()) {
        lines.add(l);
      }
      assertThat(r.lastLineCut()).isTrue();
      assertThat(r.lineNumber()).isEqualTo(4);
    }
    assertThat(lines)
        .containsExactly(
            "first line", "", "third \u00e9\u00ff line that is longer than a word", "last");
  }
}
