package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.Shared;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.correlate.SnapshotFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code memtrace maps}, run in-process. */
class MapsCommandTest {

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Path corpus(String name) {
    return Shared.mapsCorpus().resolve(name);
  }

  @Test
  void printsTheRegionsTheTraceMadeAfterEachLine(@TempDir Path empty) {
    Run r =
        run(
            "maps",
            "--at",
            "3,37,47",
            "--root",
            empty.toString(),
            corpus("cat_big.log").toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith(
            "# line 3 pid 4823\n"
                + "7f67570e7000-7f67570e9000 rw-p 00000000 00:00 0 \n"
                + "# line 37 pid 4823\n");
    assertThat(r.out())
        .contains("7f6756ed7000-7f6756efc000 rw-p 00000000 00:00 0 \n")
        .contains(
            "# line 47 pid 4823\n5560d3ca1000-5560d3cc2000 rw-p 00000000 00:00 0"
                + "                          [heap]\n7f6756ef9000-7f6756efc000 rw-p");
    assertThat(r.out())
        .as("with no file to read, execve regions appear only from snapshots")
        .doesNotContain("[stack]")
        .doesNotContain("/usr/bin/cat");
  }

  @Test
  void aLogWithoutPidsHasNoPlaceholderForOne(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("nopid.log");
    Files.writeString(
        log,
        "execve(\"/bin/true\", [\"true\"], 0x7ffc /* 2 vars */) = 0\n"
            + "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
            + " = 0x7f0000000000\n");
    Run r = run("maps", "--at", "2", "--root", dir.toString(), log.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("# line 2 (the log shows no pids)\n7f0000000000-7f0000002000 rw-p");
  }

  static Stream<Arguments> snapshots() {
    return Stream.of("cat_small", "mmapfile", "sbrk")
        .flatMap(
            n -> {
              try {
                return SnapshotFile.read(corpus(n + ".maps.jsonl")).snapshots().stream()
                    .map(s -> Arguments.of(n, s));
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  @ParameterizedTest(name = "{0} line {1}")
  @MethodSource("snapshots")
  void withSnapshotsTheOutputAtASnapshotLineIsThatSnapshot(String name, Snapshot s) {
    Run r =
        run(
            "maps",
            "--at",
            String.valueOf(s.line()),
            "--snapshots",
            corpus(name + ".maps.jsonl").toString(),
            corpus(name + ".log").toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).isEqualTo("# line " + s.line() + " pid " + s.pid() + "\n" + s.maps());
  }

  @Test
  void badArgumentsExitWith125() {
    assertThat(run("maps", "--at", "0", corpus("cat_big.log").toString()).status()).isEqualTo(125);
    Run missing = run("maps", "--at", "3", "/nonexistent/log");
    assertThat(missing.status()).isEqualTo(125);
    assertThat(missing.err()).contains("cannot read /nonexistent/log");
    assertThat(run("maps", corpus("cat_big.log").toString()).status()).isEqualTo(125);
  }
}
