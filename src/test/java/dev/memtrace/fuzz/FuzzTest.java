package dev.memtrace.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few thousand seeded mutations of corpus logs, -ff sets and recordings through the CLI ({@link
 * Fuzzer}): no Throwable, no stack trace, a documented exit status, JSON that parses. The long run
 * is bench/fuzz.sh.
 */
class FuzzTest {

  static final int CASES = Integer.getInteger("memtrace.fuzz.cases", 2000);

  @TempDir Path work;

  @Test
  void mutatedInputsNeverBreakTheRules() throws Exception {
    Fuzzer f = new Fuzzer(15L, work, 32 * 1024);
    Fuzzer.Tally t = f.run(0, CASES, c -> {});

    assertThat(t.failures()).isEmpty();
  }

  /** A mapping of 2^63 bytes, which once sent Human.bytes into endless recursion, simply passes. */
  @Test
  void aHugeMappingPassesTheRules() throws Exception {
    Fuzzer f = new Fuzzer(15L, work, 0);
    Path dir = Files.createDirectories(work.resolve("probe"));
    Path log =
        Files.writeString(
            dir.resolve("huge.log"),
            "mmap(NULL, 9223372036854775807, "
                + "PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n");
    Fuzzer.Failure failure =
        f.execute(0, List.of("analyze", "--summary", log.toString()), "text", null, dir);
    assertThat(failure).isNull();
    Fuzzer.Failure bad =
        f.execute(
            1,
            List.of("analyze", "--format", "jsonl", "--color", "sideways", log.toString()),
            "jsonl",
            null,
            dir);
    assertThat(bad).isNull(); // a bad option: 125 and one line, which is allowed
  }
}
