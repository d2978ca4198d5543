package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * html and perfetto are one document each: when analyze fails part-way (here reading
 * /proc/self/mem, which fails with EIO), the -o file is left as it was, never empty, and no
 * temporary file stays behind.
 */
class WholeFileOutputTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"html", "perfetto"})
  void aFailedRunLeavesNoEmptyFile(String format) throws Exception {
    Path out = dir.resolve("report");
    Cli r = Cli.run("analyze", "--format", format, "-o", out.toString(), "/proc/self/mem");

    assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(r.err()).startsWith("memtrace: cannot read input:");
    assertThat(out).doesNotExist();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"html", "perfetto"})
  void aFailedRunKeepsTheFileItWouldHaveReplaced(String format) throws Exception {
    Path out = Files.writeString(dir.resolve("report"), "the last good report\n");
    Cli r = Cli.run("analyze", "--format", format, "-o", out.toString(), "/proc/self/mem");

    assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(out).hasContent("the last good report");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(out);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"html", "perfetto"})
  void aGoodRunReplacesTheFileKeepingItsPermissions(String format) throws Exception {
    Path out = Files.writeString(dir.resolve("report"), "old\n");
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
    Path log =
        Files.writeString(
            dir.resolve("t.log"), "brk(NULL) = 0x5560d3ca1000\n+++ exited with 0 +++\n");
    Cli r = Cli.run("analyze", "--format", format, "-o", out.toString(), log.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(Files.readString(out)).contains("brk");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-r-----");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactlyInAnyOrder(out, log);
    }
  }
}
