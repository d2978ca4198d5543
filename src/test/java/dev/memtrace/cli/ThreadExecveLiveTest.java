package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.run.LiveAssumptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A program compiled here (src/test/resources/live/thread_execve.c) whose second thread calls
 * execve, traced now with {@code strace -ff}: {@code analyze PREFIX} shows the exec as one call,
 * with the thread's arguments and the leader's pid and result, with and without timestamps.
 */
class ThreadExecveLiveTest {

  private static final String ARGS = "[\"/bin/echo\", \"exec from thread\"]";

  @TempDir Path dir;

  static Stream<List<String>> timestamps() {
    return Stream.of(List.of("-tt"), List.of());
  }

  @ParameterizedTest(name = "strace -ff {0}")
  @MethodSource("timestamps")
  void threadExecveIsOneCall(List<String> flags) throws IOException, InterruptedException {
    assumeStrace();
    Path bin = LiveAssumptions.compile("thread_execve", dir);
    Path prefix = dir.resolve("p");
    List<String> cmd = new ArrayList<>(List.of("strace", "-ff", "-o", prefix.toString()));
    cmd.addAll(flags);
    cmd.add(bin.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.txt").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("strace finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
    int leader = pidOfFileWith(prefix, "+++ superseded by execve in pid ");
    assertThat(pidOfFileWith(prefix, "<pid changed to " + leader + " ...>")).isNotEqualTo(leader);

    Cli jsonl = Cli.run("analyze", "--format", "jsonl", prefix.toString());
    assertThat(jsonl.status()).as(jsonl.err()).isZero();
    List<JsonNode> execs = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : jsonl.out().split("\n")) {
      JsonNode n = json.readTree(line);
      if ("execve".equals(n.path("syscall").asText())) {
        execs.add(n);
      }
    }
    List<JsonNode> fromThread =
        execs.stream()
            .filter(n -> n.get("args").size() > 1 && n.get("args").get(1).asText().equals(ARGS))
            .toList();
    assertThat(fromThread).as("execve of the thread in\n%s", jsonl.out()).hasSize(1);
    JsonNode exec = fromThread.get(0);
    assertThat(exec.get("pid").asInt()).isEqualTo(leader);
    assertThat(exec.get("ret").asText()).isEqualTo("0");
    assertThat(exec.has("unfinished")).isFalse();
    assertThat(execs).noneSatisfy(n -> assertThat(n.get("args")).isEmpty());
    assertThat(exec.has("time")).isEqualTo(flags.contains("-tt"));

    Cli text = Cli.run("analyze", prefix.toString());
    assertThat(text.status()).as(text.err()).isZero();
    assertThat(text.out().lines().filter(l -> l.contains("execve(\"/bin/echo\", " + ARGS)))
        .singleElement()
        .asString()
        .matches(" *\\d+: +" + leader + " .*execve\\(\"/bin/echo\", .*\\) = 0");
    assertThat(text.out()).doesNotContain("execve() = 0");
  }

  /** The pid of the one file of the set that has {@code text}. */
  private static int pidOfFileWith(Path prefix, String text) throws IOException {
    try (Stream<Path> files = Files.list(prefix.getParent())) {
      List<Path> with = new ArrayList<>();
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("p.")).toList()) {
        if (Files.readString(f).contains(text)) {
          with.add(f);
        }
      }
      assertThat(with).as("files with %s", text).hasSize(1);
      return Integer.parseInt(with.get(0).getFileName().toString().substring(2));
    }
  }
}
