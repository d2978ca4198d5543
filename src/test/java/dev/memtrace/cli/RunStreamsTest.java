package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traced program's stdin, stdout and stderr pass through untouched; the timeline stays apart.
 */
class RunStreamsTest {

  @TempDir Path dir;

  @Test
  void stdinAndStdoutReachTheProgramAndNothingElseIsOnStdout() throws Exception {
    assumeStrace();
    byte[] data = new byte[70_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Path in = Files.write(dir.resolve("in.bin"), data);
    Path out = dir.resolve("out.bin");

    MemtraceProcess.Result r = MemtraceProcess.run(dir, in, out, "--", "cat");

    assertThat(r.status()).isZero();
    assertThat(Files.readAllBytes(out))
        .as("cat's output, byte for byte, and nothing else")
        .isEqualTo(data);
    assertThat(r.stderr())
        .as("the timeline on stderr")
        .contains("execve(\"/usr/bin/cat\"")
        .contains("+++ exited with 0 +++");
  }

  @Test
  void theProgramsStderrIsTheProgramsOwn() throws Exception {
    assumeStrace();
    Path out = dir.resolve("out.txt");
    Path timeline = dir.resolve("timeline.txt");

    MemtraceProcess.Result r =
        MemtraceProcess.run(
            dir,
            Path.of("/dev/null"),
            out,
            "-o",
            timeline.toString(),
            "--no-snapshots",
            "--",
            "sh",
            "-c",
            "echo to-stdout; echo to-stderr >&2; exit 5");

    assertThat(r.status()).isEqualTo(5);
    assertThat(Files.readString(out)).isEqualTo("to-stdout\n");
    assertThat(r.stderr()).isEqualTo("to-stderr\n");
    assertThat(Files.readString(timeline))
        .contains("write(0x1, 0x")
        .contains("+++ exited with 5 +++");
  }
}
