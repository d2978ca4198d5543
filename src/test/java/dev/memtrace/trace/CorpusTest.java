package dev.memtrace.trace;

import static dev.memtrace.trace.EventAssert.assertThatEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every line of every log in the test corpus (src/test/resources/corpus) parses, and what it parses
 * to is right.
 */
class CorpusTest {

  /**
   * The only lines of the corpus that are not records: tracee output that landed on a line of its
   * own in a stderr-mode log (strace-format.md section 8). Nothing can be recovered there.
   */
  private static final Map<String, List<Integer>> UNREPAIRABLE =
      Map.of("python_threads_f_stderr.log", List.of(626));

  static Stream<Path> logs() {
    return Corpus.allLogs().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logs")
  void everyLineParses(Path log) {
    List<TraceEvent> events = Corpus.events(log);
    List<Integer> unparsed =
        events.stream()
            .filter(e -> e instanceof UnparsedEvent)
            .map(TraceEvent::line)
            .collect(Collectors.toList());
    assertThat(unparsed)
        .as("unparsed lines of %s", log.getFileName())
        .isEqualTo(UNREPAIRABLE.getOrDefault(log.getFileName().toString(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logs")
  void everyLineIsAccountedFor(Path log) throws IOException {
    String name = log.getFileName().toString();
    if (name.contains("stderr") || name.contains("stdout_in_log")) {
      return; // notices cut out of lines share their line; checked in StderrModeTest
    }
    long physical = Files.readAllLines(log, StandardCharsets.ISO_8859_1).size();
    long covered = 0;
    for (TraceEvent e : Corpus.events(log)) {
      covered += e.source().text().chars().filter(c -> c == '\n').count() + 1;
      if (e instanceof SyscallEvent s) {
        covered += s.stack().size();
      } else if (e instanceof SignalEvent s) {
        covered += s.stack().size();
      }
    }
    assertThat(covered).as("lines covered by events of %s", name).isEqualTo(physical);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logs")
  void everyResumedHalfFindsItsEntry(Path log) throws IOException {
    String name = log.getFileName().toString();
    long resumed =
        Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
            .filter(l -> l.contains("resumed>"))
            .count();
    long joined =
        Corpus.events(log).stream()
            .filter(
                e ->
                    e instanceof SyscallEvent s && s.completion() == SyscallEvent.Completion.JOINED)
            .count();
    // spawn_ff.695 resumes an execve whose entry is in the thread's own file (spawn_ff.722);
    // merging the set joins them (threadExecveOfAnFfSetIsOneCall).
    long expected = name.equals("spawn_ff.695") ? resumed - 1 : resumed;
    assertThat(joined).as("joined calls in %s", name).isEqualTo(expected);
  }

  @Test
  void plainLogHasCallsResultsAndErrors() {
    List<TraceEvent> ev = Corpus.events(Corpus.logs().resolve("cat_small_plain.log"));
    assertThatEvent(ev.get(0)).isSyscall("execve").returns(0).hasPid(null);
    assertThat(ev)
        .filteredOn(e -> e instanceof SyscallEvent s && s.name().equals("access"))
        .first()
        .satisfies(e -> assertThatEvent(e).failsWith("ENOENT"));
    SyscallEvent mmap =
        (SyscallEvent)
            ev.stream()
                .filter(e -> e instanceof SyscallEvent s && s.name().equals("mmap"))
                .findFirst()
                .get();
    assertThat(mmap.args().texts()).hasSize(6);
    assertThat(mmap.args().get(2)).isInstanceOf(Arg.Flags.class);
    assertThat(mmap.result().value().getAsLong()).isGreaterThan(0x7f0000000000L);
    assertThat(ev.get(ev.size() - 1))
        .isInstanceOfSatisfying(ExitEvent.class, x -> assertThat(x.status()).isZero());
  }

  @Test
  void allPrefixesCombined() {
    for (TraceEvent e : Corpus.events(Corpus.logs().resolve("ls_la_y_i_n_T.log"))) {
      assertThat(e.prefix().time())
          .as("time of line %d", e.line())
          .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
      assertThat(e.prefix().ip()).as("ip of line %d", e.line()).isNotNull();
      if (e instanceof SyscallEvent s
          && s.result().value().isPresent()
          && !s.name().startsWith("exit")) {
        assertThat(s.prefix().scno()).as("scno of line %d", e.line()).isNotNull();
        assertThat(s.duration()).as("duration of line %d", e.line()).isNotNull();
      }
    }
  }

  @Test
  void stackFramesAttachToTheirCallAndSignal() {
    List<TraceEvent> ev = Corpus.events(Corpus.logs().resolve("segv_k.log"));
    assertThat(ev)
        .filteredOn(e -> e instanceof SyscallEvent s && !s.name().equals("exit_group"))
        .allSatisfy(e -> assertThat(((SyscallEvent) e).stack()).isNotEmpty());
    SignalEvent segv =
        (SignalEvent) ev.stream().filter(e -> e instanceof SignalEvent).findFirst().get();
    assertThat(segv.signal()).isEqualTo("SIGSEGV");
    assertThat(segv.stack()).isNotEmpty();
    assertThat(segv.stack()).anySatisfy(f -> assertThat(f.symbol()).isEqualTo("main"));
    assertThat(ev.get(ev.size() - 1))
        .isInstanceOfSatisfying(ExitEvent.class, x -> assertThat(x.signal()).isEqualTo("SIGSEGV"));
  }

  @Test
  void rawFramePathsSurvive() {
    List<TraceEvent> ev = Corpus.events(Corpus.logs().resolve("segv_k_weirdpath.log"));
    assertThat(ev)
        .flatMap(e -> e instanceof SignalEvent s ? s.stack() : List.<StackFrame>of())
        .anySatisfy(
            f -> {
              assertThat(f.object()).isEqualTo("/home/user/corpus/work/se gv(\u00ff)");
              assertThat(f.symbol()).isEqualTo("main");
            });
  }

  @Test
  void summaryTableIsNotices() {
    List<TraceEvent> ev = Corpus.events(Corpus.logs().resolve("misc_c_w.log"));
    assertThat(ev).allSatisfy(e -> assertThatEvent(e).isNotice(NoticeEvent.Kind.SUMMARY));
  }

  @Test
  void commPrefixFollowsPrctl() {
    List<TraceEvent> ev = Corpus.events(Corpus.logs().resolve("misc_f_Y.log"));
    assertThat(ev.get(0).prefix().comm()).isEqualTo("strace");
    assertThat(ev).extracting(e -> e.prefix().comm()).contains("misc", "new\\377name");
  }

  @Test
  void threadExecveResumesUnderTheLeader() {
    List<TraceEvent> ev = Corpus.events(Corpus.logs().resolve("spawn_f.log"));
    SyscallEvent exec =
        (SyscallEvent)
            ev.stream()
                .filter(
                    e ->
                        e instanceof SyscallEvent s
                            && s.name().equals("execve")
                            && s.args().text().contains("exec from thread"))
                .findFirst()
                .get();
    assertThatEvent(exec).isCompletion(SyscallEvent.Completion.JOINED).hasPid(658).returns(0);
    assertThat(exec.source().text())
        .contains("675   execve(")
        .contains("658   <... execve resumed>");
  }

  @Test
  void threadExecveOfAnFfSetIsOneCall() {
    List<TraceEvent> ev = Corpus.ffSet("spawn_ff");
    List<SyscallEvent> execs =
        ev.stream()
            .filter(e -> e instanceof SyscallEvent s && s.name().equals("execve"))
            .map(e -> (SyscallEvent) e)
            .toList();
    List<SyscallEvent> fromThread =
        execs.stream().filter(s -> s.args().text().contains("exec from thread")).toList();
    assertThat(fromThread).hasSize(1);
    // As in spawn_f.log: the thread's arguments and line, the leader's pid and result.
    assertThatEvent(fromThread.get(0))
        .isCompletion(SyscallEvent.Completion.JOINED)
        .hasPid(695)
        .isLine(4)
        .returns(0)
        .hasArgs(
            "\"/bin/echo\"",
            "[\"/bin/echo\", \"exec from thread\"]",
            "0x7ffe248a0a48 /* 2 vars */");
    assertThat(fromThread.get(0).source().file()).isEqualTo("spawn_ff.722");
    assertThat(execs).noneSatisfy(s -> assertThat(s.args().texts()).isEmpty());
    assertThat(execs)
        .extracting(SyscallEvent::completion)
        .doesNotContain(SyscallEvent.Completion.UNFINISHED);
    // The leader's own events stay in order around it: superseded, the exec, the new image.
    List<TraceEvent> leader =
        ev.stream().filter(e -> Integer.valueOf(695).equals(e.pid())).toList();
    int at = leader.indexOf(fromThread.get(0));
    assertThat(leader.get(at - 1))
        .isInstanceOfSatisfying(
            ExitEvent.class, x -> assertThat(x.kind()).isEqualTo(ExitEvent.Kind.SUPERSEDED));
    assertThatEvent(leader.get(at + 1)).isSyscall("brk").isLine(59);
  }
}
