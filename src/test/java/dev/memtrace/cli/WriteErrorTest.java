package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output that cannot be written is said, as coreutils says it, with a non-zero status: a full disk
 * ({@code > /dev/full}) and a closed standard output ({@code >&-}). A reader that went away ({@code
 * | head}) is not an error. memtrace runs as its own process: only there do the real standard
 * streams fail.
 */
class WriteErrorTest {

  private static final Path LOG = Path.of("samples/01-cat-buffer/trace.log");
  private static final Path FULL = Path.of("/dev/full");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"text", "jsonl", "html", "perfetto"})
  void aFullDiskIsAWriteErrorInEveryFormat(String format) throws Exception {
    MemtraceProcess.Result r =
        MemtraceProcess.run(
            dir, Path.of("/dev/null"), FULL, "analyze", "--format", format, LOG.toString());
    assertThat(r.stderr()).isEqualTo("memtrace: write error: No space left on device\n");
    assertThat(r.status()).isEqualTo(ExitCode.WRITE_ERROR.code);
  }

  @Test
  void theSummaryMapsAndWhereReportAFullDiskToo() throws Exception {
    MemtraceProcess.Result summary =
        MemtraceProcess.run(
            dir, Path.of("/dev/null"), FULL, "analyze", "--summary", LOG.toString());
    assertThat(summary.stderr()).isEqualTo("memtrace: write error: No space left on device\n");
    assertThat(summary.status()).isEqualTo(ExitCode.WRITE_ERROR.code);
    MemtraceProcess.Result maps =
        MemtraceProcess.run(dir, Path.of("/dev/null"), FULL, "maps", "--at", "3,5", LOG.toString());
    assertThat(maps.stderr()).isEqualTo("memtrace: write error: No space left on device\n");
    assertThat(maps.status()).isEqualTo(ExitCode.WRITE_ERROR.code);
    MemtraceProcess.Result where =
        MemtraceProcess.run(dir, Path.of("/dev/null"), FULL, "where", "0x1000", LOG.toString());
    assertThat(where.stderr()).isEqualTo("memtrace: write error: No space left on device\n");
    assertThat(where.status()).isEqualTo(ExitCode.WRITE_ERROR.code);
  }

  @Test
  void anOutputFileOnAFullDiskIsNamed() throws Exception {
    MemtraceProcess.Result r =
        MemtraceProcess.run(
            dir,
            Path.of("/dev/null"),
            dir.resolve("out"),
            "analyze",
            "-o",
            FULL.toString(),
            LOG.toString());
    assertThat(r.stderr()).isEqualTo("memtrace: write error: /dev/full: No space left on device\n");
    assertThat(r.status()).isEqualTo(ExitCode.WRITE_ERROR.code);
  }

  @Test
  void aClosedStandardOutputIsAWriteError() throws Exception {
    Path err = dir.resolve("stderr.txt");
    List<String> argv = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" >&-", "sh"));
    argv.addAll(MemtraceProcess.builder(err, List.of("analyze", LOG.toString())).command());
    Process p =
        new ProcessBuilder(argv)
            .redirectInput(Path.of("/dev/null").toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(err)).isEqualTo("memtrace: write error: Bad file descriptor\n");
    assertThat(p.exitValue()).isEqualTo(ExitCode.WRITE_ERROR.code);
  }

  @Test
  void aReaderThatGoesAwayIsNotAnError() throws Exception {
    // a timeline far longer than a pipe holds (64 KiB), so memtrace writes after the reader left
    Path log = dir.resolve("long.log");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      b.append(
              "100  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n")
          .append("100  munmap(0x7f0000000000, 8192) = 0\n");
    }
    Files.writeString(log, b, StandardCharsets.US_ASCII);
    Path err = dir.resolve("stderr.txt");
    Process p =
        MemtraceProcess.builder(err, List.of("analyze", log.toString()))
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] first = p.getInputStream().readNBytes(100);
    p.getInputStream().close();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(first).hasSize(100);
    assertThat(Files.readString(err)).isEmpty();
    assertThat(p.exitValue()).isEqualTo(ExitCode.OK.code);
  }

  @Test
  void aLiveRunWhoseTimelineCannotBeWrittenFails() throws IOException, InterruptedException {
    assumeStrace();
    MemtraceProcess.Result r =
        MemtraceProcess.run(
            dir,
            Path.of("/dev/null"),
            dir.resolve("out"),
            "run",
            "--no-snapshots",
            "-o",
            FULL.toString(),
            "--",
            "sh",
            "-c",
            "exit 7");
    assertThat(r.stderr())
        .startsWith("memtrace: write error: /dev/full: No space left on device\n");
    assertThat(r.status())
        .as("memtrace failed, not the program's 7")
        .isEqualTo(ExitCode.FAILED.code);
  }

  /**
   * {@code --save /dev/full}: the header cannot be written. The message names the recording, as a
   * timeline's names its {@code -o} file; it said only {@code memtrace: No space left on device}.
   */
  @Test
  void aRecordingThatCannotBeWrittenIsNamed() throws IOException, InterruptedException {
    assumeStrace();
    Path marker = dir.resolve("ran");
    MemtraceProcess.Result r =
        MemtraceProcess.run(
            dir,
            Path.of("/dev/null"),
            dir.resolve("out"),
            "run",
            "--no-snapshots",
            "-o",
            dir.resolve("t.txt").toString(),
            "--save",
            FULL.toString(),
            "--",
            "touch",
            marker.toString());
    assertThat(r.stderr()).isEqualTo("memtrace: write error: /dev/full: No space left on device\n");
    assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(marker).as("the program never ran").doesNotExist();
  }

  /**
   * A recording that fills its file size limit half-way ({@code ulimit -f 64}: EFBIG once 64 KiB
   * are written; the JVM ignores SIGXFSZ): the message named no file and read {@code memtrace:
   * java.io.IOException: File too large}.
   */
  @Test
  void aRecordingThatFailsHalfWayIsNamed() throws IOException, InterruptedException {
    assumeStrace();
    Path rec = dir.resolve("r.mtrace");
    Path err = dir.resolve("stderr.txt");
    List<String> argv = new ArrayList<>(List.of("sh", "-c", "ulimit -f 64; exec \"$@\"", "sh"));
    argv.addAll(
        MemtraceProcess.builder(
                err,
                List.of(
                    "run",
                    "--no-snapshots",
                    "-o",
                    "/dev/null",
                    "--save",
                    rec.toString(),
                    "--",
                    "sh",
                    "-c",
                    "i=0; while [ $i -lt 2000 ]; do /bin/true; i=$((i+1)); done"))
            .command());
    Process p =
        new ProcessBuilder(argv)
            .redirectInput(Path.of("/dev/null").toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<String> said = Files.readAllLines(err);
    assertThat(said.get(said.size() - 1))
        .isEqualTo("memtrace: write error: " + rec + ": File too large");
    assertThat(p.exitValue()).isEqualTo(ExitCode.FAILED.code);
  }

  /**
   * An empty file name ({@code -o ''}, e.g. an unset variable): run said {@code cannot write : is a
   * directory} (the empty path resolved to the working directory), analyze {@code cannot write :
   * (No such file or directory)}.
   */
  @Test
  void anEmptyFileNameIsSaidAsSuch() {
    Path marker = dir.resolve("ran");
    Cli run = Cli.run("-o", "", "--", "touch", marker.toString());
    assertThat(run.err())
        .startsWith(
            "memtrace: -o needs a file name ('-' for standard error, where the timeline goes"
                + " without -o)\n");
    assertThat(run.status()).isEqualTo(ExitCode.FAILED.code);
    Cli save = Cli.run("--save", "", "--", "touch", marker.toString());
    assertThat(save.err()).startsWith("memtrace: --save needs a file name\n");
    assertThat(save.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(marker).as("the program never ran").doesNotExist();
    Cli analyze = Cli.run("analyze", "-o", "", LOG.toString());
    assertThat(analyze.err())
        .startsWith("memtrace: -o needs a file name ('-' for standard output)\n");
    assertThat(analyze.status()).isEqualTo(ExitCode.FAILED.code);
  }

  @Test
  void aRunWhoseOutputCannotBeCreatedDoesNotStartTheProgram() {
    assumeStrace();
    Path marker = dir.resolve("ran");
    Cli r =
        Cli.run(
            "-o", dir.resolve("no-such-dir/t.txt").toString(), "--", "touch", marker.toString());
    assertThat(r.err())
        .startsWith(
            "memtrace: cannot write "
                + dir.resolve("no-such-dir/t.txt")
                + ": no such directory, or not writable\n");
    assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(marker).as("the program never ran").doesNotExist();
  }
}
