package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An -ff file whose suffix no pid can have is read without a pid, and memtrace says so. */
class FfPidSuffixTest {

  @TempDir Path dir;

  private Path set(String hugeSuffix) throws Exception {
    Files.copy(Corpus.logs().resolve("spawn_ff.695"), dir.resolve("t.695"));
    Files.copy(Corpus.logs().resolve("spawn_ff.699"), dir.resolve("t." + hugeSuffix));
    return dir.resolve("t");
  }

  @Test
  void aHugeSuffixIsNotAPidAndTheSetIsStillRead() throws Exception {
    Path prefix = set("99999999999999999999");
    Cli r = Cli.run("analyze", "--format", "jsonl", prefix.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "t.99999999999999999999: the suffix 99999999999999999999 is not a pid"
                + " (pids are at most 4194304); its lines are read without one")
        .doesNotContain("For input string");
    assertThat(r.out()).contains("\"pid\":695,").contains("\"pid\":null,");
  }

  @Test
  void aSuffixAbovePidMaxLimitIsNotAPidEither() throws Exception {
    Path prefix = set("4194305");
    Cli r =
        Cli.run(
            "analyze", "--format", "jsonl", dir.resolve("t.695").toString(), prefix + ".4194305");

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).contains("t.4194305: the suffix 4194305 is not a pid");
    assertThat(r.out()).doesNotContain("\"pid\":4194305");
  }
}
