package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One bad byte in a --snapshots file costs its line, not the run. */
class DamagedSnapshotsTest {

  @TempDir Path dir;

  @Test
  void aLineThatIsNotUtf8IsSkippedAndCounted() throws Exception {
    Path maps = Corpus.shared().resolve("corpus/maps");
    Path bad = Files.write(dir.resolve("bad.maps.jsonl"), withOneBadByte(maps));
    Cli r =
        Cli.run("analyze", "--snapshots", bad.toString(), maps.resolve("cat_small.log").toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("memtrace: 1 line(s) of " + bad + " are not snapshots and were skipped")
        .doesNotContain("Input length");
    assertThat(r.out()).contains("exit_group");
  }

  @Test
  void mapsAndWhereSayTheSkippedLinesAsAnalyzeDoes() throws Exception {
    Path maps = Corpus.shared().resolve("corpus/maps");
    Path bad = Files.write(dir.resolve("bad.maps.jsonl"), withOneBadByte(maps));
    String log = maps.resolve("cat_small.log").toString();
    String said = "memtrace: 1 line(s) of " + bad + " are not snapshots and were skipped";

    Cli m = Cli.run("maps", "--snapshots", bad.toString(), "--at", "5", log);
    Cli w = Cli.run("where", "0x1000", "--snapshots", bad.toString(), log);

    assertThat(m.status()).as(m.err()).isZero();
    assertThat(m.err()).contains(said);
    assertThat(m.out()).startsWith("# line 5 pid ");
    assertThat(w.status()).as(w.err()).isZero();
    assertThat(w.err()).contains(said);
    assertThat(w.out()).startsWith("# line ");
  }

  /** cat_small's snapshots with one byte of a line made invalid UTF-8. */
  private static byte[] withOneBadByte(Path maps) throws Exception {
    byte[] b = Files.readAllBytes(maps.resolve("cat_small.maps.jsonl"));
    int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("libc");
    b[at] = (byte) 0xff;
    return b;
  }
}
