package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever is done to real lines (cut anywhere, duplicated, bytes flipped, lines
 * shuffled), the parser never throws, every event's typed arguments can be built, and every line is
 * still accounted for. Seeded, so a failure reproduces.
 */
class MutationTest {

  /** More rounds when hunting: -Dmemtrace.mutation.rounds=100000 (and .seed to vary). */
  private static final int ROUNDS = Integer.getInteger("memtrace.mutation.rounds", 4000);

  private static final long SEED = Long.getLong("memtrace.mutation.seed", 20261126L);
  private static final String PUNCTUATION = "()[]{}<>\",= \\/*|";

  private static List<String> corpusLines() throws IOException {
    List<String> lines = new ArrayList<>();
    for (Path p : Corpus.allLogs()) {
      lines.addAll(Files.readAllLines(p, StandardCharsets.ISO_8859_1));
    }
    return lines;
  }

  private static String mutate(String line, Random rnd) {
    StringBuilder b = new StringBuilder(line);
    int edits = 1 + rnd.nextInt(3);
    for (int k = 0; k < edits && b.length() > 0; k++) {
      int at = rnd.nextInt(b.length());
      switch (rnd.nextInt(5)) {
        case 0 -> b.setLength(at); // cut
        case 1 ->
            b.insert(
                at, b.substring(at, Math.min(b.length(), at + 1 + rnd.nextInt(20)))); // duplicate
        case 2 -> b.setCharAt(at, (char) (b.charAt(at) ^ (1 << rnd.nextInt(8)))); // flip a bit
        case 3 -> b.setCharAt(at, PUNCTUATION.charAt(rnd.nextInt(PUNCTUATION.length())));
        default -> b.deleteCharAt(at);
      }
    }
    return b.toString();
  }

  @Test
  void mutatedLinesNeverThrow() throws IOException {
    List<String> lines = corpusLines();
    Random rnd = new Random(SEED);
    for (int round = 0; round < ROUNDS; round++) {
      StringBuilder text = new StringBuilder();
      int n = 1 + rnd.nextInt(6);
      for (int k = 0; k < n; k++) {
        String line = lines.get(rnd.nextInt(lines.size()));
        text.append(rnd.nextInt(3) == 0 ? line : mutate(line, rnd)).append('\n');
      }
      String input = text.toString();
      assertThatCode(
              () -> {
                List<TraceEvent> events = TraceReader.parseAll(input);
                for (TraceEvent e : events) {
                  if (e instanceof UnparsedEvent u) {
                    assertThat(u.error()).doesNotStartWith(TraceReader.INTERNAL_ERROR);
                  }
                  if (e instanceof SyscallEvent s) {
                    for (int i = 0; i < s.args().size(); i++) {
                      assertThat(s.args().get(i).text()).isNotNull();
                    }
                  }
                }
                assertThat(events).isNotNull();
              })
          .as("input %s", input)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void randomBytesNeverThrow() {
    Random rnd = new Random(42);
    for (int round = 0; round < 500; round++) {
      byte[] bytes = new byte[rnd.nextInt(600)];
      rnd.nextBytes(bytes);
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      assertThatCode(
              () ->
                  assertThat(TraceReader.parseAll(text))
                      .allSatisfy(
                          e -> {
                            if (e instanceof UnparsedEvent u) {
                              assertThat(u.error()).doesNotStartWith(TraceReader.INTERNAL_ERROR);
                            }
                          }))
          .doesNotThrowAnyException();
    }
  }
}
