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

  /**
   * git gc's pack-objects maps loose objects one after another at one address; a snapshot read 4 ms
   * late after the munmap of one (line 5, of the object line 3 mapped) already shows the next,
   * which line 8 maps. Line 3 did not leave that region: maps --explain names no call as its last
   * change (strace -f of memtrace run --save -- git gc -q, cut to the calls that matter).
   */
  @Test
  void aRegionALateSnapshotShowsIsNotSaidChangedByTheCallThatMappedAnotherThere() throws Exception {
    Path log =
        Path.of(getClass().getResource("/logs-extra/git_gc_loose_late_snapshot.log").toURI());
    Path maps =
        Path.of(
            getClass().getResource("/logs-extra/git_gc_loose_late_snapshot.maps.jsonl").toURI());
    Run r = run("maps", "--explain", "--at", "7", "--snapshots", maps.toString(), log.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("/objects/dc/5fc663129e7d76a0a24be289ea0f835228d4e3\n")
        .contains("learnt from a /proc/PID/maps snapshot: no call in the trace up to here made it")
        .doesNotContain("last changed by line 3");
  }
}
