package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.pipeline.Pipeline;
import dev.memtrace.run.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 10 MB line (a write buffer under -s) on a heap too small for it: one line saying so and status
 * 125, never a stack trace, in every format; with room, the line is written.
 */
class SmallHeapTest {

  @TempDir Path tmp;

  private record Run(int status, String stderr) {}

  private Run analyze(String heap, Path log, String format)
      throws IOException, InterruptedException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "analyze",
                "--format",
                format,
                log.toString()));
    Path err = tmp.resolve("stderr-" + heap + "-" + format + ".txt");
    Process p =
        new ProcessBuilder(argv)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void aHugeLineOnASmallHeapIsOneLineNeverAStackTrace() throws Exception {
    Path log = tmp.resolve("huge.log");
    try (OutputStream o = Files.newOutputStream(log)) {
      o.write("1 getpid() = 1\n1 write(1, \"".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = "\\x01ab\\\"cd".repeat(1000).getBytes(StandardCharsets.US_ASCII);
      for (int written = 0; written < 10_000_000; written += chunk.length) {
        o.write(chunk);
      }
      o.write("\", 10000000) = 10000000\n1 getpid() = 1\n".getBytes(StandardCharsets.US_ASCII));
    }
    for (String format : List.of("text", "jsonl")) {
      Run small = analyze("-Xmx24m", log, format);
      // 24 MB cannot hold the line, the reader's buffer and a copy: the heap runs out
      assertThat(small.stderr()).as(format).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(small.status()).as(format).isEqualTo(ExitCode.FAILED.code);
      assertThat(small.stderr())
          .as(format)
          .matches(
              "memtrace: (cannot read input: )?" + Pattern.quote(Pipeline.OUT_OF_MEMORY) + "\n");
      Run room = analyze("-Xmx512m", log, format);
      assertThat(room.status()).as(format).isZero();
      assertThat(room.stderr()).as(format).isEmpty();
    }
  }
}
