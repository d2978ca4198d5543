package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.ExitCode;
import dev.memtrace.trace.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output filters on real corpus logs, through {@code memtrace analyze}. */
class FilterCommandTest {

  static Path corpus(String name) {
    return Corpus.log(name);
  }

  /** The timeline's event lines (not the indented annotations under them). */
  static List<String> events(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    assertThat(rc).as("exit status; stderr %s", err).isZero();
    return out.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.startsWith("        ") && !l.isBlank())
        // the leading "LINE: " column, so the pid or time is the first word
        .map(l -> l.replaceFirst("^\\s*\\d+: ", ""))
        .toList();
  }

  @Test
  void syscallAndMemoryOnly() {
    String log = corpus("cat_small_plain.log").toString();
    List<String> mmaps = events("analyze", "--color", "never", "--syscall", "mmap,munmap", log);
    assertThat(mmaps).isNotEmpty().allMatch(l -> l.contains("mmap(") || l.contains("munmap("));
    List<String> memory = events("analyze", "--color", "never", "--memory-only", log);
    assertThat(memory)
        .anyMatch(l -> l.contains("brk("))
        .noneMatch(l -> l.contains("openat("))
        .noneMatch(l -> l.contains("close("));
    assertThat(memory.size()).isGreaterThan(mmaps.size());
  }

  @Test
  void memoryOnlyShowsEveryCallTheSummaryCountsAsAMemoryEvent(@TempDir Path dir) throws Exception {
    // calls of strace's %memory class the model does not apply, changing nothing here
    Path log =
        Files.writeString(
            dir.resolve("policy.log"),
            String.join(
                "\n",
                "mbind(0x7f0000000000, 4096, MPOL_BIND, [0x1], 2, 0) = 0",
                "get_mempolicy(NULL, NULL, 0, NULL, 0) = 0",
                "mseal(0x7f0000000000, 4096, 0) = -1 ENOSYS (Function not implemented)",
                "getpid() = 42",
                ""));
    List<String> memory =
        events("analyze", "--color", "never", "--memory-only", "--with-summary", log.toString());
    assertThat(memory)
        .anyMatch(l -> l.startsWith("mbind("))
        .anyMatch(l -> l.startsWith("get_mempolicy("))
        .anyMatch(l -> l.startsWith("mseal("))
        .noneMatch(l -> l.startsWith("getpid("))
        .anyMatch(l -> l.startsWith("memory events: 3,"));
  }

  @Test
  void pidKeepsAProcessWithItsThreads() {
    String log = corpus("python_threads_f.log").toString();
    List<String> all = events("analyze", "--color", "never", log);
    String leader = all.get(0).trim().split("\\s+")[0];
    List<String> mine = events("analyze", "--color", "never", "--pid", leader, log);
    long threads = mine.stream().map(l -> l.trim().split("\\s+")[0]).distinct().count();
    assertThat(threads).as("the leader and its threads").isGreaterThan(1);
    assertThat(mine).hasSameSizeAs(all);
    String thread =
        all.stream()
            .map(l -> l.trim().split("\\s+")[0])
            .filter(p -> !p.equals(leader))
            .findFirst()
            .orElseThrow();
    assertThat(events("analyze", "--color", "never", "--pid", thread, log))
        .allMatch(l -> l.trim().startsWith(thread + " "));
  }

  @Test
  void sinceAndUntilByLineAndTimeAndClassByWord() {
    String log = corpus("ls_la_y_i_n_T.log").toString();
    List<String> all = events("analyze", "--color", "never", log);
    List<String> window =
        events("analyze", "--color", "never", "--since", "10", "--until", "14", log);
    assertThat(window).hasSize(5);
    // -tt prints a time of day to the microsecond: from the time of line 10 on is line 10 on
    String time10 = window.get(0).trim().split("\\s+")[0];
    assertThat(time10).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    List<String> fromTime = events("analyze", "--color", "never", "--since", time10, log);
    assertThat(fromTime).hasSize(all.size() - 9);
    assertThat(fromTime.get(0)).isEqualTo(window.get(0));
    List<String> heap = events("analyze", "--color", "never", "--class", "heap", log);
    assertThat(heap)
        .isNotEmpty()
        .allMatch(
            l ->
                l.contains("brk(")
                    || l.contains("read(")
                    || l.contains("write(")
                    || l.contains("getdents")
                    || l.contains("mmap")
                    || l.contains("munmap"));
  }

  @Test
  void pageFormatsKeepEveryEventAndSaySo() throws Exception {
    String log = corpus("cat_small_plain.log").toString();
    Path html = Files.createTempFile("memtrace", ".html");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            new String[] {
              "analyze", "--format", "html", "--syscall", "mmap", "-o", html.toString(), log
            },
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true));
    assertThat(rc).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("the html output keeps every event");
    assertThat(Files.readString(html)).contains("munmap(").contains("openat(");
    Files.delete(html);
  }

  @Test
  void aBadBoundIsOneLineWithoutJava() {
    for (String option : List.of("--since=bogus", "--until=1x")) {
      Cli r = Cli.run("analyze", option, "samples/01-cat-buffer/trace.log");
      String value = option.substring(option.indexOf('=') + 1);
      assertThat(r.err())
          .as(option)
          .isEqualTo(
              "memtrace: Invalid value for option '"
                  + option.substring(0, option.indexOf('='))
                  + "': '"
                  + value
                  + "' is not a line (120), a time after the start (2.5s), a time of day (10:31:02.25)"
                  + " or a -ttt timestamp\nTry 'memtrace analyze --help' for more information.\n");
      assertThat(r.status()).isEqualTo(ExitCode.FAILED.code);
    }
  }

  /**
   * A class no region has, and an empty syscall name (an unset variable), are said, where they
   * printed an empty timeline with status 0 (h-live found "--class nosuch" and "--syscall ''").
   */
  @Test
  void aClassNoRegionHasAndAnEmptySyscallNameAreSaid() {
    Cli bad = Cli.run("analyze", "--class", "nosuch", "samples/01-cat-buffer/trace.log");
    assertThat(bad.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err())
        .startsWith(
            "memtrace: Invalid value for option '--class' (CLASS): 'nosuch' names no region class;")
        .contains("heap (brk), malloc arena, malloc mmap chunk")
        .doesNotContain("unknown")
        .doesNotContain("Exception");
    Cli empty = Cli.run("analyze", "--syscall", "mmap,,brk", "samples/01-cat-buffer/trace.log");
    assertThat(empty.status()).isEqualTo(ExitCode.FAILED.code);
    assertThat(empty.err()).contains("a syscall name is empty");
    for (String word : List.of("heap", "stack", "image: text", "(brk)", "MALLOC")) {
      Cli ok = Cli.run("analyze", "--class", word, "samples/01-cat-buffer/trace.log");
      assertThat(ok.status()).as(word).isZero();
    }
  }
}
