package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.cli.Main;
import dev.memtrace.run.LiveAssumptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program with three threads, traced with {@code strace -f} and with {@code strace -f -X raw}
 * (where clone3 prints {@code flags=0x3d0f00}, arch_prctl {@code 0x1002}, prlimit64 {@code 0x3}):
 * both logs tell the same story. Fails, naming the package, when strace or gcc is missing.
 */
class RawCloneFlagsTest {

  @TempDir Path dir;

  @Test
  void aThreadIsAThreadWhetherStracePrintsItsCloneFlagsAsNamesOrAsANumber() throws Exception {
    LiveAssumptions.assumeStrace();
    LiveAssumptions.assumeGcc();
    Path bin = LiveAssumptions.compile("three_threads", dir);
    Path named = trace("named", bin, "-f");
    Path raw = trace("raw", bin, "-f", "-X", "raw");
    assertThat(Files.readString(raw)).contains("clone3({flags=0x3d0f00");

    List<List<String>> namedTasks = tasks(named);
    assertThat(namedTasks).hasSize(4);
    assertThat(tasks(raw)).isEqualTo(namedTasks);
    assertThat(String.join("\n", namedTasks.get(0)))
        .doesNotContain("fork:")
        .contains("TLS block")
        .contains("from RLIMIT_STACK, seen at startup");

    List<String> namedSummary = spaces(named);
    assertThat(namedSummary.stream().filter(l -> l.startsWith("process ")))
        .singleElement()
        .asString()
        .startsWith("process P three_threads: "); // one pid
    assertThat(spaces(raw)).isEqualTo(namedSummary);
  }

  /**
   * Traces the program with address space randomisation off (setarch -R, when there is one), so
   * that both runs lay the program out alike: some sentences guess from where an address lies.
   */
  private Path trace(String name, Path bin, String... straceOptions) throws Exception {
    Path d = Files.createDirectory(dir.resolve(name));
    Path log = d.resolve("trace.log");
    List<String> cmd = new ArrayList<>(Live.has("setarch") ? List.of("setarch", "-R") : List.of());
    cmd.addAll(List.of("strace", "-o", log.toString()));
    cmd.addAll(List.of(straceOptions));
    cmd.add(bin.toString());
    Live.run(cmd, d);
    return log;
  }

  /**
   * Each task's memory events (by tid order: the main thread, then the threads in the order they
   * were made), each as its call, the classes of the regions it changed and its reasons, with the
   * numbers (addresses, line numbers, tids) left out.
   */
  private static List<List<String>> tasks(Path log) throws Exception {
    Map<Integer, List<String>> byTask = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : analyze("--format", "jsonl", log.toString()).split("\n")) {
      JsonNode e = json.readTree(line);
      if (!"syscall".equals(e.path("kind").asText()) || !e.has("why") && !e.has("changes")) {
        continue;
      }
      StringBuilder s = new StringBuilder(e.get("syscall").asText());
      for (JsonNode c : e.path("changes")) {
        s.append(" [").append(c.path("class").asText()).append(']');
      }
      for (JsonNode w : e.path("why")) {
        s.append(" | ").append(w.asText());
      }
      byTask
          .computeIfAbsent(e.get("pid").asInt(), k -> new ArrayList<>())
          .add(s.toString().replaceAll("0x[0-9a-f]+|\\d+", "N"));
    }
    return new ArrayList<>(byTask.values());
  }

  /** The summary's address spaces (not its table of calls, whose futex errors vary by run). */
  private static List<String> spaces(Path log) throws Exception {
    String all = analyze("--summary", "--color", "never", log.toString());
    List<String> out = new ArrayList<>();
    for (String l : all.split("\n")) {
      if (l.startsWith("syscall ")) {
        break;
      }
      out.add(l.replaceAll("line \\d+", "line N").replaceFirst("^process \\d+", "process P"));
    }
    return out;
  }

  private static String analyze(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "analyze";
    System.arraycopy(args, 0, all, 1, args.length);
    int rc =
        Main.run(
            all,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
