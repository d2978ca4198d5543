package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output that is one of the inputs (the same device and inode, whatever the name) is refused
 * before anything is opened for writing: the input is left as it was.
 */
class OutputIsInputTest {

  private static final Path SAMPLE = Path.of("samples/01-cat-buffer");

  @TempDir Path dir;
  private Path log;
  private byte[] before;

  @BeforeEach
  void copyTheSample() throws Exception {
    log = dir.resolve("t.log");
    Files.copy(SAMPLE.resolve("trace.log"), log);
    before = Files.readAllBytes(log);
  }

  @Test
  void analyzeRefusesToWriteOverItsLog() throws Exception {
    for (String format : List.of("text", "html")) {
      Cli r = Cli.run("analyze", "--format", format, "-o", log.toString(), log.toString());
      assertThat(r.err())
          .as(format)
          .isEqualTo(
              "memtrace: -o "
                  + log
                  + " is also an input ("
                  + log
                  + "): it would be overwritten before it is read; write to another file\n");
      assertThat(r.status()).as(format).isEqualTo(ExitCode.FAILED.code);
      assertThat(Files.readAllBytes(log)).as(format).isEqualTo(before);
    }
  }

  @Test
  void anotherNameForTheSameFileIsTheSameFile() throws Exception {
    Path link = dir.resolve("link.log");
    Files.createLink(link, log);
    Path dotted = dir.resolve("sub/../t.log");
    Files.createDirectory(dir.resolve("sub"));
    for (Path out : List.of(link, dotted)) {
      Cli r = Cli.run("analyze", "-o", out.toString(), log.toString());
      assertThat(r.err())
          .as(out.toString())
          .startsWith("memtrace: -o " + out + " is also an input");
      assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    }
    assertThat(Files.readAllBytes(log)).isEqualTo(before);
  }

  @Test
  void theSnapshotsFileIsAnInputToo() throws Exception {
    Path snaps = dir.resolve("t.maps.jsonl");
    Files.copy(SAMPLE.resolve("trace.maps.jsonl"), snaps);
    byte[] snapsBefore = Files.readAllBytes(snaps);
    Cli r =
        Cli.run("analyze", "--snapshots", snaps.toString(), "-o", snaps.toString(), log.toString());
    assertThat(r.err()).startsWith("memtrace: -o " + snaps + " is also an input");
    assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(Files.readAllBytes(snaps)).isEqualTo(snapsBefore);
  }

  @Test
  void anOutputBesideTheInputIsWritten() throws Exception {
    Path out = dir.resolve("t.txt");
    Cli r = Cli.run("analyze", "-o", out.toString(), log.toString());
    assertThat(r.status()).isEqualTo(ExitCode.OK.code);
    assertThat(Files.readString(out)).contains("execve(");
  }

  @Test
  void standardOutputAppendedToTheLogIsRefused() throws Exception {
    Path err = dir.resolve("stderr.txt");
    Process p =
        MemtraceProcess.builder(err, List.of("analyze", log.toString()))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(err))
        .isEqualTo(
            "memtrace: "
                + log
                + ": the input is also standard output; redirect the output to another file\n");
    assertThat(p.exitValue()).isEqualTo(ExitCode.FAILED.code);
    assertThat(Files.readAllBytes(log)).isEqualTo(before);
  }

  @Test
  void standardInputIsAnInputToo() throws Exception {
    MemtraceProcess.Result r =
        MemtraceProcess.run(dir, log, dir.resolve("out.txt"), "analyze", "-o", log.toString());
    assertThat(r.stderr())
        .isEqualTo(
            "memtrace: -o "
                + log
                + " is also an input (standard input): it would be"
                + " overwritten before it is read; write to another file\n");
    assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(Files.readAllBytes(log)).isEqualTo(before);
  }

  @Test
  void runRefusesOneFileForTheRecordingAndTheTimeline() {
    Path x = dir.resolve("x");
    Cli r =
        Cli.run(
            "run",
            "--save",
            x.toString(),
            "-o",
            dir.resolve(".").resolve("x").toString(),
            "--",
            "true");
    assertThat(r.err()).startsWith("memtrace: --save and -o name the same file");
    assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(x).doesNotExist();
  }
}
