package dev.memtrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.Corpus;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Property: real logs whose memory, fd and process calls carry impossible numbers (lengths that
 * wrap, addresses above 2^63, a zero where a size goes) never make the model fail. It says what it
 * cannot know, or that the kernel would have refused the call; "could not apply this event" would
 * mean one of its own computations broke. Seeded, so a failure reproduces.
 */
class ModelMutationTest {

  private static final int ROUNDS = Integer.getInteger("memtrace.mutation.rounds", 60);
  private static final long SEED = Long.getLong("memtrace.mutation.seed", 20261126L);
  private static final Pattern CALL =
      Pattern.compile(
          "\\b(mmap|munmap|mprotect|brk|mremap|madvise|mlock|shmat|clone|execve|openat|dup2|close)\\(");
  private static final Pattern NUMBER = Pattern.compile("0x[0-9a-f]+|\\b\\d+\\b");
  private static final String[] ODD = {
    "0",
    "1",
    "4095",
    "4096",
    "0x1000",
    "18446744073709551615",
    "0xfffffffffffff000",
    "0x7ffffffff000",
    "-1",
    "0x8000000000000000",
    "9223372036854775807",
    "0xffffffffff600000"
  };

  /** One number of the line replaced by an odd one or a random one. */
  private static String mutate(String line, Random rnd) {
    List<int[]> spans = new ArrayList<>();
    for (Matcher m = NUMBER.matcher(line); m.find(); ) {
      spans.add(new int[] {m.start(), m.end()});
    }
    if (spans.isEmpty()) {
      return line;
    }
    int[] at = spans.get(rnd.nextInt(spans.size()));
    String value =
        switch (rnd.nextInt(3)) {
          case 0 -> "0x" + Long.toHexString(rnd.nextLong());
          case 1 -> Long.toString(rnd.nextLong() >>> 17);
          default -> ODD[rnd.nextInt(ODD.length)];
        };
    return line.substring(0, at[0]) + value + line.substring(at[1]);
  }

  @Test
  void impossibleNumbersInRealLogsAreToldNotFailedOn() throws IOException {
    List<Path> logs = Corpus.allLogs();
    Random rnd = new Random(SEED);
    for (int round = 0; round < ROUNDS; round++) {
      Path log = logs.get(rnd.nextInt(logs.size()));
      StringBuilder text = new StringBuilder();
      for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
        boolean hit = CALL.matcher(line).find() && rnd.nextInt(10) < 3;
        text.append(hit ? mutate(line, rnd) : line).append('\n');
      }
      MemoryModel model = new MemoryModel();
      for (TraceEvent e : TraceReader.parseAll(text.toString())) {
        Outcome o = model.apply(e);
        assertThat(o.notes())
            .as("round %d, %s, line %d", round, log.getFileName(), e.line())
            .noneMatch(n -> n.startsWith("the model could not apply this event"));
      }
    }
  }
}
