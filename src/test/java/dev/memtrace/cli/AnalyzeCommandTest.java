package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.trace.Corpus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memtrace analyze} in-process: exit statuses, both streams, the JSON Lines contract. */
class AnalyzeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  static Path log(String name) {
    return Corpus.logs().resolve(name);
  }

  static List<JsonNode> jsonl(String out) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : out.split("\n")) {
      if (!l.isEmpty()) {
        nodes.add(JSON.readTree(l));
      }
    }
    return nodes;
  }

  @Test
  void jsonlFollowsTheContract() throws IOException {
    Cli r = Cli.run("analyze", "--format", "jsonl", log("ls_la_y_i_n_T.log").toString());
    assertThat(r.status()).isZero();
    assertThat(r.err()).isEmpty();
    List<JsonNode> nodes = jsonl(r.out());
    assertThat(nodes).hasSize(72);
    JsonNode first = nodes.get(0);
    assertThat(first.get("v").asInt()).isEqualTo(1);
    assertThat(first.get("line").asInt()).isEqualTo(1);
    assertThat(first.get("pid").isNull()).isTrue();
    assertThat(first.get("kind").asText()).isEqualTo("syscall");
    assertThat(first.get("syscall").asText()).isEqualTo("execve");
    assertThat(first.get("args").get(0).asText()).isEqualTo("\"/bin/ls\"");
    assertThat(first.get("ret").asText()).isEqualTo("0");
    assertThat(first.get("errno").isNull()).isTrue();
    assertThat(first.get("time").asText()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    assertThat(first.get("duration").isNumber()).isTrue();
    assertThat(first.has("file")).isFalse();
    assertThat(nodes)
        .anySatisfy(
            n -> {
              assertThat(n.get("errno").asText()).isEqualTo("ENOENT");
              assertThat(n.get("ret").asText()).isEqualTo("-1");
            });
    assertThat(nodes.get(nodes.size() - 1).get("kind").asText()).isEqualTo("exit");
  }

  @Test
  void stackFramesAndSignalsInJsonl() throws IOException {
    List<JsonNode> nodes =
        jsonl(Cli.run("analyze", "--format", "jsonl", log("segv_k.log").toString()).out());
    JsonNode sig =
        nodes.stream().filter(n -> n.get("kind").asText().equals("signal")).findFirst().get();
    assertThat(sig.get("signal").asText()).isEqualTo("SIGSEGV");
    assertThat(sig.get("stack"))
        .anySatisfy(f -> assertThat(f.get("symbol").asText()).isEqualTo("main"));
    assertThat(nodes.get(1).get("stack").get(0).get("object").asText())
        .isEqualTo("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
  }

  @Test
  void nonUtf8BytesComeOutAsValidJson() throws Exception {
    Cli r = Cli.run("analyze", "--format", "jsonl", log("cat_latin1_stdout_in_log.log").toString());
    assertThat(r.status()).isZero();
    // Jackson would reject malformed UTF-8; every line must read back.
    List<JsonNode> nodes = jsonl(new String(r.outBytes(), StandardCharsets.UTF_8));
    String strict =
        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(r.outBytes())).toString();
    assertThat(strict).isNotEmpty();
    assertThat(nodes).anySatisfy(n -> assertThat(n.toString()).contains("caf\uFFFD"));
    assertThat(nodes).anySatisfy(n -> assertThat(n.toString()).contains("caf\u00e9"));
  }

  @Test
  void unparsedLinesAreReportedAndStrictFails() throws IOException {
    String path = log("python_threads_f_stderr.log").toString();
    Cli r = Cli.run("analyze", "--format", "jsonl", path);
    assertThat(r.status()).isZero();
    assertThat(r.err())
        .isEqualTo("memtrace: 1 of 792 lines could not be parsed (first: line 626)\n");
    JsonNode bad =
        jsonl(r.out()).stream()
            .filter(n -> n.get("kind").asText().equals("unparsed"))
            .findFirst()
            .get();
    assertThat(bad.get("line").asInt()).isEqualTo(626);
    assertThat(bad.get("text").asText()).isEqualTo("stderr from thread 0");
    assertThat(bad.get("error").asText()).isNotEmpty();
    Cli strict = Cli.run("analyze", "--strict", "-o", "/dev/null", path);
    assertThat(strict.status()).isEqualTo(3);
    assertThat(strict.out()).isEmpty();
    assertThat(strict.err()).startsWith("memtrace: 1 of 792 lines could not be parsed");
  }

  @Test
  void textTimelineIsAligned() {
    Cli r = Cli.run("analyze", log("bash_pipes_f_ttt.log").toString());
    assertThat(r.status()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).matches(" *1: +\\d+ \\d{10}\\.\\d{6} execve\\(\"/bin/bash\", .*\\) = 0");
    int callColumn = lines[0].indexOf("execve(");
    // Event lines only: the annotations under them (changes, why) are indented, not aligned.
    assertThat(lines)
        .filteredOn(l -> !l.startsWith("        "))
        .allSatisfy(l -> assertThat(l.charAt(callColumn - 1)).isEqualTo(' '));
    assertThat(r.out()).doesNotContain("\u001b[");
    Cli colour = Cli.run("analyze", "--color", "always", log("cat_small_plain.log").toString());
    assertThat(colour.out()).contains("\u001b[1;36mexecve\u001b[0m(");
  }

  @Test
  void ffSetMergesIntoOneTimeline() throws IOException {
    Path dir = Corpus.logs();
    List<String> args = new ArrayList<>(List.of("analyze", "--format", "jsonl"));
    try (var files = Files.list(dir)) {
      files
          .filter(p -> p.getFileName().toString().startsWith("bash_pipes_ff."))
          .sorted()
          .forEach(p -> args.add(p.toString()));
    }
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.status()).isZero();
    List<JsonNode> nodes = jsonl(r.out());
    assertThat(nodes)
        .allSatisfy(
            n -> {
              assertThat(n.get("pid").isNull()).isFalse();
              assertThat(n.get("file").asText()).endsWith("." + n.get("pid").asInt());
            });
    assertThat(nodes.get(0).get("pid").asInt()).isEqualTo(26361);
    assertThat(nodes.get(0).get("syscall").asText()).isEqualTo("execve");
    // Without timestamps each process's file follows the previous one, in order.
    assertThat(nodes).extracting(n -> n.get("pid").asInt()).isSorted();
    Cli byPrefix = Cli.run("analyze", "--format", "jsonl", dir.resolve("bash_pipes_ff").toString());
    assertThat(byPrefix.out()).isEqualTo(r.out());
  }

  @Test
  void missingFileAndDirectoryAreOneLineErrors() {
    Cli missing = Cli.run("analyze", tmp.resolve("nope.log").toString());
    assertThat(missing.status()).isEqualTo(125);
    assertThat(missing.err())
        .isEqualTo("memtrace: " + tmp.resolve("nope.log") + ": no such file\n");
    assertThat(missing.out()).isEmpty();
    Cli dir = Cli.run("analyze", tmp.toString());
    assertThat(dir.status()).isEqualTo(125);
    assertThat(dir.err()).isEqualTo("memtrace: " + tmp + ": is a directory\n");
  }

  @Test
  void anEmptyFileGivesNoEventsAndSaysItIsEmpty() throws IOException {
    // strace -o of a run cut before its first line, or a recording cut before its header: exit 0
    // with no output and no word left a user guessing
    Path empty = Files.createFile(tmp.resolve("empty.log"));
    Cli r = Cli.run("analyze", "--format", "jsonl", empty.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("memtrace: " + empty + " is empty: no lines to read\n");
  }

  @Test
  void binaryGarbageAndHugeLinesBecomeUnparsed() throws IOException {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    String good = "getpid() = 42\n";
    byte[] huge = new byte[10 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    Path f = tmp.resolve("bad.log");
    try (var o = Files.newOutputStream(f)) {
      o.write(good.getBytes(StandardCharsets.US_ASCII));
      o.write(garbage);
      o.write('\n');
      o.write(huge);
      o.write('\n');
      o.write(good.getBytes(StandardCharsets.US_ASCII));
    }
    Cli r = Cli.run("analyze", "--format", "jsonl", f.toString());
    assertThat(r.status()).isZero();
    List<JsonNode> nodes = jsonl(r.out());
    assertThat(nodes)
        .filteredOn(n -> n.get("kind").asText().equals("syscall"))
        .extracting(n -> n.get("ret").asText())
        .containsExactly("42", "42");
    assertThat(r.err())
        .matches("memtrace: \\d+ of \\d+ lines could not be parsed \\(first: line 2\\)\n");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void notStraceTextIsUnparsedNotAnError() throws IOException {
    Path f = Files.writeString(tmp.resolve("readme.txt"), "# memtrace\n\nsome text (not strace)\n");
    Cli r = Cli.run("analyze", f.toString());
    assertThat(r.status()).isZero();
    assertThat(r.err()).isEqualTo("memtrace: 3 of 3 lines could not be parsed (first: line 1)\n");
  }

  @Test
  void outputFileAndStandardInput() throws IOException {
    Path out = tmp.resolve("out.jsonl");
    Cli toFile =
        Cli.run(
            "analyze", "--format", "jsonl", "-o", out.toString(), log("sbrk_plain.log").toString());
    assertThat(toFile.status()).isZero();
    assertThat(toFile.out()).isEmpty();
    assertThat(Files.readAllLines(out)).hasSize(42);
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(log("sbrk_plain.log"))));
      Cli stdin = Cli.run("analyze", "--format", "jsonl", "-");
      assertThat(stdin.out()).isEqualTo(Files.readString(out));
    } finally {
      System.setIn(saved);
    }
    Cli devNull = Cli.run("analyze", "-o", "/dev/null", log("sbrk_plain.log").toString());
    assertThat(devNull.status()).isZero();
    assertThat(devNull.out()).isEmpty();
  }
}
