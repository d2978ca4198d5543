package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.RecordingReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code run --save F} then {@code analyze F}: the same timeline, byte for byte. */
class RecordingReplayTest {

  @TempDir Path dir;

  /** What memtrace said on standard error, for the assertions' messages. */
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** memtrace's status for args, its standard output dropped and its standard error in err. */
  int memtrace(String... args) {
    return Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "jsonl"})
  void aRecordingReplaysToTheSameOutputAsTheLiveRun(String format) throws Exception {
    assumeStrace();
    Path rec = dir.resolve("run.mtrace");
    Path live = dir.resolve("live." + format);
    Path replay = dir.resolve("replay." + format);

    int status =
        memtrace(
            "--format",
            format,
            "-o",
            live.toString(),
            "--save",
            rec.toString(),
            "--",
            "sh",
            "-c",
            "ls / > /dev/null; head -c 200000 /dev/zero | cat > /dev/null; exit 4");
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(4);
    assertThat(RecordingReader.isRecording(rec)).isTrue();

    assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("could not be parsed");
    err.reset();
    int replayed = memtrace("analyze", "--format", format, "-o", replay.toString(), rec.toString());

    assertThat(replayed).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(Files.readString(live))
        .contains("exit_group")
        .containsAnyOf("+++ exited with 4 +++", "\"status\":4");
    assertThat(Files.readString(replay)).isEqualTo(Files.readString(live));
    // nothing but, on a loaded machine, the one line on late snapshots the text timeline ends with
    assertThat(err.toString(StandardCharsets.UTF_8).lines())
        .allMatch(l -> l.startsWith("memtrace: ") && l.contains(" read after strace's "));
  }

  /**
   * A live run reads the programs it runs; its recording carries what their ELF headers said, so
   * the replay draws the same picture (the program's segments among its regions) without reading
   * them. Without snapshots the ELF headers are the only source of those regions.
   */
  @ParameterizedTest
  @ValueSource(strings = {"html", "perfetto"})
  void aRecordingCarriesTheElfLayoutAndItsReplayDrawsTheSamePicture(String format)
      throws Exception {
    assumeStrace();
    Path rec = dir.resolve("run.mtrace");
    Path live = dir.resolve("live." + format);
    Path replay = dir.resolve("replay." + format);
    int status =
        memtrace(
            "--format",
            format,
            "-o",
            live.toString(),
            "--no-snapshots",
            "--save",
            rec.toString(),
            "--",
            "cat",
            "/dev/null");
    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    String cat = Path.of("/usr/bin/cat").toRealPath().toString();
    assertThat(Files.readAllLines(rec))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("{\"type\":\"elf\",\"kind\":\"program\"")
                    .contains("\"file\":\"" + cat + "\"")
                    .contains("\"loads\":[["));
    err.reset();
    int replayed = memtrace("analyze", "--format", format, "-o", replay.toString(), rec.toString());
    assertThat(replayed).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    String drawn = Files.readString(live);
    assertThat(drawn).contains(cat);
    assertThat(Files.readString(replay).replace(rec.toString(), "live run")).isEqualTo(drawn);
  }
}
